// The strike incident registry: the list a page at a time with its filters, confirm and
// retract, drafts from a pasted report, and the form for an incident entered by hand.
import { api, isAbort, post, write } from "./api.js";
import { $, $$, h, token } from "./dom.js";
import { t } from "./i18n.js";
import { begin, state } from "./state.js";
import { member, values } from "./vocabulary.js";

/** The confidence the form starts at for a record entered by hand: most are from a
 *  credible source. */
const assumedConfidence = () => member("Confidence", "medium");

function incidentRow(inc) {
  const place = [inc.place?.settlement, inc.place?.admin1].filter(Boolean).join(", ") || inc.place?.country || "";
  const weapons = (inc.weapons || []).map((w) => t(w.class) + (w.launched ? ` ×${w.launched}` : "")).join(", ");
  const actions = h("td", {});
  if (inc.status !== member("IncidentStatus", "confirmed")) actions.append(h("button", { type: "button", class: "secondary", onclick: () => setStatus(inc.id, "confirm") }, t("confirm")));
  if (inc.status !== member("IncidentStatus", "retracted")) actions.append(" ", h("button", { type: "button", class: "secondary", onclick: () => setStatus(inc.id, "retract") }, t("retract")));
  return h("tr", { "data-id": inc.id },
    h("td", {}, inc.id), h("td", {}, inc.start), h("td", {}, place), h("td", {}, inc.sub_event_type || inc.event_type),
    h("td", {}, weapons), h("td", { class: "num" }, inc.killed ?? "–"), h("td", { class: "num" }, inc.injured ?? "–"),
    h("td", {}, h("span", { class: `badge ${inc.status}` }, t(inc.status))), actions);
}

/** Incidents per page of the list; "Show more" fetches the next. */
const INCIDENT_PAGE = 200;

/** Loads the first page of the incidents the filters select; a newer load (or a click on
 *  "Show more" after it) makes this one's answer ignored. */
export async function loadIncidents() {
  const load = begin("incidents");
  const q = new URLSearchParams({ limit: String(INCIDENT_PAGE) });
  for (const [key, sel] of [["status", "#filter-status"], ["from", "#filter-from"], ["to", "#filter-to"], ["admin1", "#filter-admin1"]]) {
    const v = $(sel).value.trim();
    if (v) q.set(key, v);
  }
  const table = $("#incident-list");
  try {
    const page = await api(`/api/incidents?${q}`, { signal: load.signal });
    if (!load.current()) return;
    table.replaceChildren(
      h("tr", {}, ...["", "date", "place", "type", "weapons", "killed", "injured", "status", "actions"].map((k) => h("th", {}, k ? t(k) : "#"))),
      ...(page.incidents.length ? page.incidents.map(incidentRow) : [h("tr", {}, h("td", { colspan: 9, class: "hint" }, t("no_incidents")))]),
    );
    appendMore(table, q, page.next_cursor);
  } catch (e) {
    if (isAbort(e) || !load.current()) return;
    table.replaceChildren(h("tr", {}, h("td", { class: "error" }, e.message)));
  }
}

/** A "Show more" row after the list while the registry has more pages. */
function appendMore(table, q, cursor) {
  if (!cursor) return;
  const row = h("tr", { class: "more" }, h("td", { colspan: 9 },
    h("button", { type: "button", class: "secondary", onclick: async () => {
      q.set("cursor", cursor);
      const load = begin("incidents");
      try {
        const page = await api(`/api/incidents?${q}`, { signal: load.signal });
        if (!load.current()) return;
        row.replaceWith(...page.incidents.map(incidentRow));
        appendMore(table, q, page.next_cursor);
      } catch (e) { if (!isAbort(e) && load.current()) alert(e.message); }
    } }, t("more_incidents"))));
  table.append(row);
}

async function setStatus(id, action) {
  if (!token()) { alert(t("need_token")); return; }
  try { await write(`/api/incidents/${encodeURIComponent(id)}/${action}`, { token: token() }); await loadIncidents(); }
  catch (e) { alert(e.message); }
}

