/**
 * Tests of purges across PoPs: `verge purge` against a `verge dev --pops`
 * process (by tag, URL, prefix, everything, one worker), its bad input, and
 * a purge through NATS reaching PoPs that share a real nats-server.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { startProductOrigin, type ProductOrigin } from "../../examples/cached-products/origin/server.js";
import { hostedWorkerFrom } from "../../src/cli/commands/dev.js";
import { loadWorkerConfig } from "../../src/config/index.js";
import { Pop } from "../../src/pop/server.js";
import { NatsServer } from "../../src/substrate/nats/server.js";
import { createNatsSubstrate, type NatsSubstrate } from "../../src/substrate/nats/index.js";
import { startVerge, type VergeProcess } from "../support/cli.js";
import { FaultProxy } from "../support/fault-proxy.js";
import { until } from "../support/network.js";

const BIN = fileURLToPath(new URL("../../bin/verge.js", import.meta.url));
const EXAMPLE = fileURLToPath(new URL("../../examples/cached-products", import.meta.url));
const run = promisify(execFile);

/** Runs `verge purge …` to completion: exit code and output. */
async function vergePurge(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--no-node-snapshot", BIN, "purge", ...args], { timeout: 20_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

async function cacheStatus(url: string, path: string): Promise<string | null> {
  const response = await fetch(`${url}${path}`);
  await response.arrayBuffer();
  return response.headers.get("x-cache");
}

/** Caches `paths` at every PoP: after this, each answers them from its cache. */
async function warm(urls: string[], paths: string[]): Promise<void> {
  for (const url of urls) {
    for (const path of paths) {
      await cacheStatus(url, path);
      assert.equal(await cacheStatus(url, path), "HIT", `${url}${path} is cached`);
    }
  }
}

describe("verge purge against verge dev --pops", () => {
  let origin: ProductOrigin;
  let dev: VergeProcess;
  let urls: string[];
  before(async () => {
    origin = await startProductOrigin(0, "http://127.0.0.1:1/unused");
    dev = await startVerge(["dev", EXAMPLE, "--pops", "tokyo,frankfurt", "--port", "0", "--quiet", "--no-watch", "--allow-local-fetch", "--var", `ORIGIN=${origin.url}`]);
    urls = [...dev.output().matchAll(/at (http:\/\/[\d.]+:\d+) \(pop/g)].map((match) => match[1]);
    assert.equal(urls.length, 2, dev.output());
  });
  after(async () => {
    await dev?.stop();
    await origin?.close();
  });

  const cases: [string, string[], string[], string[]][] = [
    ["--tag", ["--tag", "product:kettle"], ["/products/kettle"], ["/products/grinder"]],
    ["--url", ["--url", "ORIGIN/products/grinder"], ["/products/grinder"], ["/products/kettle"]],
    ["--prefix", ["--prefix", "ORIGIN/products/"], ["/products/kettle", "/products/grinder"], ["/products"]],
    ["--everything", ["--everything"], ["/products", "/products/kettle"], []],
    ["--worker of another worker", ["--everything", "--worker", "someone-else"], [], ["/products", "/products/espresso"]],
    ["--worker of this worker", ["--tag", "products", "--worker", "cached-products"], ["/products", "/products/espresso"], []],
  ];
  for (const [name, flags, purged, kept] of cases) {
    test(`${name} purges at every PoP what it names and nothing else`, async () => {
      await warm(urls, [...purged, ...kept]);
      const args = flags.map((flag) => flag.replace("ORIGIN", origin.url));
      const { code, out } = await vergePurge([...args, "--dev-url", urls[0]]);
      assert.equal(code, 0, out);
      assert.match(out, /purged .* at every PoP/);
      for (const url of urls) {
        for (const path of purged) await until(async () => (await cacheStatus(url, path)) !== "HIT", `${url}${path} purged`, 3000);
        for (const path of kept) assert.equal(await cacheStatus(url, path), "HIT", `${url}${path} kept`);
      }
    });
  }

  test("bad input: a clear message naming the value, exit code 2, nothing purged", async () => {
    await warm(urls, ["/products/kettle"]);
    const bad: [string[], RegExp][] = [
      [[], /give exactly one of --url, --prefix, --tag, --everything: received none/],
      [["--tag", "a", "--everything"], /give exactly one of .*: received --tag, --everything/],
      [["--url", "not a url"], /--url: not a URL: "not a url"/],
      [["--url", "ftp://example.com/x"], /--url: not an http\(s\) URL: "ftp:\/\/example.com\/x"/],
      [["--prefix", "/products/"], /--prefix: a prefix starts with a host name, e.g. "example.com\/products\/": received "\/products\/"/],
      [["--tag", " "], /--tag: a tag must not be empty/],
      [["--tag", "x".repeat(1025)], /--tag: a tag is at most 1024 characters: received 1025/],
      [["--tag", "a", "--dev-url", "ftp://x"], /--dev-url must be an http\(s\) URL of a "verge dev" PoP: received "ftp:\/\/x"/],
      [["--tag", "a", "--dev-url", urls[0], "--nats", "nats://127.0.0.1:4222"], /--dev-url and --nats cannot be used together/],
      [["--tag", "a", "--nats", "http://x"], /--nats must be NATS server URLs such as nats:\/\/127.0.0.1:4222, comma-separated: received "http:\/\/x"/],
      [["--color", "red"], /Unknown option '--color'/],
      [["stray"], /verge purge takes no arguments: received "stray"/],
    ];
    for (const [args, message] of bad) {
      const targeted = args.includes("--dev-url") || args.includes("--nats");
      const { code, out } = await vergePurge(targeted ? args : [...args, "--dev-url", urls[0]]);
      assert.equal(code, 2, `${args.join(" ")}: ${out}`);
      assert.match(out, message, args.join(" "));
    }
    const unreachable = await vergePurge(["--tag", "a", "--dev-url", "http://127.0.0.1:1"]);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.out, /Cannot reach the dev PoP at http:\/\/127.0.0.1:1/);
    for (const url of urls) assert.equal(await cacheStatus(url, "/products/kettle"), "HIT", "nothing was purged");
  });

  test("the dev control area refuses a malformed purge with 400 naming the problem", async () => {
    const cases: [string, string, RegExp][] = [
      ["POST", "not json", /purge: the body must be JSON: received "not json"/],
      ["POST", JSON.stringify({ tags: [] }), /purge: "tags" must be a non-empty array: received \[\]/],
      ["POST", JSON.stringify({ tags: Array(101).fill("t") }), /purge: at most 100 tags per request: received 101/],
      ["GET", "", /purge: use POST \/__verge\/purge: received GET/],
    ];
    for (const [method, body, message] of cases) {
      const response = await fetch(`${urls[0]}/__verge/purge`, { method, body: method === "GET" ? undefined : body });
      assert.equal(response.status, 400);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, message);
    }
  });
});

