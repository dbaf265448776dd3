// Scenario jobs: the list, the selected job followed while it runs (progress), then its
// timeline, plan and schedule; a scenario file of one's own run on the server.
import { api, isAbort, write } from "./api.js";
import { $, h, token } from "./dom.js";
import { t } from "./i18n.js";
import { loadForecast, renderForecast } from "./forecast.js";
import { renderMap } from "./map.js";
import { renderRepairs } from "./repairs.js";
import { loadSchedule, renderSchedule } from "./schedule.js";
import { begin, state } from "./state.js";
import { member } from "./vocabulary.js";

/** Everything drawn from the selected job. */
export function renderJob() {
  renderMap();
  renderForecast();
  renderRepairs();
  renderSchedule();
}

/** Fills the scenario list; keeps the selected job if it is still there, else selects the
 *  last finished one (or the last one). */
export async function loadJobs() {
  const load = begin("jobs");
  const jobs = await api("/api/scenarios", { signal: load.signal });
  if (!load.current()) return;
  const select = $("#scenario-select");
  const current = state.job;
  select.replaceChildren(...jobs.map((j) => h("option", { value: j.id }, `${j.id}: ${j.scenario}`)));
  if (!jobs.length) { state.job = null; return; }
  const done = jobs.filter((j) => j.state === member("JobState", "done"));
  state.job = current && jobs.some((j) => j.id === current) ? current
    : (done.length ? done[done.length - 1] : jobs[jobs.length - 1]).id;
  select.value = String(state.job);
}

let polling = null;

/** Shows job `id` (nothing of the one before stays on screen) and loads it. */
export function selectJob(id) {
  state.job = id;
  state.step = 0;
  renderJob();
  return loadJob();
}

/** Loads the selected job: waits for its run with a progress bar, then its timeline and
 *  plan (and starts its schedule). Whatever arrives after another job was selected, or
 *  after a newer load of this one began, is dropped. */
export async function loadJob() {
  clearTimeout(polling);
  const load = begin("job");
  const id = state.job;
  if (!id) { renderJob(); return; }
  const live = () => load.current() && state.job === id;
  try {
    await follow(id, load.signal, live);
  } catch (e) {
    if (isAbort(e) || !live()) return;
    $("#job-progress").hidden = true;
    $("#district-panel").replaceChildren(h("p", { class: "error" }, e.message));
  }
}

async function follow(id, signal, live) {
  const job = await api(`/api/scenarios/${id}`, { signal });
  if (!live()) return;
  const bar = $("#job-progress");
  if (job.state === member("JobState", "running")) {
    bar.hidden = false;
    bar.querySelector(".bar").style.width = `${Math.round(job.progress * 100)}%`;
    bar.querySelector(".text").textContent = t("running", { p: Math.round(job.progress * 100) });
    polling = setTimeout(loadJob, 500);
    return;
  }
  bar.hidden = true;
  if (job.state === member("JobState", "failed")) {
    Object.assign(state, { timeline: null, plan: null, planError: job.error, planJob: id });
    renderJob();
    return;
  }
  if (!state.timeline || state.timeline.id !== id) {
    const timeline = await api(`/api/scenarios/${id}/timeline`, { signal });
    if (!live()) return;
    showTimeline(timeline);
    loadSchedule();
  }
  let plan = null;
  let planError = null;
  if (job.plan === member("PlanState", "done")) {
    // Polled while the forecast is made: the plan is fetched once.
    plan = state.planJob === id && state.plan ? state.plan : await api(`/api/scenarios/${id}/plan`, { signal });
    if (!live()) return;
  } else if (job.plan === member("PlanState", "failed")) {
    planError = job.plan_error;
  }
  const forecastPending = await loadForecast(job, signal, live);
  if (!live()) return;
  if (job.plan === member("PlanState", "planning") || job.plan === member("PlanState", "waiting") || forecastPending) {
    polling = setTimeout(loadJob, 1000);
  }
  Object.assign(state, { plan, planError, planJob: id });
  renderJob();
}

/** A job's timeline on the map, at the worst hour for power when no time was chosen. */
function showTimeline(timeline) {
  state.timeline = timeline;
  const last = timeline.times_h.length - 1;
  state.step = Math.min(state.step, last);
  if (state.step === 0) {
    // Start at the worst hour for power: where the story is.
    const worst = timeline.customers_without_power;
    state.step = worst.indexOf(Math.max(...worst));
  }
  const slider = $("#time-slider");
  slider.max = String(last);
  slider.value = String(state.step);
  renderMap();
}

/** Posts a scenario file: the server runs it in the background; the dashboard follows it. */
export async function runScenario(e) {
  e.preventDefault();
  const out = $("#run-result");
  if (!token()) { out.className = "error"; out.textContent = t("need_token"); return; }
  try {
    const job = await write("/api/scenarios", { token: token(), type: "application/toml", body: $("#run-text").value });
    out.className = "ok";
    out.textContent = t("run_started", { id: job.id });
    state.job = job.id;
    await loadJobs();
    await selectJob(job.id);
  } catch (err) {
    if (isAbort(err)) return;
    out.className = "error";
    out.textContent = err.message;
  }
}
