// The dashboard in a real browser: Debian's Chromium driven by playwright-core over a
// running `lifeline serve`. Started by crates/cli/tests/it/dashboard.rs, which starts the
// server and passes its address:
//
//   node dashboard.mjs URL TOKEN SEED_REPORT SCREENSHOT_DIR
//
// Every step prints a line; any failed check, page error or console error exits 1.
// Answers the page must not let through (a job's timeline after another job was
// selected, an incident list after newer filters) are held back with page.route.
import { chromium } from "playwright-core";
import { readFile, mkdir } from "node:fs/promises";
import path from "node:path";

const [url, token, reportFile, shots] = process.argv.slice(2);
if (!url || !token || !reportFile || !shots) {
  console.error("usage: node dashboard.mjs URL TOKEN SEED_REPORT SCREENSHOT_DIR");
  process.exit(2);
}
await mkdir(shots, { recursive: true });

const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

const problems = [];
function check(condition, what) {
  console.log(`${condition ? "ok  " : "FAIL"} ${what}`);
  if (!condition) problems.push(what);
}

/** A page that records its errors, and every request that leaves the server. */
async function open(options) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // A refused request is logged by the browser as a console error; the checks below look
  // at the answers themselves, so only 5xx answers count here.
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  page.on("request", (r) => {
    if (!r.url().startsWith(url)) problems.push(`request outside the server: ${r.url()}`);
  });
  page.on("response", (r) => {
    if (r.url().includes("/assets/")) scripts.push({ url: r.url(), type: r.headers()["content-type"] });
  });
  return { context, page };
}

/** How long `hold` keeps an answer back, ms. */
const HOLD_MS = 1500;
/** A page.route handler that lets a request through late (the page may have given it up). */
async function hold(route) {
  await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
  await route.continue().catch(() => {});
}

/** The dashboard's own files as served: address and content type. */
const scripts = [];

const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

