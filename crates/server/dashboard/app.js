// lifeline dashboard: the city's map over a scenario's timeline, the restoration plan,
// the outage schedule and the incident registry, from the server's own JSON API.
// No framework and no network beyond this server: it works offline during a blackout.
"use strict";

// ---------------------------------------------------------------- words, two languages

const WORDS = {
  en: {
    scenario: "Scenario", tab_map: "Map", tab_repairs: "Repairs", tab_outages: "Outage schedule",
    tab_incidents: "Incidents", mode_power: "Without power", mode_water: "Without water",
    customers_without_power: "customers without power", people_without_water: "people without water",
    click_district: "Click a district on the map for its numbers over time.",
    assets_down: "Assets hit or without supply", none_down: "None at this time.",
    restoration_curve: "Restoration curve", crew_timeline: "Crews' jobs", planners: "Planners compared",
    max_off: "Longest outage, h", min_on: "Shortest on time, h", apply: "Apply",
    find_group: "Find my group: your district", find: "Find", off: "off", maybe: "possible", on: "on",
    token: "Access token (for saving and running)", incidents: "Incidents", status: "Status", any: "any",
    draft: "draft", confirmed: "confirmed", retracted: "retracted", from: "From", to: "To",
    region: "Region", filter: "Filter", paste_report: "Paste a news report",
    paste_placeholder: "Paste the text of a news report here…", report_date: "Report date",
    publisher: "Publisher", extract: "Extract drafts", add_incident: "Add an incident",
    offline: "Served by lifeline: works without internet.",
    legend_power: "share of customers without power", legend_water: "share of people without water",
    population: "Population", customers: "Customers", now_power: "Without power now",
    now_water: "Without water now", power_back: "Power back", water_back: "Water back",
    never: "not in this run", never_cut: "never cut", over_time: "Share without service over time",
    loading: "Loading…", running: "Running: {p} %", planning: "Planning the repairs…",
    plan_failed: "No restoration plan: {e}", no_scenario: "No scenario run yet.",
    share_with_power: "customers with power", share_with_water: "people with water",
    planner: "Planner", objective: "Weighted hours lost", makespan: "All repaired", runtime: "Planning time",
    chosen: "chosen", hours: "h", crew: "Crew", travel: "travel", waiting: "waiting for a repair this one depends on",
    waiting_short: "waiting for another repair", power_repair: "power repair", water_repair: "water repair",
    group: "Group", district_groups: "{d} is in:", share_of_district: "{s} % of the district",
    next_outages: "Next outages", no_outages: "no outages scheduled", calendar: "calendar (.ics)",
    no_district: "No district called “{d}”. Districts: {list}.",
    figures: "{name}: {shed} MWh shed beyond the deficit, {unc} MWh uncovered, longest outage {long} h",
    date: "Date", place: "Place", type: "Type", weapons: "Weapons", killed: "Killed", injured: "Injured",
    actions: "", confirm: "Confirm", retract: "Retract", no_incidents: "No incidents match.", more_incidents: "Show more",
    settlement: "Settlement", admin1: "Region (oblast)", country: "Country", event_type: "Event type",
    weapon: "Weapon", launched: "Launched", intercepted: "Intercepted", explosions: "Explosions",
    targets: "Targets", effects: "Effects", source: "Source (publisher)", source_url: "Source address",
    confidence: "Confidence", notes: "Notes", save: "Save", saved: "Saved as {id}.",
    save_draft: "Save as draft", need_token: "Enter the access token first.",
    drafts_found: "{n} drafts found. Review them, then save the ones that are right.",
    no_drafts: "No incidents found in this text.", evidence: "Evidence",
    missile: "missile", drone: "drone", glide_bomb: "glide bomb", artillery: "artillery", unknown: "unknown",
    power: "power", water: "water", heating: "heating", gas: "gas", oil: "oil", residential: "residential",
    industrial: "industrial", administrative: "administrative", transport: "transport",
    blackout: "blackout", water_outage: "water outage", heating_outage: "heating outage", fire: "fire",
    low: "low", medium: "medium", high: "high", play: "Play", pause: "Pause",
    token_summary: "Access token", run_scenario: "Run a scenario", run: "Run",
    run_placeholder: "A scenario.toml: name, horizon_h and [[strike]] entries (at, asset, damage, repair_h)",
    run_started: "Running as scenario {id}.",
    fair: "fair", exact: "exact", rotation: "rotation",
    state_destroyed: "destroyed", state_damaged: "damaged", state_no_power: "no power",
    state_backup: "on backup generator", state_waiting_for_backup: "waiting for its generator",
    state_no_water: "no water", state_no_power_no_water: "no power, no water",
    plan_headline: "{scenario}: {assets} damaged assets, {crews} crews. The {chosen} plan has everything repaired in {done}.",
  },
  uk: {
    scenario: "Сценарій", tab_map: "Мапа", tab_repairs: "Ремонти", tab_outages: "Графік відключень",
    tab_incidents: "Інциденти", mode_power: "Без світла", mode_water: "Без води",
    customers_without_power: "споживачів без світла", people_without_water: "мешканців без води",
    click_district: "Натисніть на район на мапі, щоб побачити його показники в часі.",
    assets_down: "Уражені або без живлення об’єкти", none_down: "Зараз таких немає.",
    restoration_curve: "Крива відновлення", crew_timeline: "Роботи бригад", planners: "Порівняння планувальників",
    max_off: "Найдовше відключення, год", min_on: "Найкоротше ввімкнення, год", apply: "Застосувати",
    find_group: "Знайти свою чергу: ваш район", find: "Знайти", off: "вимкнено", maybe: "можливо", on: "увімкнено",
    token: "Токен доступу (для збереження і розрахунків)", incidents: "Інциденти", status: "Статус", any: "будь-який",
    draft: "чернетка", confirmed: "підтверджено", retracted: "відкликано", from: "Від", to: "До",
    region: "Область", filter: "Фільтрувати", paste_report: "Вставте новину",
    paste_placeholder: "Вставте сюди текст новини…", report_date: "Дата новини",
    publisher: "Видання", extract: "Виділити чернетки", add_incident: "Додати інцидент",
    offline: "Працює через lifeline: без інтернету.",
    legend_power: "частка споживачів без світла", legend_water: "частка мешканців без води",
    population: "Населення", customers: "Споживачі", now_power: "Без світла зараз",
    now_water: "Без води зараз", power_back: "Світло повернуто", water_back: "Воду повернуто",
    never: "не в цьому прогоні", never_cut: "не зникало", over_time: "Частка без послуги в часі",
    loading: "Завантаження…", running: "Розрахунок: {p} %", planning: "Плануємо ремонти…",
    plan_failed: "Плану відновлення немає: {e}", no_scenario: "Ще немає розрахованого сценарію.",
    share_with_power: "споживачів зі світлом", share_with_water: "мешканців з водою",
    planner: "Планувальник", objective: "Зважені втрачені години", makespan: "Усе відремонтовано", runtime: "Час планування",
    chosen: "обрано", hours: "год", crew: "Бригада", travel: "дорога", waiting: "очікування ремонту, від якого залежить цей",
    waiting_short: "очікування іншого ремонту", power_repair: "ремонт енергетики", water_repair: "ремонт водопостачання",
    group: "Черга", district_groups: "{d} входить до:", share_of_district: "{s} % району",
    next_outages: "Найближчі відключення", no_outages: "відключень не заплановано", calendar: "календар (.ics)",
    no_district: "Району «{d}» немає. Райони: {list}.",
    figures: "{name}: понад дефіцит відключено {shed} МВт·год, не покрито {unc} МВт·год, найдовше відключення {long} год",
    date: "Дата", place: "Місце", type: "Тип", weapons: "Засоби", killed: "Загинули", injured: "Поранені",
    actions: "", confirm: "Підтвердити", retract: "Відкликати", no_incidents: "Немає інцидентів за цими умовами.", more_incidents: "Показати ще",
    settlement: "Населений пункт", admin1: "Область", country: "Країна", event_type: "Тип події",
    weapon: "Засіб ураження", launched: "Запущено", intercepted: "Збито", explosions: "Вибухи",
    targets: "Цілі", effects: "Наслідки", source: "Джерело (видання)", source_url: "Адреса джерела",
    confidence: "Впевненість", notes: "Примітки", save: "Зберегти", saved: "Збережено як {id}.",
    save_draft: "Зберегти чернетку", need_token: "Спершу введіть токен доступу.",
    drafts_found: "Знайдено чернеток: {n}. Перевірте їх і збережіть правильні.",
    no_drafts: "У цьому тексті інцидентів не знайдено.", evidence: "Підстави",
    missile: "ракета", drone: "дрон", glide_bomb: "керована авіабомба", artillery: "артилерія", unknown: "невідомо",
    power: "енергетика", water: "водопостачання", heating: "теплопостачання", gas: "газ", oil: "нафта",
    residential: "житло", industrial: "промисловість", administrative: "адмінбудівлі", transport: "транспорт",
    blackout: "знеструмлення", water_outage: "без води", heating_outage: "без тепла", fire: "пожежа",
    low: "низька", medium: "середня", high: "висока", play: "Відтворити", pause: "Пауза",
    token_summary: "Токен доступу", run_scenario: "Розрахувати сценарій", run: "Розрахувати",
    run_placeholder: "Файл scenario.toml: name, horizon_h і записи [[strike]] (at, asset, damage, repair_h)",
    run_started: "Розраховується як сценарій {id}.",
    fair: "справедливий", exact: "точний", rotation: "черговість",
    state_destroyed: "знищено", state_damaged: "пошкоджено", state_no_power: "без живлення",
    state_backup: "на генераторі", state_waiting_for_backup: "чекає на генератор",
    state_no_water: "без води", state_no_power_no_water: "без живлення і води",
    plan_headline: "{scenario}: пошкоджених об’єктів {assets}, бригад {crews}. План «{chosen}» усе відновлює за {done}.",
  },
};

