/**
 * @module The page's client of the control API (served as /dashboard/api.js):
 * the stored token, JSON reads, the tail's stream, and errors as `ApiError`
 * with the API's status, code and message. Browser code kept as text: no
 * template literals inside.
 */

export const API_JS = String.raw`
const TOKEN_KEY = "verge.apiToken";

/** An answer of the API that is not a success, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function getToken() {
  try { return localStorage.getItem(TOKEN_KEY); } catch { return null; }
}

export function setToken(token) {
  localStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  try { localStorage.removeItem(TOKEN_KEY); } catch { /* storage unavailable: nothing kept */ }
}

/** The API path of one worker, its name escaped. */
export function workerPath(name) {
  return "/workers/" + encodeURIComponent(name);
}

async function call(path, accept, signal) {
  const token = getToken();
  if (!token) throw new ApiError(401, "unauthorized", "No API token was entered");
  let response;
  try {
    response = await fetch("/v1" + path, { headers: { authorization: "Bearer " + token, accept }, cache: "no-store", signal });
  } catch (error) {
    if (signal && signal.aborted) throw error;
    throw new ApiError(0, "unreachable", "The control API did not answer: " + error.message);
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

async function errorOf(response) {
  let code = "http_" + response.status;
  let message = "HTTP " + response.status + " " + response.statusText;
  try {
    const body = await response.json();
    if (body && body.error) {
      code = String(body.error.code);
      message = String(body.error.message);
    }
  } catch { /* not the API's JSON error: keep the status line */ }
  return new ApiError(response.status, code, message);
}

/** GET a JSON answer of the API. */
export async function apiGet(path, signal) {
  const response = await call(path, "application/json", signal);
  return response.json();
}

/**
 * Follows a server-sent event stream of the API, calling onData with each
 * event's data; resolves when the server ends it, rejects with ApiError.
 */
export async function followEvents(path, signal, onData) {
  const response = await call(path, "text/event-stream", signal);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    const events = buffered.split(/\r?\n\r?\n/);
    buffered = events.pop();
    for (const event of events) {
      const data = event.split(/\r?\n/).filter((line) => line.startsWith("data:")).map((line) => line.slice(line.startsWith("data: ") ? 6 : 5));
      if (data.length > 0) onData(data.join("\n"));
    }
  }
}
`;
