/**
 * @module The dashboard in headless Chromium against a real `verge start`
 * (control plane and three embedded PoPs): the token form and its 401s, the
 * deployed worker and its version, traffic at every PoP, the live tail with
 * pause, and log text shown as text.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { bundleWorker } from "../../src/bundler/index.js";
import { launchChromium, type TestBrowser } from "../support/chromium.js";
import { fetchWithHost } from "../support/http.js";

const BIN = fileURLToPath(new URL("../../bin/verge.js", import.meta.url));
const POPS = ["tokyo", "frankfurt", "virginia"];
const WORKER = "hello";
const SOURCE = `export default {
  fetch(request) {
    console.log("<b>markup</b>");
    if (new URL(request.url).pathname === "/boom") throw new Error("boom");
    return new Response("hi");
  },
};`;

interface Started {
  child: ChildProcess;
  api: string;
  dashboard: string;
  pops: Map<string, string>;
  token: string;
  /** Ends the process: SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/** Starts `verge start` on free ports and reads its URLs and admin token from stdout. */
async function startVerge(dataDir: string, timeoutMs = 20_000): Promise<Started> {
  const args = ["--no-node-snapshot", BIN, "start", "--port", "0", "--api-port", "0", "--data-dir", dataDir, "--pops", POPS.join(",")];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  let stopping = false;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  // An early exit fails every later test with "fetch failed": say why here.
  void exited.then((code) => stopping || console.error(`verge start exited with ${String(code)}:\n${output}`));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`verge start was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout.on("data", () => {
      if (!output.includes("verge start: ready")) return;
      clearTimeout(timer);
      resolve();
    });
    void exited.then((code) => reject(new Error(`verge start exited with ${String(code)}:\n${output}`)));
  });
  const find = (pattern: RegExp) => pattern.exec(output)?.[1] ?? assert.fail(`verge start printed no ${pattern.source}:\n${output}`);
  const pops = new Map([...output.matchAll(/verge start: pop (\S+) at (http:\/\/\S+)/g)].map(([, name, url]) => [name, url]));
  const stop = async () => {
    stopping = true;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(killer);
  };
  return { child, stop, pops, api: find(/control API at (http:\/\/\S+)\/v1/), dashboard: find(/dashboard at (http:\/\/\S+)/), token: find(/export VERGE_API_TOKEN=(\S+)/) };
}

let verge: Started;
let browser: TestBrowser;
let dataDir: string;
let version: string;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${verge.api}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${verge.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** One request to the worker at a PoP; true when the worker answered as it does (a 500 for /boom). */
async function hit(pop: string, path = "/"): Promise<boolean> {
  const response = await fetchWithHost(verge.pops.get(pop)! + path, `${WORKER}.localhost`);
  const text = await response.text();
  return path === "/boom" ? response.status === 500 : response.status === 200 && text === "hi";
}

/** Polls check (bounded in time) until it is true; on timeout, fails with what the page showed. */
async function until(page: Page, what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`No ${what} within ${timeoutMs} ms; the page showed:\n${await page.locator("body").innerText()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The text of every element matching selector, now (without waiting for one). */
function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allTextContents();
}

/** Opens the dashboard and connects with a token. */
async function connect(token: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(verge.dashboard);
  // The profile keeps the last test's token: forget it, so that the form is shown.
  await page.evaluate("localStorage.removeItem('verge.apiToken')");
  await page.reload();
  await page.locator("#token").fill(token, { timeout: 5_000 });
  await page.getByRole("button", { name: "Connect" }).click();
  return page;
}

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "verge-dashboard-"));
  [verge, browser] = await Promise.all([startVerge(dataDir), launchChromium()]);
  assert.deepEqual([...verge.pops.keys()], POPS);
  await writeFile(join(dataDir, "worker.js"), SOURCE);
  const { code } = await bundleWorker(join(dataDir, "worker.js"));
  const upload = await api("POST", `/workers/${WORKER}/versions`, { code, config: { vars: {}, bindings: [], routes: [], crons: [] } });
  assert.equal(upload.status, 201, JSON.stringify(upload.json));
  version = (upload.json as { version: { id: string } }).version.id;
  const deployed = await api("POST", `/workers/${WORKER}/deployments`, { version });
  assert.equal(deployed.status, 201, JSON.stringify(deployed.json));
  for (const pop of POPS) {
    let served = 0;
    // The PoPs learn of the deployment through the substrate: bounded retries until each serves it.
    for (let attempt = 0; attempt < 50 && served < 3; attempt++) {
      if (await hit(pop)) served++;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(served, 3, `${pop} did not serve ${WORKER} three times`);
  }
});

