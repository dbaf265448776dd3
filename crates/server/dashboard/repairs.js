// The restoration plan of the selected run: the curve of service coming back, each
// crew's travel and repairs, and the planners side by side.
import { $, h } from "./dom.js";
import { fmt, t } from "./i18n.js";
import { hourStep, lineChart } from "./chart.js";
import { state } from "./state.js";
import { values } from "./vocabulary.js";

/** The selected job's plan: headline, restoration curve, crews' jobs, planners. */
export function renderRepairs() {
  const status = $("#plan-status");
  const curve = $("#restoration-curve");
  const gantt = $("#crew-timeline");
  const table = $("#planners");
  gantt.dataset.job = state.plan && state.planJob === state.job ? String(state.planJob) : "";
  const mine = state.planJob === state.job;
  if (!mine || !state.plan) {
    status.textContent = mine && state.planError ? t("plan_failed", { e: state.planError }) : (state.job ? t("planning") : t("no_scenario"));
    curve.replaceChildren(); gantt.replaceChildren(); table.replaceChildren();
    return;
  }
  const plan = state.plan;
  status.textContent = t("plan_headline", { scenario: plan.scenario, assets: plan.damaged_assets, crews: plan.crews.length, chosen: plan.chosen, done: `${plan.planners.find((p) => p.name === plan.chosen).makespan_h.toFixed(0)} ${t("hours")}` });
  const timeline = state.timeline && state.timeline.id === state.job ? state.timeline : null;
  const customers = (timeline && timeline.customers) || Math.max(...plan.curve.map((c) => c.customers_with_power), 1);
  const population = (timeline && timeline.population) || Math.max(...plan.curve.map((c) => c.people_with_water), 1);
  const times = plan.curve.map((c) => c.t_h);
  curve.replaceChildren(
    lineChart(times, [
      { class: "line-power", values: plan.curve.map((c) => c.customers_with_power / customers) },
      { class: "line-water", values: plan.curve.map((c) => c.people_with_water / population) },
    ], null, 900, 240),
    h("div", { class: "key" }, h("span", { class: "power" }, t("share_with_power")), h("span", { class: "water" }, t("share_with_water"))),
  );
  // Crews' jobs: travel in grey, repairs coloured by the skill they need; a repair's
  // tooltip names it. A crew sets out only when its repair can start on arrival.
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
      const arrive = Math.min(job.start_h, job.depart_h + job.travel_h);
      if (arrive > job.depart_h) {
        svg.append(h("rect", { class: "travel", x: x(job.depart_h), y: y + 6, width: Math.max(1, x(arrive) - x(job.depart_h)), height: 12 },
          h("title", {}, `${crew}: ${t("travel")} ${job.depart_h.toFixed(1)}–${arrive.toFixed(1)} ${t("hours")}`)));
      }
      const w = Math.max(2, x(job.end_h) - x(job.start_h));
      svg.append(h("rect", { class: `repair-${job.skill}`, x: x(job.start_h), y: y + 3, width: w, height: 18, rx: 3, "data-asset": job.asset },
        h("title", {}, `${crew}: ${named(job)} ${job.start_h.toFixed(1)}–${job.end_h.toFixed(1)} ${t("hours")}`)));
      if (w > 40) svg.append(h("text", { class: "bar-label", x: x(job.start_h) + 3, y: y + 16 }, job.asset));
    }
  });
  gantt.replaceChildren(svg, h("div", { class: "key" },
    ...values("Skill").map((skill) => h("span", { class: `bar-${skill}` }, t(`${skill}_repair`))),
    h("span", { class: "bar-travel" }, t("travel"))));
  table.replaceChildren(
    h("tr", {}, h("th", {}, t("planner")), h("th", { class: "num" }, t("objective")), h("th", { class: "num" }, t("makespan")), h("th", { class: "num" }, t("runtime"))),
    ...plan.planners.map((p) => h("tr", {},
      h("td", {}, p.name, p.name === plan.chosen ? h("span", { class: "badge confirmed" }, ` ${t("chosen")}`) : null),
      h("td", { class: "num" }, fmt(p.objective)),
      h("td", { class: "num" }, `${p.makespan_h.toFixed(1)} ${t("hours")}`),
      h("td", { class: "num" }, `${p.runtime_ms.toFixed(0)} ms`))),
  );
}