describe("verge purge --nats", () => {
  let nats: NatsServer;
  let substrate: NatsSubstrate;
  /** Frankfurt reaches NATS through a proxy that can cut it off. */
  let proxied: NatsSubstrate;
  let proxy: FaultProxy;
  let origin: ProductOrigin;
  const pops: Pop[] = [];
  before(async () => {
    nats = await NatsServer.start();
    proxy = await FaultProxy.start(nats.port);
    origin = await startProductOrigin(0, "http://127.0.0.1:1/unused");
    substrate = createNatsSubstrate({ servers: [nats.url] });
    proxied = createNatsSubstrate({ servers: [`nats://127.0.0.1:${proxy.port}`] });
    const { worker } = await hostedWorkerFrom(await loadWorkerConfig(EXAMPLE), { ORIGIN: origin.url });
    for (const name of ["tokyo", "frankfurt", "virginia"]) {
      const view = (name === "frankfurt" ? proxied : substrate).forPop(name, { region: name });
      const pop = await Pop.start({ name, region: name, substrate: view, port: 0, dev: true, poolSize: 1, egress: { allowLocal: true }, cache: { feed: { checkMs: 100, leaseMs: 1000 } } });
      pop.setWorkers([worker]);
      pops.push(pop);
    }
  });
  after(async () => {
    await Promise.all(pops.map((pop) => pop.close(1000)));
    await substrate?.close();
    await proxied?.close();
    await proxy?.close();
    await origin?.close();
    await nats?.stop();
  });

  test("a purge through NATS reaches every PoP", async () => {
    const urls = pops.map((pop) => pop.url);
    // The PoPs confirm they have every purge within the lease once connected.
    await until(async () => pops.every((pop) => pop.cache.current), "every PoP's cache is current", 5000);
    await warm(urls, ["/products/kettle", "/products/grinder"]);
    const { code, out } = await vergePurge(["--tag", "product:kettle", "--nats", nats.url]);
    assert.equal(code, 0, out);
    for (const url of urls) {
      await until(async () => (await cacheStatus(url, "/products/kettle")) !== "HIT", `${url} purged`, 3000);
      assert.equal(await cacheStatus(url, "/products/grinder"), "HIT");
    }
  });

  test("a PoP cut off from NATS during a purge never serves the purged object after it reconnects", async () => {
    const frankfurt = pops[1];
    const price = async () => ((await (await fetch(`${frankfurt.url}/products/grinder`)).json()) as { price: number }).price;
    await until(async () => frankfurt.cache.current, "frankfurt's cache is current", 5000);
    await warm([frankfurt.url], ["/products/grinder"]);
    proxy.cut();
    origin.products.set("grinder", { ...origin.products.get("grinder")!, price: 150 });
    const { code, out } = await vergePurge(["--tag", "product:grinder", "--nats", nats.url]);
    assert.equal(code, 0, out);
    // Cut off, frankfurt knows it may have missed a purge: it answers from the origin.
    await until(async () => (await cacheStatus(frankfurt.url, "/products/grinder")) === "BYPASS", "frankfurt bypasses its cache", 5000);
    assert.equal(await price(), 150);
    proxy.heal();
    const deadline = Date.now() + 1500;
    while (Date.now() < deadline) assert.equal(await price(), 150, "frankfurt served the purged price after reconnecting");
    await until(async () => (await cacheStatus(frankfurt.url, "/products/grinder")) === "HIT", "frankfurt caches again after replaying the purge log", 15_000);
    assert.equal(await price(), 150);
  });

  test("with NATS down, PoPs answer from the origin (BYPASS), and cache again once they have caught up", async () => {
    const [tokyo] = pops;
    await warm([tokyo.url], ["/products/espresso"]);
    await nats.kill();
    await until(async () => (await cacheStatus(tokyo.url, "/products/espresso")) === "BYPASS", "tokyo bypasses its cache", 5000);
    await nats.restart();
    await until(async () => (await cacheStatus(tokyo.url, "/products/espresso")) === "HIT", "tokyo caches again", 15_000);
  });
});
