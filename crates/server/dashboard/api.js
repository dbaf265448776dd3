// The server's JSON API: reads, writes with the bearer token, and its refusals
// (`{error, field?}`) as errors the views show to the user.

/** A refusal of the API: `message` is its `error`, `field` the input it names. */
export class ApiError extends Error {
  constructor(message, status, field) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.field = field || null;
  }
}

/** Whether `error` is a request given up because its view moved on (not worth showing). */
export const isAbort = (error) => error && error.name === "AbortError";

/** Waits `ms`, or rejects as soon as `signal` aborts. */
function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}

/** Fetches JSON; throws an ApiError carrying the API's message and field. A read the
 *  server was too busy for (503 with Retry-After) is asked again, up to three times. */
export async function api(path, options = {}) {
  let response = await fetch(path, options);
  for (let tries = 0; tries < 3 && response.status === 503 && !options.method; tries++) {
    const seconds = Number(response.headers.get("retry-after"));
    if (!(seconds > 0 && seconds <= 30)) break;
    await pause(seconds * 1000, options.signal);
    response = await fetch(path, options);
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  if (!response.ok) {
    throw new ApiError((body && body.error) || `${response.status} ${response.statusText}`, response.status, body && body.field);
  }
  return body;
}

/** A write: `body` sent as JSON (or as is, with `type`), with the bearer token. */
export function write(path, { token, method = "POST", body, type = "application/json", signal } = {}) {
  return api(path, {
    method,
    signal,
    headers: { "content-type": type, authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : (type === "application/json" ? JSON.stringify(body) : body),
  });
}

/** A post that needs no token (drafts from a report store nothing). */
export function post(path, body, signal) {
  return api(path, { method: "POST", signal, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}
