// The city's map over the selected run: districts coloured by the share without power
// or water at the slider's time, the totals, the assets down and a district's panel.
import { $, $$, h } from "./dom.js";
import { fmt, pct, t, timeLabel } from "./i18n.js";
import { lineChart } from "./chart.js";
import { districtForecast, renderForecast } from "./forecast.js";
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
  // One SVG unit in km: degrees of latitude are 111.32 km.
  const kmPerUnit = 111.32 / scale;
  return { width, height, kmPerUnit, at: ([x, y]) => [(x - x0) * k * scale, (y1 - y) * scale] };
}

function pathOf(geometry, at) {
  const rings = geometry.type === "Polygon" ? geometry.coordinates
    : geometry.type === "MultiPolygon" ? geometry.coordinates.flat() : [];
  return rings.map((ring) => "M" + ring.map((p) => at(p).map((v) => v.toFixed(1)).join(",")).join("L") + "Z").join("");
}

/** Where a district's label goes: the area centroid of its largest outer ring (the
 * vertices' mean drifts toward wherever the outline is drawn in detail). */
function centreOf(geometry, at) {
  const rings = geometry.type === "Polygon" ? [geometry.coordinates[0]] : geometry.coordinates.map((poly) => poly[0]);
  let best = null;
  for (const ring of rings) {
    const pts = ring.map(at);
    let [a, cx, cy] = [0, 0, 0];
    for (let i = 0; i + 1 < pts.length; i++) {
      const [x0, y0] = pts[i];
      const [x1, y1] = pts[i + 1];
      const cross = x0 * y1 - x1 * y0;
      a += cross; cx += (x0 + x1) * cross; cy += (y0 + y1) * cross;
    }
    if (Math.abs(a) < 1e-9) continue;
    if (!best || Math.abs(a) > best.a) best = { a: Math.abs(a), c: [cx / (3 * a), cy / (3 * a)] };
  }
  if (best) return best.c;
  const points = rings[0].slice(0, -1).map(at);
  const sum = points.reduce((acc, p) => [acc[0] + p[0], acc[1] + p[1]], [0, 0]);
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

/** The network layers the city places: water (pipes, pumps, valves, tanks, reservoirs),
 * grid (lines, substations) and assets (pump stations, facilities). */
function networkFeatures() {
  const city = state.city;
  const of = (collection) => (collection && collection.features ? collection.features.filter((f) => f.geometry) : []);
  return { water: of(city.water), grid: of(city.grid), assets: of(city.assets).filter((f) => f.properties.position === "placed") };
}

/** Draws the city: districts, then the water network, the grid and the assets where the
 * city places them, a scale bar and a legend of its symbols; wheel or pinch zooms,
 * dragging pans. `renderMap` colours
 * it for the selected time. */
export function buildMap() {
  const svg = $("#map");
  svg.replaceChildren();
  if (!state.city) return;
  const features = state.city.districts.features.filter((f) => f.geometry);
  const layers = networkFeatures();
  const p = projection([...features, ...layers.water, ...layers.grid, ...layers.assets]);
  const pad = 20;
  const view = [-pad, -pad, p.width + 2 * pad, p.height + 2 * pad];
  svg.setAttribute("viewBox", view.join(" "));
  // Screen pixels per map unit, so that symbols and words stay readable on a phone.
  p.px = (svg.clientWidth || view[2]) / view[2];
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
    labels.append(h("text", { x, y, "data-label": name, "font-size": Math.max(p.width / 42, 11 / p.px).toFixed(0) },
      h("tspan", { x, dy: "-0.2em" }, name), h("tspan", { x, dy: "1.2em", class: "pct" }, "")));
  }
  svg.append(shapes, networkLayer(layers, p), labels, scaleBar(p));
  symbolsLegend(layers);
  zoomAndPan(svg, view);
}

/** The symbols the map draws, with their meaning; only those this city has. */
function symbolsLegend(layers) {
  const kinds = new Set();
  for (const f of layers.water) kinds.add(`water-${f.properties.kind}`);
  for (const f of layers.grid) kinds.add(f.geometry.type === "Point" ? "substation" : "grid-line");
  for (const f of layers.assets) kinds.add(f.properties.kind === "pump_station" ? "station" : "facility");
  const swatch = (cls, shape) => h("svg", { class: "swatch", viewBox: "0 0 18 12", width: 18, height: 12, "aria-hidden": "true" },
    shape === "line" ? h("line", { class: cls, x1: 1, y1: 6, x2: 17, y2: 6 })
      : shape === "square" ? h("rect", { class: cls, x: 5, y: 2, width: 8, height: 8 })
        : h("circle", { class: cls, cx: 9, cy: 6, r: 4.5 }));
  const entries = [
    ["water-pipe", "line", "symbol_pipe"],
    ["water-pump", "line", "symbol_pump"],
    ["grid-line", "line", "symbol_line"],
    ["substation", "square", "symbol_substation"],
    ["water-tank", "square", "symbol_tank"],
    ["water-reservoir", "square", "symbol_reservoir"],
    ["station", "circle", "symbol_station"],
    ["facility", "circle", "symbol_facility"],
  ].filter(([cls]) => kinds.has(cls));
  const legend = $("#symbols");
  legend.replaceChildren(...entries.map(([cls, shape, word]) => h("span", { class: "symbol" }, swatch(cls, shape), t(word))));
  if (entries.length) legend.append(h("span", { class: "symbol" }, swatch("down", "line"), t("symbol_down")));
  legend.hidden = !entries.length;
}

