// "When will my power be back?": the selected job's restoration forecast for one
// district — picked in the list or by clicking the map — as the 80 % interval and the
// most likely time, for power and for water; and the district's fan on its chart.
import { api } from "./api.js";
import { $, h } from "./dom.js";
import { t, timeLabel } from "./i18n.js";
import { state } from "./state.js";
import { member } from "./vocabulary.js";

/** Whether the shown forecast is the selected job's. */
const mine = () => state.forecast && state.forecastJob === state.job;

/** The selected district's forecast, if there is one for the selected job. */
export function districtForecast(name) {
  return mine() ? state.forecast.districts.find((d) => d.name === name) || null : null;
}

/** A time of the forecast (h from the scenario's start) as a clock label; `null` is
 *  beyond the forecast's horizon. */
function at(start, hours, horizon) {
  return hours === null || hours === undefined
    ? t("forecast_after", { t: timeLabel(start, horizon) })
    : timeLabel(start, hours);
}

/** "Power back between 14:00 and 22:00 (80 %), most likely 17:00", or its cases. */
export function sentence(kind, q, start, horizon) {
  if (q.p90 === 0) return t(`forecast_${kind}_never_cut`);
  if (q.p10 === q.p90) return t(`forecast_${kind}_at`, { t: at(start, q.p50, horizon) });
  // Some draws never cut it: the interval starts at "not cut".
  if (q.p50 === 0) return t(`forecast_${kind}_likely_not`, { to: at(start, q.p90, horizon) });
  if (q.p10 === 0) return t(`forecast_${kind}_by`, { to: at(start, q.p90, horizon), likely: at(start, q.p50, horizon) });
  return t(`forecast_${kind}_between`, {
    from: at(start, q.p10, horizon), to: at(start, q.p90, horizon), likely: at(start, q.p50, horizon),
  });
}

/** The forecast card: the district list, then the two sentences or what is being done. */
export function renderForecast() {
  const select = $("#forecast-district");
  const out = $("#forecast-panel");
  const shown = state.timeline && state.timeline.id === state.job ? state.timeline : null;
  const districts = (shown && shown.districts) || (mine() && state.forecast.districts) || [];
  if (select.options.length !== districts.length + 1) {
    select.replaceChildren(h("option", { value: "" }, t("forecast_pick")),
      ...districts.map((d) => h("option", { value: d.name }, d.name)));
  }
  select.options[0].textContent = t("forecast_pick");
  select.value = state.selected || "";
  out.dataset.job = mine() ? String(state.forecastJob) : "";
  if (state.forecastJob !== state.job || (!state.forecast && !state.forecastStatus)) {
    out.replaceChildren(h("p", { class: "hint" }, state.job ? t("forecast_waiting") : t("no_scenario")));
    return;
  }
  if (!state.forecast) {
    out.replaceChildren(h("p", { class: state.forecastStatus.error ? "error" : "hint" }, state.forecastStatus.text));
    return;
  }
  const f = state.forecast;
  const d = state.selected && districtForecast(state.selected);
  const start = state.timeline && state.timeline.id === state.job ? state.timeline.start : null;
  if (!d) {
    out.replaceChildren(h("p", { class: "hint" }, t("forecast_pick_hint")));
    return;
  }
  out.replaceChildren(
    h("p", { class: "forecast-line power", id: "forecast-power" }, sentence("power", d.power_back_h, start, f.horizon_h)),
    h("p", { class: "forecast-line water", id: "forecast-water" }, sentence("water", d.water_back_h, start, f.horizon_h)),
    h("p", { class: "hint" }, t("forecast_basis", { n: f.samples, by: f.plan_by || t("forecast_unlimited") })),
  );
}

/** Loads job `id`'s forecast once it is made; says how far it is while it runs. Returns
 *  whether to ask again later. */
export async function loadForecast(job, signal, live) {
  const id = job.id;
  if (job.forecast === member("ForecastState", "done")) {
    if (state.forecastJob === id && state.forecast) return false;
    const forecast = await fetchForecast(id, signal);
    if (!live()) return false;
    Object.assign(state, { forecast, forecastJob: id, forecastStatus: null });
    return false;
  }
  const status = job.forecast === member("ForecastState", "failed")
    ? { error: true, text: t("forecast_failed", { e: job.forecast_error }) }
    : job.forecast === member("ForecastState", "off")
      ? { error: false, text: t("forecast_off") }
      : { error: false, text: t("forecast_running", { p: Math.round(100 * job.forecast_progress) }) };
  Object.assign(state, { forecast: null, forecastJob: id, forecastStatus: status });
  return job.forecast === member("ForecastState", "waiting") || job.forecast === member("ForecastState", "running");
}

function fetchForecast(id, signal) {
  return api(`/api/scenarios/${id}/forecast`, { signal });
}

/** Picking a district in the list selects it on the map too. */
export function wireForecast(onSelect) {
  $("#forecast-district").addEventListener("change", (e) => onSelect(e.target.value || null));
}