/** The status filter's choices: any, or one of the registry's statuses. */
export function buildStatusFilter() {
  const select = $("#filter-status");
  const chosen = select.value;
  select.replaceChildren(h("option", { value: "", "data-i18n": "any" }, t("any")),
    ...values("IncidentStatus").map((s) => h("option", { value: s, "data-i18n": s }, t(s))));
  select.value = chosen;
}

/** The form for an incident entered by hand, its choices from the registry's vocabulary. */
export function buildIncidentForm() {
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
      field("event_type", h("select", { name: "sub_event_type" }, ...values("SubEventType").map((s) => h("option", { value: s }, s)))),
      field("weapon", h("select", { name: "weapon" }, h("option", { value: "" }, "—"), ...values("WeaponClass").map((w) => h("option", { value: w }, t(w)))))),
    h("div", { class: "pair" },
      field("launched", h("input", { type: "number", min: 0, name: "launched" })),
      field("intercepted", h("input", { type: "number", min: 0, name: "intercepted" }))),
    h("div", { class: "pair" },
      field("explosions", h("input", { type: "number", min: 0, name: "explosions" })),
      field("killed", h("input", { type: "number", min: 0, name: "killed" }))),
    h("div", { class: "pair" },
      field("injured", h("input", { type: "number", min: 0, name: "injured" })),
      field("confidence", h("select", { name: "confidence" }, ...values("Confidence").map((c) => h("option", { value: c, selected: c === assumedConfidence() }, t(c)))))),
    checks("targets", values("TargetCategory")),
    checks("effects", values("Effect")),
    h("div", { class: "pair" },
      field("source", h("input", { name: "publisher" })),
      field("source_url", h("input", { type: "url", name: "url" }))),
    field("notes", h("textarea", { name: "notes", rows: 2 })),
    h("div", {}, h("button", { type: "submit" }, t("save"))),
  );
}

/** The record the form describes (its event type is the registry's default). */
function formRecord(form) {
  const v = (name) => form.elements[name].value.trim();
  const n = (name) => (v(name) === "" ? null : Number(v(name)));
  const checked = (name) => $$(`#incident-form input[name=${name}]:checked`).map((c) => c.value);
  const record = {
    start: v("start"),
    place: { settlement: v("settlement") || null, admin1: v("admin1") || null, country: v("country") || null },
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

/** Saves the form's incident; a refusal is shown and its field marked. */
export async function submitIncident(e) {
  e.preventDefault();
  const form = e.target;
  const out = $("#incident-form-result");
  if (!token()) { out.className = "error"; out.textContent = t("need_token"); return; }
  try {
    const saved = await write("/api/incidents", { token: token(), body: formRecord(form) });
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

/** Drafts from the pasted report (nothing is stored until a draft is saved). */
export async function extractDrafts(e) {
  e.preventDefault();
  const box = $("#drafts");
  const body = { text: $("#paste-text").value };
  if ($("#paste-date").value) body.date = $("#paste-date").value;
  if ($("#paste-publisher").value.trim()) body.publisher = $("#paste-publisher").value.trim();
  box.replaceChildren(h("p", { class: "hint" }, t("loading")));
  const load = begin("drafts");
  try {
    const drafts = await post("/api/incidents/extract", body, load.signal);
    if (!load.current()) return;
    state.drafts = drafts;
    renderDrafts();
  } catch (err) {
    if (isAbort(err) || !load.current()) return;
    box.replaceChildren(h("p", { class: "error" }, err.message));
  }
}

/** The drafts extracted, each with its evidence and a button to save it. */
export function renderDrafts() {
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
    const saved = await write("/api/incidents", { token: token(), body: state.drafts[i].record });
    result.className = "result ok";
    result.textContent = ` ${t("saved", { id: saved.id })}`;
    await loadIncidents();
  } catch (err) {
    button.disabled = false;
    result.className = "result error";
    result.textContent = ` ${err.message}`;
  }
}