/** The asset a feature stands for, as timelines name it. */
function assetOf(f) {
  const props = f.properties;
  if (props.asset) return props.asset;
  if (props.kind === "pipe") return `pipe:${props.id}`;
  if (props.kind === "tank") return `tank:${props.id}`;
  if (props.kind === "pump_station") return `pump_station:${props.id}`;
  if (props.id && props.kind) return `facility:${props.id}`;
  return "";
}

/** Lines and symbols of the networks, each with `data-asset` for `renderMap`. */
function networkLayer(layers, p) {
  // A click on a symbol (which shows its name on hover) selects the district under it.
  const g = h("g", {
    class: "network",
    onclick: (e) => {
      const under = document.elementsFromPoint(e.clientX, e.clientY).find((el) => el.classList.contains("district"));
      if (under) selectDistrict(under.dataset.name);
    },
  });
  // At least 3.5 screen pixels across a symbol's half, on a phone too.
  const size = Math.max(p.width / 180, 3.5 / p.px);
  const line = (f, cls) => {
    const [a, b] = f.geometry.coordinates.map(p.at);
    return h("line", { class: cls, x1: a[0], y1: a[1], x2: b[0], y2: b[1], "data-asset": assetOf(f) },
      h("title", {}, f.properties.asset || `${f.properties.kind} ${f.properties.id}`));
  };
  const symbol = (f, cls, shape) => {
    const [x, y] = p.at(f.geometry.coordinates);
    const title = h("title", {}, f.properties.name || f.properties.asset || `${f.properties.kind} ${f.properties.id}`);
    const attrs = { class: cls, "data-asset": assetOf(f) };
    return shape === "square"
      ? h("rect", { ...attrs, x: x - size, y: y - size, width: 2 * size, height: 2 * size }, title)
      : h("circle", { ...attrs, cx: x, cy: y, r: size }, title);
  };
  for (const f of layers.water) {
    if (f.geometry.type === "LineString") g.append(line(f, `water-${f.properties.kind}`));
  }
  for (const f of layers.grid) {
    if (f.geometry.type === "LineString") g.append(line(f, "grid-line"));
  }
  for (const f of layers.water) {
    if (f.geometry.type === "Point") g.append(symbol(f, `water-${f.properties.kind}`, "square"));
  }
  for (const f of layers.grid) {
    if (f.geometry.type === "Point") g.append(symbol(f, "substation", "square"));
  }
  for (const f of layers.assets) {
    g.append(symbol(f, f.properties.kind === "pump_station" ? "station" : `facility ${f.properties.kind}`, "circle"));
  }
  return g;
}

/** A scale bar of a round number of km, bottom left. */
function scaleBar(p) {
  const kmPerUnit = p.kmPerUnit;
  if (!(kmPerUnit > 0)) return h("g", {});
  const target = (p.width / 5) * kmPerUnit;
  const round = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500].find((v) => v >= target / 2) || target;
  const length = round / kmPerUnit;
  const y = p.height + 8;
  return h("g", { class: "scale-bar" },
    h("line", { x1: 0, y1: y, x2: length, y2: y }),
    h("text", { x: length / 2, y: y - 6, "font-size": Math.max(14, 12 / p.px).toFixed(0) }, `${round} km`));
}