const WEAPON_CLASSES = ["missile", "drone", "glide_bomb", "artillery", "unknown"];
const TARGETS = ["power", "water", "heating", "gas", "oil", "residential", "industrial", "administrative", "transport"];
const EFFECTS = ["blackout", "water_outage", "heating_outage", "fire"];
const EVENT_TYPES = ["Explosions/Remote violence"];
/** Asset states of a cascade run that mean "working as normal". */
const NORMAL_STATES = ["in_service", "grid", "ok"];
const SUB_EVENT_TYPES = ["Air/drone strike", "Shelling/artillery/missile attack"];

let lang = localStorage.getItem("lifeline.lang") || ((navigator.language || "en").startsWith("uk") ? "uk" : "en");

/** The word for `key` in the current language, with `{name}` filled from `vars`. */
function t(key, vars = {}) {
  const text = (WORDS[lang] && WORDS[lang][key]) ?? WORDS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
}

const numberFormat = () => new Intl.NumberFormat(lang === "uk" ? "uk-UA" : "en-GB");
const fmt = (n) => numberFormat().format(Math.round(n));
const pct = (x) => `${Math.round(100 * x)} %`;

// ---------------------------------------------------------------- small helpers

/** An element with attributes and children (text children are escaped by the DOM). */
function h(tag, attrs = {}, ...children) {
  const svgTags = ["svg", "path", "g", "line", "rect", "text", "tspan", "polyline", "circle", "title", "linearGradient", "stop", "defs"];
  const el = svgTags.includes(tag)
    ? document.createElementNS("http://www.w3.org/2000/svg", tag)
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}
const $ = (sel) => document.querySelector(sel);
const $$ = (sel) => Array.from(document.querySelectorAll(sel));

/** Fetches JSON; throws an Error carrying the API's message and field. A read the
 *  server was too busy for (503 with Retry-After) is asked again, up to three times. */