try {
  // ------------------------------------------------------------------ laptop, English
  const { context, page } = await open({ viewport: { width: 1366, height: 860 }, locale: "en-GB" });
  await page.goto(`${url}/#map`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
  await page.waitForFunction(() => Number(document.querySelector("#time-slider").max) > 0, null, { timeout: 60_000 });
  check(await page.locator("#map path.district").count() === 9, "the map shows the demo city's nine districts");
  check((await page.locator("#legend").innerText()).includes("100 %"), "the map has a legend");
  check(await page.locator('script[type="module"][src="/assets/app.js"]').count() === 1, "the page loads its script as an ES module");
  const modules = scripts.filter((r) => r.url.endsWith(".js"));
  check(modules.length >= 10 && modules.every((r) => r.type === "text/javascript; charset=utf-8"),
    `every module is served as JavaScript (${modules.map((r) => r.url.split("/").pop()).join(", ")})`);
  const schemas = (await (await page.request.get(`${url}/openapi.json`)).json()).components.schemas;
  const options = async (sel) => page.locator(sel).evaluateAll((els) => els.map((e) => e.value).filter(Boolean));
  check(JSON.stringify(await options("#filter-status option")) === JSON.stringify(schemas.IncidentStatus.enum),
    "the status filter offers the API document's statuses");
  check(JSON.stringify(await options("#incident-form [name=weapon] option")) === JSON.stringify(schemas.WeaponClass.enum),
    "the form offers the API document's weapon classes");
  check(JSON.stringify(await options("#incident-form [name=targets]")) === JSON.stringify(schemas.TargetCategory.enum),
    "the form offers the API document's target categories");
  // The networks where the city places them: pipes, grid lines, 57 substations, 21 pump
  // stations; the struck Centre substation (bus 12) is down at the worst hour.
  const count = (sel) => page.locator(`#map .network ${sel}`).count();
  check(await count(".water-pipe") > 1000, `the map draws the water network's pipes (${await count(".water-pipe")})`);
  check(await count(".grid-line") > 50, `the map draws the grid's lines (${await count(".grid-line")})`);
  check(await count(".substation") === 57, `the map draws every substation (${await count(".substation")})`);
  check(await count(".station") === 21, `the map draws every pump station (${await count(".station")})`);
  check(/ km$/.test(await page.locator("#map .scale-bar text").textContent()), "the map has a scale bar");
  const symbols = await page.locator("#symbols").innerText();
  check(["pipe", "power line", "substation", "pump station", "hospital or facility", "hit or without supply"].every((w) => symbols.includes(w)),
    `the map has a legend of its symbols (${symbols.replace(/\s+/g, " ")})`);
  const bus12 = page.locator('#map .network [data-asset="bus:12"]');
  const downAtWorst = await bus12.evaluate((el) => el.classList.contains("down"));
  await shot(page, "01-map");

  // The slider: the start of the scenario (before the strikes) against the worst hour.
  const worst = await page.locator("#totals-power").innerText();
  const worstLabel = await page.locator("#time-label").innerText();
  const slider = page.locator("#time-slider");
  await slider.focus();
  await page.keyboard.press("Home");
  const before = await page.locator("#totals-power").innerText();
  check(before !== worst, `moving the slider changes the numbers (${worst} at ${worstLabel} → ${before} at the start)`);
  const downAtStart = await bus12.evaluate((el) => el.classList.contains("down"));
  check(downAtWorst && !downAtStart, `the struck substation changes colour with the slider (down ${downAtWorst} at the worst hour, ${downAtStart} at the start)`);
  // The demo city lacks nothing on a normal day: no note of a normal-day shortfall.
  check(await page.locator("#baseline-note").isHidden(), "no normal-day note where the normal day lacks nothing");
  check(await page.locator("#time-label").innerText() !== worstLabel, "moving the slider changes the time shown");
  const fillBefore = await page.locator('#map path[data-name="Centre"]').evaluate((el) => el.style.fill);
  await page.keyboard.press("End");
  await page.keyboard.press("Home");
  for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowRight");
  const fillAfter = await page.locator('#map path[data-name="Centre"]').evaluate((el) => el.style.fill);
  check(fillBefore !== fillAfter, `the Centre's colour follows the slider (${fillBefore} → ${fillAfter})`);

  // A district's numbers over time: a click on the Centre's hospital (a symbol, whose
  // name shows on hover) reaches the district under it.
  check(await page.locator('#map [data-asset="facility:H-1"] title').textContent() === "City Hospital No. 1", "a symbol's tooltip names it");
  await page.locator('#map [data-asset="facility:H-1"]').click();
  await page.waitForSelector("#district-name");
  check(await page.locator("#district-name").innerText() === "Centre", "clicking a district (through a symbol on it) opens its panel");
  const districtPower = await page.locator("#district-power").innerText();
  check(/\d/.test(districtPower), `the panel gives the district's numbers (${districtPower})`);
  check(await page.locator("#district-panel svg polyline").count() === 2, "the panel charts power and water over time");
  await page.keyboard.press("Tab");
  await slider.focus();
  await page.keyboard.press("Home");
  const districtAtStart = await page.locator("#district-power").innerText();
  check(districtAtStart !== districtPower, `the panel follows the slider (${districtPower} → ${districtAtStart})`);
  await page.locator('[data-mode="water"]').click();
  check((await page.locator("#legend").innerText()).includes("water"), "the water view has its own legend");

  // "When will my power be back?": the forecast of the seed run (4 samples on this
  // server), for the district clicked on the map, then for one picked in the list.
  await page.locator('[data-mode="power"]').click();
  check(await page.locator("#forecast-district").inputValue() === "Centre", "the forecast's list follows the district clicked on the map");
  await page.waitForSelector("#forecast-power", { timeout: 480_000 });
  const centrePower = await page.locator("#forecast-power").innerText();
  const centreWater = await page.locator("#forecast-water").innerText();
  check(/^Power (back between .+ and .+ \(80 %\), most likely|back at|back by|most likely not cut|is not cut)/.test(centrePower),
    `the forecast says when the Centre's power is back (${centrePower})`);
  check(/^Water /.test(centreWater), `and its water (${centreWater})`);
  check(await page.locator("#district-panel svg polygon.band").count() === 2, "the district's chart shows the forecast's bands");
  await page.locator("#forecast-district").selectOption("East");
  await page.waitForFunction(() => document.querySelector("#district-name")?.textContent === "East");
  const eastPower = await page.locator("#forecast-power").innerText();
  check(eastPower !== centrePower || (await page.locator("#forecast-water").innerText()) !== centreWater,
    `picking a district in the list gives its forecast and opens it on the map (${eastPower})`);
  check(await page.locator('#map path.district.selected').getAttribute("data-name") === "East", "the district picked in the list is selected on the map");
  await shot(page, "02b-forecast");
  await page.keyboard.press("End");
  await shot(page, "02-district");

  // ------------------------------------------------------------------ repairs
  await page.locator('[data-tab="repairs"]').click();
  await page.waitForSelector("#crew-timeline rect[data-asset]", { timeout: 120_000 });
  const bars = await page.locator("#crew-timeline rect[data-asset]").count();
  check(bars === 15, `the crews' timeline shows every repair of the seed scenario (${bars})`);
  const tooltip = await page.locator('#crew-timeline rect[data-asset="bus:12"] title').textContent();
  check(tooltip.includes("substation 12 (Centre)"), `a repair's tooltip names the asset (${tooltip})`);
  // branch:80 waits for bus:55 at one of its ends: its crew sets out to start on arrival
  // once the substation is back, never before.
  const hours = async (asset) => (await page.locator(`#crew-timeline rect[data-asset="${asset}"] title`).textContent())
    .match(/([\d.]+)–([\d.]+) h$/).slice(1).map(Number);
  const [line, substation] = [await hours("branch:80"), await hours("bus:55")];
  check(line[0] >= substation[1] - 0.05, `a line waiting for its substation starts once it is back (${line} after ${substation})`);
  check(await page.locator("#crew-timeline .key span").count() === 3, "the crews' timeline has a key");
  check(await page.locator("#restoration-curve polyline").count() === 2, "the restoration curve has power and water");
  check(await page.locator("#planners tr").count() >= 4, "the planners are compared");
  await shot(page, "03-repairs");

  // ------------------------------------------------------------------ outage schedule
  await page.locator('[data-tab="outages"]').click();
  await page.waitForSelector("#schedule-grid tr[data-group]");
  await page.locator("#find-group").fill("centre");
  await page.waitForSelector("#find-group-result .group-hit");
  const hits = await page.locator("#find-group-result .group-hit").count();
  const mine = await page.locator("#schedule-grid tr.mine").count();
  check(hits > 0 && hits === mine, `"find my group" finds the Centre's groups and marks them (${hits})`);
  await shot(page, "04-schedule");
  // Only a true generation deficit is rotated: the calendar of a group with outages.
  const withOutages = await page.locator("#find-group-result .group-hit").evaluateAll((found) =>
    found.map((hit) => hit.dataset.group)
      .filter((id) => document.querySelector(`#schedule-grid tr[data-group="${CSS.escape(id)}"] td.off`)));
  check(withOutages.length > 0, `some of the Centre's groups have outages (${withOutages.join(", ")})`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`#find-group-result a.ics[data-group="${withOutages[0]}"]`).click(),
  ]);
  const calendar = await readFile(await download.path(), "utf8");
  check(download.suggestedFilename().endsWith(".ics"), `the calendar downloads as ${download.suggestedFilename()}`);
  check(calendar.startsWith("BEGIN:VCALENDAR") && calendar.includes("BEGIN:VEVENT"), "the calendar holds the group's outages");
  await page.locator("#find-group").fill("Atlantis");
  check((await page.locator("#find-group-result").innerText()).includes("Atlantis"), "an unknown district is named in the answer");

  // ------------------------------------------------------------------ incidents
  await page.locator('[data-tab="incidents"]').click();
  await page.locator(".token-bar summary").click();
  await page.locator("#token").fill(token);
  const report = await readFile(reportFile, "utf8");
  await page.locator("#paste-text").fill(report);
  await page.locator("#paste-date").fill("2024-03-23");
  await page.locator("#paste-extract").click();
  await page.waitForSelector("#drafts .draft");
  const drafts = await page.locator("#drafts .draft").count();
  check(drafts === 6, `the seed report gives six drafts to review (${drafts})`);
  const first = page.locator("#drafts .draft").first();
  check((await first.innerText()).includes("Kharkiv"), "the first draft is the Kharkiv strike");
  await first.locator("summary").click();
  check(await first.locator(".evidence li").count() > 3, "each draft shows the sentences behind its fields");
  await first.locator("button.save-draft").click();
  await first.locator(".result.ok").waitFor();
  const saved = await first.locator(".result").innerText();
  check(/INC-\d+/.test(saved), `saving a draft stores it (${saved.trim()})`);
  await page.waitForSelector("#incident-list tr[data-id]");
  check(await page.locator("#incident-list tr[data-id]").count() === 1, "the saved draft is in the incident list");
  await shot(page, "05-incidents");

  // The form: a rule broken is named and its field marked; a good record is saved.
  const form = page.locator("#incident-form");
  await form.locator("[name=start]").fill("2024-03-22");
  await form.locator("[name=settlement]").fill("Kharkiv");
  await form.locator("[name=weapon]").selectOption("drone");
  await form.locator("[name=launched]").fill("3");
  await form.locator("[name=intercepted]").fill("5");
  await form.locator("button[type=submit]").click();
  await page.waitForSelector("#incident-form-result.error");
  check(await form.locator("[aria-invalid=true]").count() === 1, `a broken rule marks its field (${await page.locator("#incident-form-result").innerText()})`);
  await form.locator("[name=intercepted]").fill("2");
  await form.locator("[name=publisher]").fill("Regional administration");
  await form.locator("button[type=submit]").click();
  await page.waitForSelector("#incident-form-result.ok");
  await page.waitForFunction(() => document.querySelectorAll("#incident-list tr[data-id]").length === 2);
  check(true, "the form adds an incident");
  // The list of every incident held back: filtering for confirmed ones meanwhile must not
  // be overwritten when it arrives.
  const everyIncident = (u) => u.pathname === "/api/incidents" && !u.searchParams.has("status");
  await page.route(everyIncident, hold);
  await page.locator("#filter-status").selectOption("");
  await page.locator("#incident-filters button").click();
  await page.locator("#filter-status").selectOption("confirmed");
  await page.locator("#incident-filters button").click();
  await page.waitForSelector("#incident-list td.hint");
  await page.waitForTimeout(HOLD_MS + 500);
  await page.unroute(everyIncident, hold);
  check(await page.locator("#incident-list tr[data-id]").count() === 0, "the status filter leaves out drafts, and an older list arriving late does not come back");

  // ------------------------------------------------------------------ a scenario of one's own
  await page.locator('[data-tab="map"]').click();
  await page.locator("#run-card summary").click();
  await page.locator("#run-text").fill(
    'name = "Substation 12 hit"\nhorizon_h = 12\n[[strike]]\nat = "01:00"\nasset = "bus:12"\nrepair_h = 6\n',
  );
  await page.locator("#run-submit").click();
  await page.waitForFunction(() => document.querySelector("#scenario-select").value === "2");
  await page.waitForFunction(() => Number(document.querySelector("#time-slider").max) === 12, null, { timeout: 60_000 });
  check(await page.locator("#map").getAttribute("data-job") === "2", "the map shows the new run's timeline");
  const own = await page.locator("#totals-power").innerText();
  check(own !== "0" && own !== "—", `a scenario run from the dashboard shows its own numbers (${own} customers without power)`);
  check((await page.locator("#scenario-select option").count()) === 2, "the new run joins the scenario list");
  await page.locator("#run-text").fill('name = "broken"\n[[strike]]\nat = "01:00"\nasset = "bus:999"\n');
  await page.locator("#run-submit").click();
  await page.waitForSelector("#run-result.error");
  check((await page.locator("#run-result").innerText()).includes("bus 999"), "a broken scenario is refused with its line and the reason");
  await shot(page, "06-own-scenario");

  // ------------------------------------------------------------------ stale answers
  // Switching jobs quickly: the answers for the job left behind are held back, and when
  // they come, the view must still be the selected job's.
  for (const [slow, chosen] of [["1", "2"], ["2", "1"]]) {
    const slowJob = (u) => u.pathname === `/api/scenarios/${slow}` || u.pathname.startsWith(`/api/scenarios/${slow}/`);
    await page.route(slowJob, hold);
    await page.locator("#scenario-select").selectOption(slow);
    await page.waitForTimeout(100);
    await page.locator("#scenario-select").selectOption(chosen);
    // Until the chosen job is on screen; a late answer shown instead fails the check below.
    await page.waitForFunction((id) => document.querySelector("#map").dataset.job === id
      && document.querySelector("#schedule-grid").dataset.job === id, chosen, { timeout: 60_000 }).catch(() => {});
    await page.waitForTimeout(HOLD_MS + 500);
    await page.unroute(slowJob, hold);
    const shown = await page.evaluate(() => ({
      map: document.querySelector("#map").dataset.job,
      schedule: document.querySelector("#schedule-grid").dataset.job,
      max: document.querySelector("#time-slider").max,
    }));
    check(shown.map === chosen && shown.schedule === chosen && (shown.max === "12") === (chosen === "2"),
      `job ${slow}'s late answers leave job ${chosen} on screen (map ${shown.map}, schedule ${shown.schedule}, ${shown.max} steps)`);
  }

  // ------------------------------------------------------------------ Ukrainian
  await page.locator('[data-lang="uk"]').click();
  check(await page.locator('[data-tab="map"]').innerText() === "Мапа", "the dashboard speaks Ukrainian");
  await page.locator('[data-tab="map"]').click();
  check((await page.locator("#time-label").innerText()).length > 0, "times are shown in Ukrainian");
  check(await page.locator("#forecast-card h3").innerText() === "Коли повернеться світло?", "the forecast asks its question in Ukrainian");
  const ukForecast = await page.locator("#forecast-panel").innerText();
  check(/[А-Яа-яІіЇїЄє]/.test(ukForecast) && !/Power|Water|Forecasting/.test(ukForecast), `and answers in Ukrainian (${ukForecast.split("\n")[0]})`);
  await shot(page, "07-map-uk");
  await context.close();

  // ------------------------------------------------------------------ phone
  const phone = await open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "uk-UA" });
  await phone.page.goto(`${url}/#map`);
  await phone.page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
  await phone.page.waitForFunction(() => Number(document.querySelector("#time-slider").max) > 0);
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `on a phone nothing runs off the screen sideways (${overflow} px)`);
  check(await phone.page.locator('[data-tab="map"]').innerText() === "Мапа", "a Ukrainian phone gets Ukrainian");
  // On a phone the symbols stay big enough to see and tap near (≥ 6 px across), the
  // legend is in Ukrainian, and two fingers zoom the map.
  const stationPx = await phone.page.locator("#map .network .station").first().evaluate((el) => el.getBoundingClientRect().width);
  check(stationPx >= 6, `a pump station is ${stationPx.toFixed(1)} px across on a phone`);
  check((await phone.page.locator("#symbols").innerText()).includes("насосна станція"), "the phone's legend is in Ukrainian");
  const pinched = await phone.page.evaluate(() => {
    const svg = document.querySelector("#map");
    const r = svg.getBoundingClientRect();
    const before = svg.getAttribute("viewBox");
    const at = (id, x) => ({ pointerId: id, pointerType: "touch", clientX: r.left + x, clientY: r.top + r.height / 2, bubbles: true });
    svg.dispatchEvent(new PointerEvent("pointerdown", at(1, r.width * 0.4)));
    svg.dispatchEvent(new PointerEvent("pointerdown", at(2, r.width * 0.6)));
    svg.dispatchEvent(new PointerEvent("pointermove", at(2, r.width * 0.9)));
    svg.dispatchEvent(new PointerEvent("pointerup", at(2, r.width * 0.9)));
    svg.dispatchEvent(new PointerEvent("pointerup", at(1, r.width * 0.4)));
    const after = svg.getAttribute("viewBox");
    svg.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    return [Number(before.split(" ")[2]), Number(after.split(" ")[2])];
  });
  check(pinched[1] < pinched[0] * 0.6, `a pinch zooms the map in (view ${pinched[0].toFixed(0)} → ${pinched[1].toFixed(0)} wide)`);
  await phone.page.locator('#map path[data-name="Centre"]').tap();
  await phone.page.waitForSelector("#district-name");
  await shot(phone.page, "08-phone-map");
  await phone.page.locator('[data-tab="outages"]').tap();
  await phone.page.waitForSelector("#schedule-grid tr[data-group]");
  await phone.page.locator("#find-group").fill("Centre");
  await shot(phone.page, "09-phone-schedule");
  await phone.context.close();
} catch (error) {
  problems.push(`${error.message}`);
} finally {
  await browser.close();
}

if (problems.length) {
  console.error(`\n${problems.length} problem(s):\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log(`\nall checks passed; screenshots in ${shots}`);
