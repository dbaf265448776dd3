// The city's map over the selected run: districts coloured by the share without power
// or water at the slider's time, the totals, the assets down and a district's panel.
import { $, $$, h } from "./dom.js";
import { fmt, pct, t, timeLabel } from "./i18n.js";
import { lineChart } from "./chart.js";
import { state } from "./state.js";
import { values } from "./vocabulary.js";

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

/** The selected job's timeline, if loaded: another job's is never shown. */
const shownTimeline = () => (state.timeline && state.timeline.id === state.job ? state.timeline : null);

/** Draws the city's districts; `renderMap` colours them for the selected time. */
export function buildMap() {
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

/** Colours the map, its legend and totals for the slider's time of the shown timeline. */
export function renderMap() {
  const tl = shownTimeline();
  const k = state.step;
  $("#map").dataset.job = tl ? String(tl.id) : "";
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
  $("#time-label").textContent = timeLabel(tl.start, tl.times_h[k]);
  $("#totals-power").textContent = fmt(tl.customers_without_power[k]);
  $("#totals-water").textContent = fmt(tl.people_without_water[k]);
  // The normal day's own shortfall, where there is one: the figures are beyond it.
  const normal = tl.summary && tl.summary.baseline;
  const note = $("#baseline-note");
  const short = normal && (normal.peak_people_without_water > 0 || normal.peak_customers_without_power > 0);
  note.hidden = !short;
  note.textContent = short ? t("baseline_note", { water: fmt(normal.peak_people_without_water), power: fmt(normal.peak_customers_without_power) }) : "";
  renderAssets();
  renderDistrict();
}

/** Each tracked asset's state at the slider's time; those not in service are listed. */
function renderAssets() {
  const list = $("#assets-down");
  const tl = shownTimeline();
  const now = tl.times_h[state.step];
  const normal = values("NormalAssetState");
  const down = [];
  for (const a of tl.assets) {
    // A timeline starts with the asset's state at time 0.
    let current = a.changes[0]?.state;
    for (const c of a.changes) if (c.t_h <= now + 1e-9) current = c.state;
    if (current !== undefined && !normal.includes(current)) down.push([a, current]);
  }
  list.replaceChildren(...(down.length
    ? down.map(([a, s]) => h("li", {}, a.name ? `${a.name} (${a.asset})` : a.asset, " ", h("span", { class: "state" }, t(`state_${s}`))))
    : [h("li", { class: "hint" }, t("none_down"))]));
}

function selectDistrict(name) {
  state.selected = name;
  renderMap();
}

function renderDistrict() {
  const panel = $("#district-panel");
  const tl = shownTimeline();
  const d = tl && state.selected && tl.districts.find((x) => x.name === state.selected);
  if (!d) {
    panel.replaceChildren(h("p", { class: "hint" }, t("click_district")));
    return;
  }
  const k = state.step;
  const when = (h_) => (h_ === null || h_ === undefined ? t("never") : timeLabel(tl.start, h_));
  panel.replaceChildren(
    h("h3", { id: "district-name" }, d.name),
    h("dl", { class: "stats" },
      h("dt", {}, t("population")), h("dd", {}, fmt(d.population)),
      h("dt", {}, t("customers")), h("dd", {}, fmt(d.customers)),
      h("dt", {}, t("now_power")), h("dd", { id: "district-power" }, `${fmt(d.customers_without_power[k])} (${pct(districtShare(d, k, "power"))})`),
      h("dt", {}, t("now_water")), h("dd", { id: "district-water" }, `${fmt(d.people_without_water[k])} (${pct(districtShare(d, k, "water"))})`),
      h("dt", {}, t("power_back")), h("dd", {}, d.customers_without_power.some((v) => v > 0) ? when(d.power_restored_h) : t("never_cut")),
      h("dt", {}, t("water_back")), h("dd", {}, d.people_without_water.some((v) => v > 0) ? when(d.water_restored_h) : t("never_cut")),
      ...(d.baseline && (d.baseline.peak_people_without_water > 0 || d.baseline.peak_customers_without_power > 0)
        ? [h("dt", {}, t("normal_day")), h("dd", { id: "district-baseline" }, t("normal_day_value", { water: fmt(d.baseline.peak_people_without_water), power: fmt(d.baseline.peak_customers_without_power) }))]
        : []),
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
