// The rolling outage schedule of the selected run: groups by slot, the rules' inputs,
// "find my group" and a calendar per group.
import { api, isAbort } from "./api.js";
import { $, $$, h } from "./dom.js";
import { t } from "./i18n.js";
import { begin, state } from "./state.js";
import { member, parameterDefault, values } from "./vocabulary.js";

const SCHEDULE = "/api/scenarios/{id}/schedule";

/** The rules' inputs at the server's defaults, and the key of the slot states. */
export function buildScheduleForm() {
  $("#max-off").value = String(parameterDefault(SCHEDULE, "max_off"));
  $("#min-on").value = String(parameterDefault(SCHEDULE, "min_on"));
  $("#slot-legend").replaceChildren(...values("SlotState").flatMap((st, i) => [
    ...(i ? [" "] : []), h("span", { class: `cell ${st}` }), h("span", { "data-i18n": st }, t(st)),
  ]));
}

function rulesQuery() {
  return new URLSearchParams({ max_off: $("#max-off").value, min_on: $("#min-on").value });
}

/** Loads the selected job's schedule under the form's rules; a newer load, or another
 *  job selected meanwhile, makes this one's answer ignored. */
export async function loadSchedule() {
  const job = state.job;
  const load = begin("schedule");
  if (!job) return;
  const figures = $("#schedule-figures");
  try {
    const schedule = await api(`/api/scenarios/${job}/schedule?${rulesQuery()}`, { signal: load.signal });
    if (!load.current() || state.job !== job) return;
    state.schedule = schedule;
    figures.classList.remove("error");
  } catch (e) {
    if (isAbort(e) || !load.current() || state.job !== job) return;
    state.schedule = null;
    figures.textContent = e.message;
    figures.classList.add("error");
  }
  state.scheduleJob = job;
  renderSchedule();
}

/** The selected job's schedule: a group × slot table, the figures, the district names. */
export function renderSchedule() {
  const grid = $("#schedule-grid");
  const s = state.scheduleJob === state.job ? state.schedule : null;
  grid.dataset.job = s ? String(state.scheduleJob) : "";
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
  return `/api/scenarios/${state.scheduleJob}/schedule/calendars/${encodeURIComponent(group)}?${rulesQuery()}`;
}

/** Runs of off slots of a group: [[from, to), …]. */
function outagesOf(states) {
  const off = member("SlotState", "off");
  const runs = [];
  states.forEach((st, i) => {
    if (st !== off) return;
    const last = runs[runs.length - 1];
    if (last && last[1] === i) last[1] = i + 1; else runs.push([i, i + 1]);
  });
  return runs;
}

/** Marks the groups of the district typed in "find my group" and lists their outages. */
export function findGroup() {
  const out = $("#find-group-result");
  const query = $("#find-group").value.trim().toLowerCase();
  for (const row of $$("#schedule-grid tr[data-group]")) row.classList.remove("mine");
  const s = state.scheduleJob === state.job ? state.schedule : null;
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
