/**
 * @module The page's live tail (served as /dashboard/tail.js): follows
 * `GET /v1/workers/:w/tail` with fetch and a stream reader (EventSource cannot
 * send the Authorization header), with a status filter, pause and clear.
 */

export const TAIL_JS = String.raw`
import { followEvents, workerPath } from "./api.js";
import { h } from "./dom.js";
import { clock, shortVersion } from "./format.js";

/** Lines kept on the page, and lines held while paused. */
const SHOWN = 200;
const HELD = 1000;
const RECONNECT_MS = 3000;

/** One request as a line; its fields are spans separated by spaces, so a copied line reads as text. */
function line(log) {
  const status = Number(log.status);
  const fields = [
    h("span", { class: "at" }, clock(log.at)),
    h("span", { class: "pop" }, log.pop),
    h("span", { class: "status status-" + String(status).charAt(0) }, String(status)),
    h("span", { class: "method" }, log.method),
    h("span", { class: "path" }, log.path),
    h("span", { class: "wall" }, Math.round(log.wallMs) + " ms"),
    h("span", { class: "version", title: log.version || "" }, shortVersion(log.version)),
    log.outcome && log.outcome !== "ok" ? h("span", { class: "bad" }, log.outcome) : null,
  ].filter(Boolean);
  return h("li", null,
    fields.flatMap((field) => [field, " "]),
    log.logs && log.logs.length > 0 ? h("ul", null, log.logs.map((entry) => h("li", null, "[" + entry.level + "] " + entry.message))) : null);
}

/**
 * The tail's controls; onUnauthorized(error) is called on a 401. Returns
 * setWorkers(names), to keep the worker choice current, and stop().
 */
export function createTail(onUnauthorized) {
  const worker = document.getElementById("tail-worker");
  const status = document.getElementById("tail-status");
  const pause = document.getElementById("tail-pause");
  const lines = document.getElementById("tail-lines");
  const state = document.getElementById("tail-state");
  let controller = null;
  let retry = null;
  let held = [];
  let dropped = 0;

  const paused = () => pause.getAttribute("aria-pressed") === "true";
  const say = (text) => { state.textContent = text; };

  function show(logs) {
    const atBottom = lines.scrollTop + lines.clientHeight >= lines.scrollHeight - 4;
    lines.append(...logs.map(line));
    while (lines.childElementCount > SHOWN) lines.firstElementChild.remove();
    if (atBottom) lines.scrollTop = lines.scrollHeight;
  }

  function receive(data) {
    let log;
    try { log = JSON.parse(data); } catch { return say("A tail event was not JSON: " + data.slice(0, 200)); }
    if (!paused()) return show([log]);
    held.push(log);
    if (held.length > HELD) { held.shift(); dropped += 1; }
    say("Paused: " + held.length + " lines held" + (dropped > 0 ? ", " + dropped + " older ones dropped" : ""));
  }

  function stop() {
    clearTimeout(retry);
    if (controller) controller.abort();
    controller = null;
  }

  function start() {
    stop();
    const name = worker.value;
    if (!name) return say("Choose a worker to follow its requests at every PoP.");
    const query = status.value ? "?status=" + encodeURIComponent(status.value) : "";
    const own = new AbortController();
    controller = own;
    say("Following " + name + (status.value ? " (status " + status.value + ")" : "") + ": new requests appear below.");
    followEvents(workerPath(name) + "/tail" + query, own.signal, receive).then(
      () => ended(own, "the control API ended the stream"),
      (error) => {
        if (own.signal.aborted) return;
        if (error.status === 401) return onUnauthorized(error);
        if (error.status >= 400) return say("The tail of " + name + " was refused (" + error.status + " " + error.code + "): " + error.message);
        ended(own, error.message);
      });
  }

  function ended(own, reason) {
    if (controller !== own) return;
    say("The tail stopped (" + reason + "); reconnecting in " + RECONNECT_MS / 1000 + " s");
    retry = setTimeout(() => { if (controller === own) start(); }, RECONNECT_MS);
  }

  worker.addEventListener("change", start);
  status.addEventListener("change", start);
  pause.addEventListener("click", () => {
    const nowPaused = !paused();
    pause.setAttribute("aria-pressed", String(nowPaused));
    pause.textContent = nowPaused ? "Resume" : "Pause";
    if (nowPaused) return say("Paused: new lines are held until you resume.");
    show(held);
    held = [];
    dropped = 0;
    say("Following " + worker.value + ": new requests appear below.");
  });
  document.getElementById("tail-clear").addEventListener("click", () => { lines.replaceChildren(); held = []; dropped = 0; });

  function setWorkers(names) {
    const current = [...worker.options].slice(1).map((option) => option.value);
    if (current.join("\n") === names.join("\n")) return;
    const chosen = worker.value;
    worker.replaceChildren(worker.options[0], ...names.map((name) => h("option", { value: name }, name)));
    worker.value = names.includes(chosen) ? chosen : "";
    if (chosen && worker.value !== chosen) { stop(); say("The worker " + chosen + " is gone."); }
  }

  return { setWorkers, stop };
}
`;
