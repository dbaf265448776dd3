// lifeline dashboard: the city's map over a scenario's timeline, the restoration plan,
// the outage schedule and the incident registry, from the server's own JSON API.
// No framework, no build step and no network beyond this server: it works offline
// during a blackout. This module wires the others (one concept each) to the page.
import { api, isAbort } from "./api.js";
import { $, $$, h } from "./dom.js";
import { initialLanguage, setLanguage, translatePage } from "./i18n.js";
import {
  buildIncidentForm, buildStatusFilter, extractDrafts, loadIncidents, renderDrafts, submitIncident,
} from "./incidents.js";
import { wireForecast } from "./forecast.js";
import { buildMap, renderMap, selectDistrict } from "./map.js";
import { loadJob, loadJobs, renderJob, runScenario, selectJob } from "./scenarios.js";
import { buildScheduleForm, findGroup, loadSchedule } from "./schedule.js";
import { begin, state } from "./state.js";
import { loadVocabulary } from "./vocabulary.js";

const TABS = ["map", "repairs", "outages", "incidents"];

/** Everything on screen again, in the current language. */
function renderAll() {
  translatePage();
  renderJob();
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

function wire() {
  $("#token").value = sessionStorage.getItem("lifeline.token") || "";
  $("#token").addEventListener("change", () => sessionStorage.setItem("lifeline.token", $("#token").value.trim()));
  for (const b of $$(".lang button")) {
    b.addEventListener("click", () => { setLanguage(b.dataset.lang); buildIncidentForm(); renderAll(); });
  }
  for (const b of $$(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  for (const b of $$(".mode button")) b.addEventListener("click", () => { state.mode = b.dataset.mode; renderMap(); });
  $("#time-slider").addEventListener("input", (e) => { state.step = Number(e.target.value); renderMap(); });
  $("#play").addEventListener("click", togglePlay);
  $("#scenario-select").addEventListener("change", (e) => selectJob(Number(e.target.value)));
  $("#schedule-form").addEventListener("submit", (e) => { e.preventDefault(); loadSchedule(); });
  $("#find-form").addEventListener("submit", (e) => { e.preventDefault(); findGroup(); });
  $("#find-group").addEventListener("input", findGroup);
  $("#incident-filters").addEventListener("submit", (e) => { e.preventDefault(); loadIncidents(); });
  $("#incident-form").addEventListener("submit", submitIncident);
  $("#paste-form").addEventListener("submit", extractDrafts);
  $("#run-form").addEventListener("submit", runScenario);
  wireForecast(selectDistrict);
}

/** The city and its map, then the scenario jobs. */
async function loadCity() {
  const load = begin("city");
  const city = await api("/api/city", { signal: load.signal });
  if (!load.current()) return;
  state.city = city;
  $("#city-name").textContent = city.name;
  document.title = `lifeline · ${city.name}`;
  buildMap();
  await loadJobs();
  await loadJob();
}

async function start() {
  state.lang = initialLanguage();
  wire();
  const tab = location.hash.slice(1);
  showTab(TABS.includes(tab) ? tab : "map");
  translatePage();
  try {
    await loadVocabulary();
    buildStatusFilter();
    buildIncidentForm();
    buildScheduleForm();
    renderAll();
    await loadCity();
  } catch (e) {
    if (!isAbort(e)) $("#district-panel").replaceChildren(h("p", { class: "error" }, e.message));
  }
  loadIncidents();
  document.body.dataset.ready = "true";
}

start();