after(async () => {
  await browser?.close();
  await verge?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test("a wrong token is refused with the API's 401, and the token is asked for again", async () => {
  const page = await connect("verge_nope_wrong");
  await until(page, "401 message", async () => (await texts(page, "#login-reason")).some((text) => text.includes("refused the token (401 unauthorized)")));
  assert.equal(await page.locator("#views").isHidden(), true);
  assert.equal(await page.evaluate("localStorage.getItem('verge.apiToken')"), null);
  await page.close();
});

test("the page shows the worker, its version, and traffic at the three PoPs", async () => {
  const page = await connect(verge.token);
  const worker = `section[data-worker="${WORKER}"]`;
  await until(page, `worker ${WORKER} with version ${version}`, async () => (await texts(page, `${worker} code.version`)).includes(version));
  assert.match(await page.locator(`${worker} dl`).innerText(), new RegExp(`${version} at 100%`));
  // The cells after the PoP's name: region, last seen, requests.
  const requestsAt = async (pop: string) => Number((await texts(page, `#pops-body tr[data-pop="${pop}"] td`))[2]);
  await until(page, "non-zero requests at every PoP", async () => (await Promise.all(POPS.map(requestsAt))).every((requests) => requests > 0));
  await until(page, "traffic of the worker at every PoP", async () => (await Promise.all(POPS.map((pop) => page.locator(`${worker} tr[data-pop="${pop}"]`).count()))).every((rows) => rows > 0));
  assert.equal(await page.locator("#map-pops .pop").count(), 3);
  assert.equal(await page.locator("#error").isHidden(), true);
  await page.close();
});

test("the live tail shows a new request and log text as text, holds lines while paused, and filters by status", async () => {
  const page = await connect(verge.token);
  await until(page, "worker in the tail's choice", async () => (await texts(page, "#tail-worker option")).includes(WORKER));
  await page.getByLabel("Worker", { exact: true }).selectOption(WORKER);
  const lineWith = (path: string) => page.locator("#tail-lines > li", { hasText: path });
  // The stream opens asynchronously: requests are repeated, a bounded number of times, until one is shown.
  for (let attempt = 0; attempt < 30 && (await lineWith("/tail-probe").count()) === 0; attempt++) {
    assert.ok(await hit("frankfurt", "/tail-probe"));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const line = await lineWith("/tail-probe").first().innerText();
  assert.match(line, /frankfurt\s+200\s+GET\s+\/tail-probe/);
  assert.match(line, /\[log\] <b>markup<\/b>/);
  assert.equal(await page.locator("#tail-lines b").count(), 0);

  await page.getByRole("button", { name: "Pause" }).click();
  assert.ok(await hit("tokyo", "/while-paused"));
  await until(page, "held line", async () => /Paused: \d+ lines held/.test((await texts(page, "#tail-state"))[0]));
  assert.equal(await lineWith("/while-paused").count(), 0);
  await page.getByRole("button", { name: "Resume" }).click();
  await until(page, "held line after resuming", async () => (await lineWith("/while-paused").count()) > 0);

  await page.getByLabel("Status").selectOption("5xx");
  // Requests in order at one PoP: once the 500 is shown, the 200 sent before it would have been too.
  for (let attempt = 0; attempt < 30 && (await lineWith("/boom").count()) === 0; attempt++) {
    assert.ok(await hit("virginia", "/filtered-out"));
    assert.ok(await hit("virginia", "/boom"));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.match(await lineWith("/boom").first().innerText(), /virginia 500 GET \/boom/);
  assert.equal(await lineWith("/filtered-out").count(), 0);
  await page.close();
});

test("a worker's token shows its worker; revoked while the page is open, it sends the page back to the token form", async () => {
  const created = await api("POST", "/tokens", { name: "dashboard-test", worker: WORKER });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const { id, token } = created.json as { id: string; token: string };
  const page = await connect(token);
  await until(page, `worker ${WORKER} seen with its own token`, async () => (await page.locator(`section[data-worker="${WORKER}"]`).count()) > 0);
  assert.match(await page.locator("#status").innerText(), new RegExp(`Token “dashboard-test”, for the worker ${WORKER}`));
  assert.equal((await api("DELETE", `/tokens/${id}`)).status, 204);
  await until(page, "401 message after the revocation", async () => (await page.locator("#views").isHidden()) && (await texts(page, "#login-reason"))[0].includes("401 unauthorized"), 6_000);
  await page.close();
});
