// The server's vocabularies, read once from its OpenAPI document at start-up: incident
// statuses, weapon classes, asset states, slot states, skills, the schedule's defaults.
// The dashboard types none of these lists itself; where its logic needs one particular
// name (a job that is "running"), `member` checks the document still has it.
import { api } from "./api.js";

let document_ = null;

/** Reads `/openapi.json`; every other function here needs it read. */
export async function loadVocabulary(signal) {
  document_ = await api("/openapi.json", { signal });
}

/** The values of the vocabulary `name` (a schema of the document with an `enum`). */
export function values(name) {
  const list = document_?.components?.schemas?.[name]?.enum;
  if (!Array.isArray(list)) throw new Error(`the API document has no vocabulary ${name}`);
  return list;
}

/** `value`, checked to be one of the vocabulary `name`: a name the dashboard relies on. */
export function member(name, value) {
  if (!values(name).includes(value)) throw new Error(`the API document's ${name} has no ${value}`);
  return value;
}

/** The default of query parameter `name` of `GET path`. */
export function parameterDefault(path, name) {
  const parameter = (document_?.paths?.[path]?.get?.parameters || []).find((p) => p.name === name && p.in === "query");
  return parameter?.schema?.default;
}
