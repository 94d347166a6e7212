/**
 * @module serveDashboard on a real loopback server: the page and every asset
 * it loads, HEAD, the answers to unknown assets and other methods, paths left
 * to the API, and no markup parsing anywhere in the page's scripts.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { serveDashboard } from "./index.js";

let server: Server;
let base: string;

before(async () => {
  server = createServer((req, res) => {
    if (serveDashboard(req, res, new URL(req.url ?? "/", "http://127.0.0.1"))) return;
    res.writeHead(418).end("not the dashboard's");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("the page is served at / with a policy that allows only its own origin", async () => {
  const response = await fetch(`${base}/`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  assert.match(response.headers.get("content-security-policy") ?? "", /default-src 'none'; script-src 'self'/);
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  assert.match(await response.text(), /<script type="module" src="\/dashboard\/app\.js">/);
});

test("every asset the page and its modules load is served with its type", async () => {
  const seen = new Set<string>();
  const queue = ["/"];
  while (queue.length > 0 && seen.size < 50) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const response = await fetch(base + path);
    assert.equal(response.status, 200, `${path} answered ${response.status}`);
    const text = await response.text();
    for (const [, absolute, relative] of text.matchAll(/(?:src|href)="(\/dashboard\/[^"]+)"|from "\.\/([^"]+)"/g)) queue.push(absolute ?? `/dashboard/${relative}`);
  }
  const scripts = [...seen].filter((path) => path.endsWith(".js"));
  assert.deepEqual(scripts.sort(), ["api", "app", "dom", "format", "pops", "tail", "workers"].map((name) => `/dashboard/${name}.js`));
  assert.ok(seen.has("/dashboard/style.css") && seen.has("/dashboard/favicon.svg"), [...seen].join(", "));
  const script = await fetch(`${base}/dashboard/app.js`);
  assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
  await script.body?.cancel();
});

test("no script of the page parses markup: API data only ever becomes text", async () => {
  for (const name of ["api", "app", "dom", "format", "pops", "tail", "workers"]) {
    const text = await (await fetch(`${base}/dashboard/${name}.js`)).text();
    assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/, `${name}.js`);
  }
});

test("HEAD answers the headers without a body", async () => {
  const response = await fetch(`${base}/dashboard/style.css`, { method: "HEAD" });
  assert.equal(response.status, 200);
  assert.ok(Number(response.headers.get("content-length")) > 100);
  assert.equal(await response.text(), "");
});

test("an unknown asset is a 404 naming its path", async () => {
  const response = await fetch(`${base}/dashboard/nope.js`);
  assert.equal(response.status, 404);
  assert.equal(await response.text(), 'No dashboard asset at "/dashboard/nope.js"\n');
});

test("a method other than GET or HEAD is a 405 naming it", async () => {
  const response = await fetch(`${base}/`, { method: "POST", body: "x" });
  assert.equal(response.status, 405);
  assert.equal(response.headers.get("allow"), "GET, HEAD");
  assert.equal(await response.text(), 'The dashboard answers GET and HEAD, not "POST"\n');
});

test("other paths are left to the caller", async () => {
  for (const path of ["/v1/pops", "/index.html", "/dashboard"]) {
    const response = await fetch(base + path);
    assert.equal(response.status, 418, path);
    await response.body?.cancel();
  }
});