/** Wheel zooms about the pointer, dragging pans (the viewBox changes; the page does not). */
function zoomAndPan(svg, initial) {
  let view = [...initial];
  const apply = () => svg.setAttribute("viewBox", view.join(" "));
  const toSvg = (e) => {
    const r = svg.getBoundingClientRect();
    return [view[0] + ((e.clientX - r.left) / r.width) * view[2], view[1] + ((e.clientY - r.top) / r.height) * view[3]];
  };
  svg.onwheel = (e) => {
    e.preventDefault();
    const [x, y] = toSvg(e);
    const f = Math.max(0.05, Math.min(1, (view[2] * (e.deltaY > 0 ? 1.2 : 1 / 1.2)) / initial[2])) * initial[2] / view[2];
    view = [x - (x - view[0]) * f, y - (y - view[1]) * f, view[2] * f, view[3] * f];
    apply();
  };
  // One pointer pans; two (a pinch) zoom about their midpoint.
  const pointers = new Map();
  let from = null;
  let pinch = null;
  const spread = () => {
    const [a, b] = [...pointers.values()];
    return { d: Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY), mid: { clientX: (a.clientX + b.clientX) / 2, clientY: (a.clientY + b.clientY) / 2 } };
  };
  svg.onpointerdown = (e) => {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    pointers.set(e.pointerId, e);
    if (pointers.size === 1) from = [e.clientX, e.clientY, view[0], view[1]];
    if (pointers.size === 2) { from = null; pinch = { ...spread(), view: [...view] }; }
  };
  svg.onpointermove = (e) => {
    if (!pointers.has(e.pointerId)) return;
    pointers.set(e.pointerId, e);
    const r = svg.getBoundingClientRect();
    if (pinch && pointers.size === 2) {
      const now = spread();
      if (!(now.d > 0 && pinch.d > 0)) return;
      const width = Math.max(0.05 * initial[2], Math.min(initial[2], pinch.view[2] * pinch.d / now.d));
      const f = width / pinch.view[2];
      const x = pinch.view[0] + ((pinch.mid.clientX - r.left) / r.width) * pinch.view[2];
      const y = pinch.view[1] + ((pinch.mid.clientY - r.top) / r.height) * pinch.view[3];
      view = [x - (x - pinch.view[0]) * f, y - (y - pinch.view[1]) * f, pinch.view[2] * f, pinch.view[3] * f];
      apply();
      return;
    }
    if (!from) return;
    view[0] = from[2] - ((e.clientX - from[0]) / r.width) * view[2];
    view[1] = from[3] - ((e.clientY - from[1]) / r.height) * view[3];
    apply();
  };
  svg.onpointerup = svg.onpointercancel = svg.onpointerleave = (e) => {
    pointers.delete(e.pointerId);
    if (pointers.size < 2) pinch = null;
    from = null;
  };
  svg.ondblclick = () => { view = [...initial]; apply(); };
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
  renderNetwork(tl, k);
  if (!tl) {
    $("#time-label").textContent = "";
    $("#totals-power").textContent = "—";
    $("#totals-water").textContent = "—";
    renderForecast();
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
  renderForecast();
}

/** Each asset's state at time index `k` of `tl`, by asset name. */
function statesAt(tl, k) {
  const states = new Map();
  if (!tl) return states;
  const now = tl.times_h[k];
  for (const a of tl.assets) {
    let current = a.changes[0]?.state;
    for (const c of a.changes) if (c.t_h <= now + 1e-9) current = c.state;
    states.set(a.asset, current);
  }
  return states;
}

/** Marks the map's assets that are not working as normal at the slider's time. */
function renderNetwork(tl, k) {
  const states = statesAt(tl, k);
  const normal = values("NormalAssetState");
  for (const el of $$("#map .network [data-asset]")) {
    const s = states.get(el.dataset.asset);
    el.classList.toggle("down", s !== undefined && !normal.includes(s));
  }
}

/** Each tracked asset's state at the slider's time; those not in service are listed. */
function renderAssets() {
  const list = $("#assets-down");
  const tl = shownTimeline();
  const states = statesAt(tl, state.step);
  const normal = values("NormalAssetState");
  const down = [];
  for (const a of tl.assets) {
    const current = states.get(a.asset);
    if (current !== undefined && !normal.includes(current)) down.push([a, current]);
  }
  list.replaceChildren(...(down.length
    ? down.map(([a, s]) => h("li", {}, a.name ? `${a.name} (${a.asset})` : a.asset, " ", h("span", { class: "state" }, t(`state_${s}`))))
    : [h("li", { class: "hint" }, t("none_down"))]));
}

/** The forecast's band (10th to 90th percentile) of district `d`'s share without
 *  service at each of `times` (the forecast's value at the same time), or null. */
function fanBand(d, times, mode) {
  const f = districtForecast(d.name);
  if (!f || !f.fan.length) return null;
  const total = mode === "power" ? d.customers : d.population;
  if (!total) return null;
  const key = mode === "power" ? "customers_without_power" : "people_without_water";
  const byTime = new Map(f.fan.map((p) => [p.t_h, p[key]]));
  const last = f.fan[f.fan.length - 1][key];
  const at = (tt) => byTime.get(tt) || last;
  return [times.map((tt) => at(tt).p10 / total), times.map((tt) => at(tt).p90 / total)];
}

/** Selects district `name` (null: none) on the map and in the forecast. */
export function selectDistrict(name) {
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
        { class: "line-power", values: tl.times_h.map((_, i) => districtShare(d, i, "power")), band: fanBand(d, tl.times_h, "power") },
        { class: "line-water", values: tl.times_h.map((_, i) => districtShare(d, i, "water")), band: fanBand(d, tl.times_h, "water") },
      ], tl.times_h[k]),
      h("div", { class: "key" }, h("span", { class: "power" }, t("mode_power")), h("span", { class: "water" }, t("mode_water")),
        districtForecast(d.name) ? h("span", { class: "band" }, t("forecast_band")) : null),
    ),
  );
}
