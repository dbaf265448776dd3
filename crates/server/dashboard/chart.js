// Small SVG charts of shares over time (a district's service, the restoration curve).
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** A tick spacing in hours giving at most about eight ticks over `span` hours. */
export function hourStep(span) {
  return [1, 2, 3, 6, 12, 24, 48, 168].find((s) => span / s <= 8) || 336;
}

/** A line chart of shares 0–1 over time, with the slider's time marked. */
export function lineChart(times, series, marker, width = 420, height = 150) {
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
  // Bands first, under the lines: a series' `band` is [lower[], upper[]] at `times`.
  for (const s of series.filter((x) => x.band)) {
    const [lower, upper] = s.band;
    const points = [
      ...times.map((tt, i) => `${x(tt).toFixed(1)},${y(upper[i]).toFixed(1)}`),
      ...times.map((tt, i) => `${x(tt).toFixed(1)},${y(lower[i]).toFixed(1)}`).reverse(),
    ];
    svg.append(h("polygon", { class: `${s.class} band`, points: points.join(" ") }));
  }
  for (const s of series) {
    svg.append(h("polyline", { class: s.class, points: times.map((tt, i) => `${x(tt).toFixed(1)},${y(s.values[i]).toFixed(1)}`).join(" ") }));
  }
  if (marker !== null && marker !== undefined) {
    svg.append(h("line", { class: "now", x1: x(marker), x2: x(marker), y1: top, y2: height - bottom }));
  }
  return svg;
}
