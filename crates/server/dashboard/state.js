// What the dashboard shows, in one place, and which load of each view is current.

/** The one state object every view reads and the loaders write. */
export const state = {
  lang: "en",
  city: null,
  job: null,          // the selected scenario job's id
  timeline: null,     // its timeline (`timeline.id` is the job's id)
  plan: null,         // its restoration plan, once planned
  planJob: null,      // the job `plan` or `planError` belongs to
  planError: null,
  forecast: null,     // its restoration forecast, once made
  forecastJob: null,  // the job `forecast` or `forecastStatus` belongs to
  forecastStatus: null, // {error, text} while the forecast is made or when it failed
  schedule: null,     // its outage schedule
  scheduleJob: null,  // the job `schedule` belongs to
  step: 0,            // the slider's index into timeline.times_h
  mode: "power",      // the map's view: "power" or "water"
  selected: null,     // the selected district's name
  drafts: [],         // drafts extracted from a pasted report
};

const loads = new Map();

/** Starts a load of `view` ("job", "schedule", "incidents", …), superseding the one
 *  before: that one's requests are aborted and its `current()` turns false, so nothing
 *  it fetched after an `await` is written over what the newer load shows. */
export function begin(view) {
  loads.get(view)?.controller.abort();
  const controller = new AbortController();
  const load = { signal: controller.signal, controller, current: () => loads.get(view) === load };
  loads.set(view, load);
  return load;
}