async function api(path, options = {}) {
  let response = await fetch(path, options);
  for (let tries = 0; tries < 3 && response.status === 503 && !options.method; tries++) {
    const seconds = Number(response.headers.get("retry-after"));
    if (!(seconds > 0 && seconds <= 30)) break;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    response = await fetch(path, options);
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  if (!response.ok) {
    const error = new Error((body && body.error) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.field = body && body.field;
    throw error;
  }
  return body;
}

function token() { return $("#token").value.trim(); }

function writeOptions(method, body) {
  return {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token()}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

// ---------------------------------------------------------------- state

const state = {
  city: null,
  job: null,        // the selected scenario job's id
  timeline: null,
  plan: null,
  planError: null,
  schedule: null,
  step: 0,          // the slider's index into timeline.times_h
  mode: "power",
  selected: null,   // selected district's name
  drafts: [],
};

/** A reported time as a wall-clock label: the scenario's start plus `t_h`. */
function timeLabel(t_h) {
  const start = state.timeline && state.timeline.start;
  if (!start) return `+${t_h.toFixed(t_h % 1 ? 1 : 0)} ${t("hours")}`;
  const [date, clock = "00:00"] = start.split("T");
  const base = Date.parse(`${date}T${clock.slice(0, 5)}:00Z`);
  const at = new Date(base + t_h * 3600e3);
  return new Intl.DateTimeFormat(lang === "uk" ? "uk-UA" : "en-GB", {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC",
  }).format(at);
}

// ---------------------------------------------------------------- language

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of $$("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of $$("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const b of $$(".lang button")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  $("#play").title = t("play");
  renderAll();
}

// ---------------------------------------------------------------- map

/** Projects lon/lat to the SVG's plane (equirectangular, north up). */
function projection(features) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c) => {
    if (typeof c[0] === "number") {
      x0 = Math.min(x0, c[0]); x1 = Math.max(x1, c[0]);
      y0 = Math.min(y0, c[1]); y1 = Math.max(y1, c[1]);
    } else c.forEach(visit);
  };
  features.forEach((f) => f.geometry && visit(f.geometry.coordinates));
  const k = Math.cos(((y0 + y1) / 2) * Math.PI / 180) || 1;
  const width = 1000;
  const scale = width / Math.max((x1 - x0) * k, 1e-9);
  const height = Math.max((y1 - y0) * scale, 1);
  return { width, height, at: ([x, y]) => [(x - x0) * k * scale, (y1 - y) * scale] };
}

function pathOf(geometry, at) {
  const rings = geometry.type === "Polygon" ? geometry.coordinates
    : geometry.type === "MultiPolygon" ? geometry.coordinates.flat() : [];
  return rings.map((ring) => "M" + ring.map((p) => at(p).map((v) => v.toFixed(1)).join(",")).join("L") + "Z").join("");
}

function centreOf(geometry, at) {
  const ring = geometry.type === "Polygon" ? geometry.coordinates[0] : geometry.coordinates[0][0];
  const points = ring.slice(0, -1).map(at);
  const sum = points.reduce((a, p) => [a[0] + p[0], a[1] + p[1]], [0, 0]);
  return [sum[0] / points.length, sum[1] / points.length];
}

/** Colour of a share 0–1: lit/served (light) to dark (power) or dry (water). */
function colour(share, mode) {
  const [a, b] = mode === "power" ? [[254, 240, 138], [30, 27, 75]] : [[191, 219, 254], [124, 45, 18]];
  const s = Math.max(0, Math.min(1, share));
  const c = a.map((v, i) => Math.round(v + (b[i] - v) * s));
  return `rgb(${c.join(",")})`;
}

function districtShare(d, k, mode) {
  return mode === "power"
    ? (d.customers ? d.customers_without_power[k] / d.customers : 0)
    : (d.population ? d.people_without_water[k] / d.population : 0);
}

function buildMap() {
  const svg = $("#map");
  svg.replaceChildren();
  if (!state.city) return;
  const features = state.city.districts.features.filter((f) => f.geometry);
  const p = projection(features);
  const pad = 20;
  svg.setAttribute("viewBox", `${-pad} ${-pad} ${p.width + 2 * pad} ${p.height + 2 * pad}`);
  const shapes = h("g", {});
  const labels = h("g", {});
  for (const f of features) {
    const name = f.properties.name;
    shapes.append(h("path", {
      class: "district", d: pathOf(f.geometry, p.at), "data-name": name, tabindex: 0, role: "button",
      "aria-label": name,
      onclick: () => selectDistrict(name),
      onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") selectDistrict(name); },
    }, h("title", {}, name)));
    const [x, y] = centreOf(f.geometry, p.at);
    labels.append(h("text", { x, y, "data-label": name, "font-size": (p.width / 42).toFixed(0) },
      h("tspan", { x, dy: "-0.2em" }, name), h("tspan", { x, dy: "1.2em", class: "pct" }, "")));
  }
  svg.append(shapes, labels);
}

function renderMap() {
  const tl = state.timeline;
  const k = state.step;
  for (const el of $$("#map .district")) {
    const d = tl && tl.districts.find((x) => x.name === el.dataset.name);
    const share = d ? districtShare(d, k, state.mode) : 0;
    el.style.fill = d ? colour(share, state.mode) : "#e5e7eb";
    el.classList.toggle("selected", el.dataset.name === state.selected);
    const label = $(`#map text[data-label="${CSS.escape(el.dataset.name)}"] .pct`);
    if (label) label.textContent = d ? pct(share) : "";
  }
  const legend = $("#legend");
  legend.replaceChildren(
    h("span", {}, "0 %"),
    h("span", { class: "ramp", style: `background: linear-gradient(90deg, ${colour(0, state.mode)}, ${colour(0.5, state.mode)}, ${colour(1, state.mode)})` }),
    h("span", {}, "100 %"),
    h("span", {}, t(state.mode === "power" ? "legend_power" : "legend_water")),
  );
  for (const b of $$(".mode button")) b.setAttribute("aria-pressed", String(b.dataset.mode === state.mode));
  if (!tl) {
    $("#time-label").textContent = "";
    $("#totals-power").textContent = "—";
    $("#totals-water").textContent = "—";
    return;
  }
  $("#time-label").textContent = timeLabel(tl.times_h[k]);
  $("#totals-power").textContent = fmt(tl.customers_without_power[k]);
  $("#totals-water").textContent = fmt(tl.people_without_water[k]);
  renderAssets();
  renderDistrict();
}

/** Each tracked asset's state at the slider's time; those not in service are listed. */
function renderAssets() {
  const list = $("#assets-down");
  const tl = state.timeline;
  const now = tl.times_h[state.step];
  const down = [];
  for (const a of tl.assets) {
    let current = "in_service";
    for (const c of a.changes) if (c.t_h <= now + 1e-9) current = c.state;
    if (!NORMAL_STATES.includes(current)) down.push([a, current]);
  }
  list.replaceChildren(...(down.length
    ? down.map(([a, s]) => h("li", {}, a.name ? `${a.name} (${a.asset})` : a.asset, " ", h("span", { class: "state" }, t(`state_${s}`))))
    : [h("li", { class: "hint" }, t("none_down"))]));
}

function selectDistrict(name) {
  state.selected = name;
  renderMap();
}

/** A tick spacing in hours giving at most about eight ticks over `span` hours. */
function hourStep(span) {
  return [1, 2, 3, 6, 12, 24, 48, 168].find((s) => span / s <= 8) || 336;
}

/** A line chart of shares 0–1 over time, with the slider's time marked. */
function lineChart(times, series, marker, width = 420, height = 150) {
  const left = 34, bottom = 18, top = 6;
  const xMax = times[times.length - 1] || 1;
  const x = (v) => left + (v / xMax) * (width - left - 6);
  const y = (v) => top + (1 - v) * (height - top - bottom);
  const svg = h("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  for (const v of [0, 0.5, 1]) {
    svg.append(h("line", { class: "axis", x1: left, x2: width - 6, y1: y(v), y2: y(v), "stroke-opacity": v ? 0.3 : 1 }),
      h("text", { x: left - 4, y: y(v) + 4, "text-anchor": "end" }, `${v * 100}%`));
  }
  for (let v = 0; v <= xMax + 1e-9; v += hourStep(xMax)) {
    svg.append(h("text", { x: x(v), y: height - 4, "text-anchor": "middle" }, `${Math.round(v)} ${t("hours")}`));
  }
  for (const s of series) {
    svg.append(h("polyline", { class: s.class, points: times.map((tt, i) => `${x(tt).toFixed(1)},${y(s.values[i]).toFixed(1)}`).join(" ") }));
  }
  if (marker !== null && marker !== undefined) {
    svg.append(h("line", { class: "now", x1: x(marker), x2: x(marker), y1: top, y2: height - bottom }));
  }
  return svg;
}

function renderDistrict() {
  const panel = $("#district-panel");
  const tl = state.timeline;
  const d = tl && state.selected && tl.districts.find((x) => x.name === state.selected);
  if (!d) {
    panel.replaceChildren(h("p", { class: "hint" }, t("click_district")));
    return;
  }
  const k = state.step;
  const when = (h_) => (h_ === null || h_ === undefined ? t("never") : timeLabel(h_));
  panel.replaceChildren(
    h("h3", { id: "district-name" }, d.name),
    h("dl", { class: "stats" },
      h("dt", {}, t("population")), h("dd", {}, fmt(d.population)),
      h("dt", {}, t("customers")), h("dd", {}, fmt(d.customers)),
      h("dt", {}, t("now_power")), h("dd", { id: "district-power" }, `${fmt(d.customers_without_power[k])} (${pct(districtShare(d, k, "power"))})`),
      h("dt", {}, t("now_water")), h("dd", { id: "district-water" }, `${fmt(d.people_without_water[k])} (${pct(districtShare(d, k, "water"))})`),
      h("dt", {}, t("power_back")), h("dd", {}, d.customers_without_power.some((v) => v > 0) ? when(d.power_restored_h) : t("never_cut")),
      h("dt", {}, t("water_back")), h("dd", {}, d.people_without_water.some((v) => v > 0) ? when(d.water_restored_h) : t("never_cut")),
    ),
    h("div", { class: "mini" },
      h("div", { class: "hint" }, t("over_time")),
      lineChart(tl.times_h, [
        { class: "line-power", values: tl.times_h.map((_, i) => districtShare(d, i, "power")) },
        { class: "line-water", values: tl.times_h.map((_, i) => districtShare(d, i, "water")) },
      ], tl.times_h[k]),
      h("div", { class: "key" }, h("span", { class: "power" }, t("mode_power")), h("span", { class: "water" }, t("mode_water"))),
    ),
  );
}

// ---------------------------------------------------------------- repairs

function renderRepairs() {
  const status = $("#plan-status");
  const curve = $("#restoration-curve");
  const gantt = $("#crew-timeline");
  const table = $("#planners");
  if (!state.plan) {
    status.textContent = state.planError ? t("plan_failed", { e: state.planError }) : (state.job ? t("planning") : t("no_scenario"));
    curve.replaceChildren(); gantt.replaceChildren(); table.replaceChildren();
    return;
  }
  const plan = state.plan;
  status.textContent = t("plan_headline", { scenario: plan.scenario, assets: plan.damaged_assets, crews: plan.crews.length, chosen: plan.chosen, done: `${plan.planners.find((p) => p.name === plan.chosen).makespan_h.toFixed(0)} ${t("hours")}` });
  const customers = (state.timeline && state.timeline.customers) || Math.max(...plan.curve.map((c) => c.customers_with_power), 1);
  const population = (state.timeline && state.timeline.population) || Math.max(...plan.curve.map((c) => c.people_with_water), 1);
  const times = plan.curve.map((c) => c.t_h);
  curve.replaceChildren(
    lineChart(times, [
      { class: "line-power", values: plan.curve.map((c) => c.customers_with_power / customers) },
      { class: "line-water", values: plan.curve.map((c) => c.people_with_water / population) },
    ], null, 900, 240),
    h("div", { class: "key" }, h("span", { class: "power" }, t("share_with_power")), h("span", { class: "water" }, t("share_with_water"))),
  );
  // Crews' jobs: travel in grey, waiting dashed, repairs coloured by skill; a repair's
  // tooltip names it.
  const named = (job) => (job.name ? `${job.name} (${job.asset})` : job.asset);
  const crews = plan.crews;
  const end = Math.max(1, ...plan.jobs.map((j) => j.end_h));
  const width = 900, left = 52, row = 26, top = 18;
  const height = top + crews.length * row + 6;
  const x = (v) => left + (v / end) * (width - left - 8);
  const svg = h("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  for (let v = 0; v <= end; v += hourStep(end)) {
    svg.append(h("line", { class: "grid-line", x1: x(v), x2: x(v), y1: top - 4, y2: height }),
      h("text", { x: x(v), y: 11, "text-anchor": "middle" }, `${v} ${t("hours")}`));
  }
  crews.forEach((crew, i) => {
    const y = top + i * row;
    svg.append(h("text", { x: 4, y: y + 16 }, crew));
    for (const job of plan.jobs.filter((j) => j.crew === crew)) {
      const water = /^(pump_station|pipe|tank)/.test(job.asset);
      const arrive = Math.min(job.start_h, job.depart_h + job.travel_h);
      if (arrive > job.depart_h) {
        svg.append(h("rect", { class: "travel", x: x(job.depart_h), y: y + 6, width: Math.max(1, x(arrive) - x(job.depart_h)), height: 12 },
          h("title", {}, `${crew}: ${t("travel")} ${job.depart_h.toFixed(1)}–${arrive.toFixed(1)} ${t("hours")}`)));
      }
      if (job.start_h > arrive + 1e-6) {
        svg.append(h("rect", { class: "waiting", x: x(arrive), y: y + 8, width: Math.max(1, x(job.start_h) - x(arrive)), height: 8 },
          h("title", {}, `${crew}: ${t("waiting")} ${arrive.toFixed(1)}–${job.start_h.toFixed(1)} ${t("hours")}`)));
      }
      const w = Math.max(2, x(job.end_h) - x(job.start_h));
      svg.append(h("rect", { class: water ? "repair-water" : "repair-power", x: x(job.start_h), y: y + 3, width: w, height: 18, rx: 3, "data-asset": job.asset },
        h("title", {}, `${crew}: ${named(job)} ${job.start_h.toFixed(1)}–${job.end_h.toFixed(1)} ${t("hours")}`)));
      if (w > 40) svg.append(h("text", { class: "bar-label", x: x(job.start_h) + 3, y: y + 16 }, job.asset));
    }
  });
  gantt.replaceChildren(svg, h("div", { class: "key" },
    h("span", { class: "bar-power" }, t("power_repair")), h("span", { class: "bar-water" }, t("water_repair")),
    h("span", { class: "bar-travel" }, t("travel")), h("span", { class: "bar-waiting" }, t("waiting_short"))));
  table.replaceChildren(
    h("tr", {}, h("th", {}, t("planner")), h("th", { class: "num" }, t("objective")), h("th", { class: "num" }, t("makespan")), h("th", { class: "num" }, t("runtime"))),
    ...plan.planners.map((p) => h("tr", {},
      h("td", {}, p.name, p.name === plan.chosen ? h("span", { class: "badge confirmed" }, ` ${t("chosen")}`) : null),
      h("td", { class: "num" }, fmt(p.objective)),
      h("td", { class: "num" }, `${p.makespan_h.toFixed(1)} ${t("hours")}`),
      h("td", { class: "num" }, `${p.runtime_ms.toFixed(0)} ms`))),
  );
}

// ---------------------------------------------------------------- outage schedule

function renderSchedule() {
  const grid = $("#schedule-grid");
  const s = state.schedule;
  if (!s) { grid.replaceChildren(); return; }
  const head1 = h("tr", {}, h("th", { class: "group" }, ""));
  const head2 = h("tr", {}, h("th", { class: "group" }, t("group")));
  let lastDay = "";
  s.slots.forEach((slot) => {
    const day = slot.start.slice(0, 10);
    const hour = slot.start.slice(11, 13);
    if (day !== lastDay) {
      const count = s.slots.filter((x) => x.start.slice(0, 10) === day).length;
      head1.append(h("th", { class: "day", colspan: count }, day));
      lastDay = day;
    }
    head2.append(h("th", {}, slot.start.slice(14, 16) === "00" ? hour : ""));
  });
  const rows = s.groups.map((g) => h("tr", { "data-group": g.id, class: g.critical ? "critical" : "" },
    h("th", { class: "group" }, g.critical ? `${g.id} ✓` : g.id),
    ...g.states.map((st, i) => h("td", { class: st, title: `${g.id} ${s.slots[i].start.slice(0, 16).replace("T", " ")}: ${t(st)}` }))));
  grid.replaceChildren(head1, head2, ...rows);
  $("#schedule-figures").textContent = s.figures.map((f) => t("figures", {
    name: t(f.name), shed: f.over_shed_mwh.toFixed(0), unc: f.uncovered_mwh.toFixed(0),
    long: (f.longest_off_slots * s.slot_minutes / 60).toFixed(0),
  })).join(" · ");
  const names = [...new Set(s.groups.flatMap((g) => g.districts.map((d) => d.name)))].sort();
  $("#district-names").replaceChildren(...names.map((n) => h("option", { value: n })));
  findGroup();
}

function calendarUrl(group) {
  const q = new URLSearchParams({ max_off: $("#max-off").value, min_on: $("#min-on").value });
  return `/api/scenarios/${state.job}/schedule/calendars/${encodeURIComponent(group)}?${q}`;
}

/** Runs of off slots of a group: [[from, to), …]. */
function outagesOf(states) {
  const runs = [];
  states.forEach((st, i) => {
    if (st !== "off") return;
    const last = runs[runs.length - 1];
    if (last && last[1] === i) last[1] = i + 1; else runs.push([i, i + 1]);
  });
  return runs;
}

function findGroup() {
  const out = $("#find-group-result");
  const query = $("#find-group").value.trim().toLowerCase();
  for (const row of $$("#schedule-grid tr[data-group]")) row.classList.remove("mine");
  const s = state.schedule;
  if (!query || !s) { out.replaceChildren(); return; }
  const names = [...new Set(s.groups.flatMap((g) => g.districts.map((d) => d.name)))].sort();
  const name = names.find((n) => n.toLowerCase() === query) || names.find((n) => n.toLowerCase().startsWith(query));
  if (!name) {
    out.replaceChildren(h("p", { class: "error" }, t("no_district", { d: $("#find-group").value.trim(), list: names.join(", ") })));
    return;
  }
  const hits = s.groups.filter((g) => g.districts.some((d) => d.name === name));
  for (const g of hits) $(`#schedule-grid tr[data-group="${CSS.escape(g.id)}"]`)?.classList.add("mine");
  // Outages by day: "2024-03-22: 05:00–06:00, 08:00–12:00".
  const clock = (i) => (i < s.slots.length ? s.slots[i].start.slice(11, 16) : "…");
  const byDay = (runs) => {
    const days = new Map();
    for (const [a, b] of runs) {
      const day = s.slots[a].start.slice(0, 10);
      days.set(day, [...(days.get(day) || []), `${clock(a)}–${clock(b)}`]);
    }
    return [...days].map(([day, spans]) => h("div", {}, h("b", {}, `${day}: `), spans.join(", ")));
  };
  out.replaceChildren(
    h("p", {}, h("b", {}, t("district_groups", { d: name }))),
    ...hits.map((g) => {
      const share = g.districts.find((d) => d.name === name).share;
      const runs = outagesOf(g.states).slice(0, 8);
      return h("div", { class: "group-hit", "data-group": g.id },
        h("b", {}, `${t("group")} ${g.id}`), ` (${t("share_of_district", { s: Math.round(share * 100) })})`,
        h("a", { class: "ics", href: calendarUrl(g.id), download: `group-${g.id}.ics`, "data-group": g.id }, `⤓ ${t("calendar")}`),
        h("div", { class: "hint" }, `${t("next_outages")}:`, runs.length ? byDay(runs) : ` ${t("no_outages")}`));
    }),
  );
}

// ---------------------------------------------------------------- incidents

function incidentRow(inc) {
  const place = [inc.place?.settlement, inc.place?.admin1].filter(Boolean).join(", ") || inc.place?.country || "";
  const weapons = (inc.weapons || []).map((w) => t(w.class) + (w.launched ? ` ×${w.launched}` : "")).join(", ");
  const actions = h("td", {});
  if (inc.status !== "confirmed") actions.append(h("button", { type: "button", class: "secondary", onclick: () => setStatus(inc.id, "confirm") }, t("confirm")));
  if (inc.status !== "retracted") actions.append(" ", h("button", { type: "button", class: "secondary", onclick: () => setStatus(inc.id, "retract") }, t("retract")));
  return h("tr", { "data-id": inc.id },
    h("td", {}, inc.id), h("td", {}, inc.start), h("td", {}, place), h("td", {}, inc.sub_event_type || inc.event_type),
    h("td", {}, weapons), h("td", { class: "num" }, inc.killed ?? "–"), h("td", { class: "num" }, inc.injured ?? "–"),
    h("td", {}, h("span", { class: `badge ${inc.status}` }, t(inc.status))), actions);
}

/** Incidents per page of the list; "Show more" fetches the next. */
const INCIDENT_PAGE = 200;

async function loadIncidents() {
  const q = new URLSearchParams({ limit: String(INCIDENT_PAGE) });
  for (const [key, sel] of [["status", "#filter-status"], ["from", "#filter-from"], ["to", "#filter-to"], ["admin1", "#filter-admin1"]]) {
    const v = $(sel).value.trim();
    if (v) q.set(key, v);
  }
  const table = $("#incident-list");
  try {
    const page = await api(`/api/incidents?${q}`);
    table.replaceChildren(
      h("tr", {}, ...["", "date", "place", "type", "weapons", "killed", "injured", "status", "actions"].map((k) => h("th", {}, k ? t(k) : "#"))),
      ...(page.incidents.length ? page.incidents.map(incidentRow) : [h("tr", {}, h("td", { colspan: 9, class: "hint" }, t("no_incidents")))]),
    );
    appendMore(table, q, page.next_cursor);
  } catch (e) {
    table.replaceChildren(h("tr", {}, h("td", { class: "error" }, e.message)));
  }
}

/** A "Show more" row after the list while the registry has more pages. */
function appendMore(table, q, cursor) {
  if (!cursor) return;
  const row = h("tr", { class: "more" }, h("td", { colspan: 9 },
    h("button", { type: "button", class: "secondary", onclick: async () => {
      q.set("cursor", cursor);
      try {
        const page = await api(`/api/incidents?${q}`);
        row.replaceWith(...page.incidents.map(incidentRow));
        appendMore(table, q, page.next_cursor);
      } catch (e) { alert(e.message); }
    } }, t("more_incidents"))));
  table.append(row);
}

async function setStatus(id, action) {
  if (!token()) { alert(t("need_token")); return; }
  try { await api(`/api/incidents/${encodeURIComponent(id)}/${action}`, writeOptions("POST")); await loadIncidents(); }
  catch (e) { alert(e.message); }
}

function buildIncidentForm() {
  const form = $("#incident-form");
  const field = (name, input) => h("label", {}, h("span", {}, t(name)), input);
  const checks = (name, values) => h("fieldset", { "data-name": name }, h("legend", {}, t(name)),
    ...values.map((v) => h("label", {}, h("input", { type: "checkbox", name, value: v }), t(v))));
  form.replaceChildren(
    h("div", { class: "pair" },
      field("date", h("input", { type: "date", name: "start", required: true })),
      field("settlement", h("input", { name: "settlement" }))),
    h("div", { class: "pair" },
      field("admin1", h("input", { name: "admin1" })),
      field("country", h("input", { name: "country", value: "Ukraine" }))),
    h("div", { class: "pair" },
      field("event_type", h("select", { name: "sub_event_type" }, ...SUB_EVENT_TYPES.map((s) => h("option", { value: s }, s)))),
      field("weapon", h("select", { name: "weapon" }, h("option", { value: "" }, "—"), ...WEAPON_CLASSES.map((w) => h("option", { value: w }, t(w)))))),
    h("div", { class: "pair" },
      field("launched", h("input", { type: "number", min: 0, name: "launched" })),
      field("intercepted", h("input", { type: "number", min: 0, name: "intercepted" }))),
    h("div", { class: "pair" },
      field("explosions", h("input", { type: "number", min: 0, name: "explosions" })),
      field("killed", h("input", { type: "number", min: 0, name: "killed" }))),
    h("div", { class: "pair" },
      field("injured", h("input", { type: "number", min: 0, name: "injured" })),
      field("confidence", h("select", { name: "confidence" }, ...["medium", "low", "high"].map((c) => h("option", { value: c }, t(c)))))),
    checks("targets", TARGETS),
    checks("effects", EFFECTS),
    h("div", { class: "pair" },
      field("source", h("input", { name: "publisher" })),
      field("source_url", h("input", { type: "url", name: "url" }))),
    field("notes", h("textarea", { name: "notes", rows: 2 })),
    h("div", {}, h("button", { type: "submit" }, t("save"))),
  );
}

/** The record the form describes. */
function formRecord(form) {
  const v = (name) => form.elements[name].value.trim();
  const n = (name) => (v(name) === "" ? null : Number(v(name)));
  const checked = (name) => $$(`#incident-form input[name=${name}]:checked`).map((c) => c.value);
  const record = {
    start: v("start"),
    place: { settlement: v("settlement") || null, admin1: v("admin1") || null, country: v("country") || null },
    event_type: EVENT_TYPES[0],
    sub_event_type: v("sub_event_type"),
    explosions: n("explosions"), killed: n("killed"), injured: n("injured"),
    targets: checked("targets").map((category) => ({ category })),
    effects: checked("effects"),
    confidence: v("confidence"),
    notes: v("notes") || null,
    sources: v("publisher") ? [{ publisher: v("publisher"), url: v("url") || null }] : [],
  };
  if (v("weapon")) record.weapons = [{ class: v("weapon"), launched: n("launched"), intercepted: n("intercepted") }];
  return record;
}

/** Marks the input behind an API error's field (`place.settlement`, `killed`, …). */
function markField(form, field) {
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  if (!field) return;
  const last = field.replace(/\[\d+\]/g, "").split(".").pop();
  const map = { start: "start", settlement: "settlement", admin1: "admin1", country: "country", launched: "launched", intercepted: "intercepted", class: "weapon", publisher: "publisher", url: "url" };
  const el = form.elements[map[last] || last];
  if (el && el.setAttribute) { el.setAttribute("aria-invalid", "true"); el.focus(); }
}

async function submitIncident(e) {
  e.preventDefault();
  const form = e.target;
  const out = $("#incident-form-result");
  if (!token()) { out.className = "error"; out.textContent = t("need_token"); return; }
  try {
    const saved = await api("/api/incidents", writeOptions("POST", formRecord(form)));
    markField(form, null);
    out.className = "ok";
    out.textContent = t("saved", { id: saved.id });
    form.reset();
    await loadIncidents();
  } catch (err) {
    out.className = "error";
    out.textContent = err.message;
    markField(form, err.field);
  }
}

async function extractDrafts(e) {
  e.preventDefault();
  const box = $("#drafts");
  const body = { text: $("#paste-text").value };
  if ($("#paste-date").value) body.date = $("#paste-date").value;
  if ($("#paste-publisher").value.trim()) body.publisher = $("#paste-publisher").value.trim();
  box.replaceChildren(h("p", { class: "hint" }, t("loading")));
  try {
    state.drafts = await api("/api/incidents/extract", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    renderDrafts();
  } catch (err) {
    box.replaceChildren(h("p", { class: "error" }, err.message));
  }
}

function renderDrafts() {
  const box = $("#drafts");
  if (!state.drafts.length) { box.replaceChildren(h("p", { class: "hint" }, t("no_drafts"))); return; }
  box.replaceChildren(
    h("p", { class: "hint" }, t("drafts_found", { n: state.drafts.length })),
    ...state.drafts.map((draft, i) => {
      const r = draft.record;
      const place = [r.place?.settlement, r.place?.admin1, r.place?.country].filter(Boolean).join(", ");
      const facts = [
        r.explosions !== null && r.explosions !== undefined ? `${t("explosions")}: ${r.explosions}` : null,
        r.killed !== null && r.killed !== undefined ? `${t("killed")}: ${r.killed}` : null,
        r.injured !== null && r.injured !== undefined ? `${t("injured")}: ${r.injured}` : null,
        (r.weapons || []).length ? `${t("weapons")}: ${r.weapons.map((w) => t(w.class) + (w.launched ? ` ×${w.launched}` : "") + (w.intercepted ? ` (${t("intercepted").toLowerCase()} ${w.intercepted})` : "")).join(", ")}` : null,
        (r.targets || []).length ? `${t("targets")}: ${r.targets.map((x) => t(x.category)).join(", ")}` : null,
        (r.effects || []).length ? `${t("effects")}: ${r.effects.map((x) => t(x)).join(", ")}` : null,
      ].filter(Boolean);
      return h("div", { class: "draft", "data-draft": i },
        h("h4", {}, `${r.start} · ${place}`),
        h("div", {}, facts.join(" · ")),
        h("details", {}, h("summary", {}, t("evidence")),
          h("ul", { class: "evidence" }, ...draft.evidence.map((ev) => h("li", {}, h("b", {}, `${ev.field}: ${ev.value}`), ` — ${ev.sentence}`)))),
        h("button", { type: "button", class: "save-draft", onclick: (ev) => saveDraft(i, ev.target) }, t("save_draft")),
        h("span", { class: "result" }));
    }),
  );
}

async function saveDraft(i, button) {
  const result = button.parentElement.querySelector(".result");
  if (!token()) { result.className = "result error"; result.textContent = ` ${t("need_token")}`; return; }
  button.disabled = true;
  try {
    const saved = await api("/api/incidents", writeOptions("POST", state.drafts[i].record));
    result.className = "result ok";
    result.textContent = ` ${t("saved", { id: saved.id })}`;
    await loadIncidents();
  } catch (err) {
    button.disabled = false;
    result.className = "result error";
    result.textContent = ` ${err.message}`;
  }
}

// ---------------------------------------------------------------- scenario jobs

async function loadJobs() {
  const jobs = await api("/api/scenarios");
  const select = $("#scenario-select");
  const current = state.job;
  select.replaceChildren(...jobs.map((j) => h("option", { value: j.id }, `${j.id}: ${j.scenario}`)));
  if (!jobs.length) { state.job = null; return jobs; }
  const done = jobs.filter((j) => j.state === "done");
  state.job = current && jobs.some((j) => j.id === current) ? current
    : (done.length ? done[done.length - 1] : jobs[jobs.length - 1]).id;
  select.value = String(state.job);
  return jobs;
}

let polling = null;

/** Loads the selected job: waits for its run with a progress bar, then its plan. */
async function loadJob() {
  clearTimeout(polling);
  const id = state.job;
  if (!id) { renderAll(); return; }
  const job = await api(`/api/scenarios/${id}`);
  const bar = $("#job-progress");
  if (job.state === "running") {
    bar.hidden = false;
    bar.querySelector(".bar").style.width = `${Math.round(job.progress * 100)}%`;
    bar.querySelector(".text").textContent = t("running", { p: Math.round(job.progress * 100) });
    polling = setTimeout(loadJob, 500);
    return;
  }
  bar.hidden = true;
  if (job.state === "failed") {
    state.timeline = null;
    $("#plan-status").textContent = job.error;
    renderAll();
    return;
  }
  if (!state.timeline || state.timeline.id !== id) {
    state.timeline = await api(`/api/scenarios/${id}/timeline`);
    state.step = Math.min(state.step, state.timeline.times_h.length - 1);
    const slider = $("#time-slider");
    slider.max = String(state.timeline.times_h.length - 1);
    if (state.step === 0) {
      // Start at the worst hour for power: where the story is.
      const worst = state.timeline.customers_without_power;
      state.step = worst.indexOf(Math.max(...worst));
    }
    slider.value = String(state.step);
    await loadSchedule();
  }
  state.plan = null;
  state.planError = null;
  if (job.plan === "done") state.plan = await api(`/api/scenarios/${id}/plan`);
  else if (job.plan === "failed") state.planError = job.plan_error;
  else polling = setTimeout(loadJob, 1000);
  renderAll();
}

async function loadSchedule() {
  if (!state.job) return;
  const q = new URLSearchParams({ max_off: $("#max-off").value, min_on: $("#min-on").value });
  try {
    state.schedule = await api(`/api/scenarios/${state.job}/schedule?${q}`);
    $("#schedule-figures").classList.remove("error");
  } catch (e) {
    state.schedule = null;
    $("#schedule-figures").textContent = e.message;
    $("#schedule-figures").classList.add("error");
  }
  renderSchedule();
}

/** Posts a scenario file: the server runs it in the background; the dashboard follows it. */
async function runScenario(e) {
  e.preventDefault();
  const out = $("#run-result");
  if (!token()) { out.className = "error"; out.textContent = t("need_token"); return; }
  try {
    const job = await api("/api/scenarios", {
      method: "POST",
      headers: { "content-type": "application/toml", authorization: `Bearer ${token()}` },
      body: $("#run-text").value,
    });
    out.className = "ok";
    out.textContent = t("run_started", { id: job.id });
    state.job = job.id;
    state.timeline = null;
    state.step = 0;
    await loadJobs();
    await loadJob();
  } catch (err) {
    out.className = "error";
    out.textContent = err.message;
  }
}

// ---------------------------------------------------------------- wiring

function renderAll() {
  renderMap();
  renderRepairs();
  renderSchedule();
  if (state.drafts.length) renderDrafts();
}

function showTab(name) {
  for (const b of $$(".tabs button")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
  for (const s of $$(".tab")) s.hidden = s.id !== `tab-${name}`;
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
}

let playing = null;

function togglePlay() {
  const slider = $("#time-slider");
  if (playing) { clearInterval(playing); playing = null; $("#play").textContent = "▶"; return; }
  $("#play").textContent = "⏸";
  playing = setInterval(() => {
    const next = (Number(slider.value) + 1) % (Number(slider.max) + 1);
    slider.value = String(next);
    state.step = next;
    renderMap();
  }, 400);
}

async function start() {
  $("#token").value = sessionStorage.getItem("lifeline.token") || "";
  $("#token").addEventListener("change", () => sessionStorage.setItem("lifeline.token", token()));
  for (const b of $$(".lang button")) b.addEventListener("click", () => { lang = b.dataset.lang; localStorage.setItem("lifeline.lang", lang); buildIncidentForm(); applyLanguage(); });
  for (const b of $$(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  for (const b of $$(".mode button")) b.addEventListener("click", () => { state.mode = b.dataset.mode; renderMap(); });
  $("#time-slider").addEventListener("input", (e) => { state.step = Number(e.target.value); renderMap(); });
  $("#play").addEventListener("click", togglePlay);
  $("#scenario-select").addEventListener("change", (e) => { state.job = Number(e.target.value); state.step = 0; loadJob(); });
  $("#schedule-form").addEventListener("submit", (e) => { e.preventDefault(); loadSchedule(); });
  $("#find-form").addEventListener("submit", (e) => { e.preventDefault(); findGroup(); });
  $("#find-group").addEventListener("input", findGroup);
  $("#incident-filters").addEventListener("submit", (e) => { e.preventDefault(); loadIncidents(); });
  $("#incident-form").addEventListener("submit", submitIncident);
  $("#paste-form").addEventListener("submit", extractDrafts);
  $("#run-form").addEventListener("submit", runScenario);
  buildIncidentForm();
  const tab = location.hash.slice(1);
  showTab(["map", "repairs", "outages", "incidents"].includes(tab) ? tab : "map");
  applyLanguage();
  try {
    state.city = await api("/api/city");
    $("#city-name").textContent = state.city.name;
    document.title = `lifeline · ${state.city.name}`;
    buildMap();
    await loadJobs();
    await loadJob();
  } catch (e) {
    $("#district-panel").replaceChildren(h("p", { class: "error" }, e.message));
  }
  loadIncidents();
  document.body.dataset.ready = "true";
}

start();
