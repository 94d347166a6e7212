/**
 * @module The page's entry (served as /dashboard/app.js): asks for the token,
 * refreshes the PoP and worker views every 2 s, shows the API's errors, and
 * asks for the token again on a 401.
 */

export const APP_JS = String.raw`
import { apiGet, workerPath, getToken, setToken, clearToken } from "./api.js";
import { renderPops } from "./pops.js";
import { renderWorkers } from "./workers.js";
import { createTail } from "./tail.js";
import { clock } from "./format.js";

const REFRESH_MS = 2000;
const byId = (id) => document.getElementById(id);
const views = byId("views");
const login = byId("login");
const status = byId("status");
const errorBox = byId("error");
const forget = byId("forget-token");
let generation = 0;
let timer = null;

const tail = createTail(unauthorized);

function showLogin(reason) {
  generation += 1;
  clearTimeout(timer);
  tail.stop();
  views.hidden = true;
  forget.hidden = true;
  errorBox.hidden = true;
  login.hidden = false;
  byId("login-reason").textContent = reason;
  status.textContent = "Not connected";
  byId("token").focus();
}

function unauthorized(error) {
  clearToken();
  showLogin("The control API refused the token (401 " + error.code + "): " + error.message + ". Enter a valid token.");
}

function showError(error) {
  if (error.status === 401) return unauthorized(error);
  errorBox.textContent = (error.status ? "The control API answered " + error.status + " " + error.code + ": " : "") + error.message;
  errorBox.hidden = false;
}

async function refresh(own) {
  try {
    const [{ pops }, { workers }] = await Promise.all([apiGet("/pops"), apiGet("/workers")]);
    const traffic = await Promise.all(workers.map((worker) => apiGet(workerPath(worker.name) + "/traffic").then((answer) => [worker.name, answer.pops])));
    if (own !== generation) return;
    const now = Date.now();
    renderPops(pops, now);
    renderWorkers(workers, new Map(traffic));
    tail.setWorkers(workers.map((worker) => worker.name));
    errorBox.hidden = true;
    status.textContent = status.dataset.who + " · updated at " + clock(now);
  } catch (error) {
    if (own === generation) showError(error);
  } finally {
    if (own === generation) timer = setTimeout(() => void refresh(own), REFRESH_MS);
  }
}

async function connect() {
  const own = ++generation;
  clearTimeout(timer);
  status.textContent = "Connecting…";
  try {
    const who = await apiGet("/whoami");
    if (own !== generation) return;
    status.dataset.who = "Token \u201c" + who.name + "\u201d, " + (who.worker ? "for the worker " + who.worker : "admin");
  } catch (error) {
    if (own !== generation) return;
    if (error.status === 401) return unauthorized(error);
    status.dataset.who = "Token not checked";
    showError(error);
  }
  login.hidden = true;
  views.hidden = false;
  forget.hidden = false;
  await refresh(own);
}

byId("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = byId("token");
  const token = input.value.trim();
  if (!token) return;
  setToken(token);
  input.value = "";
  void connect();
});
forget.addEventListener("click", () => { clearToken(); showLogin("The token was forgotten."); });

if (getToken()) void connect();
else showLogin("Enter an API token to connect.");
`;
