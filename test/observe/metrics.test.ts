/**
 * Tests of the per-PoP Prometheus metrics: three real PoPs on one embedded
 * substrate (tokyo, frankfurt, and london, which serves no request), each
 * with its own registry and metrics server, scraped over HTTP and parsed as
 * Prometheus text. Counts are compared before and after what a test does.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { prometheusContentType } from "prom-client";
import { VergeError } from "../../src/errors.js";
import { mergedMetrics, PopMetrics, startMetricsServer, type MetricsServer } from "../../src/observe/metrics/index.js";
import { oneWayMs } from "../../src/regions/index.js";
import { startNetwork, until, type Network } from "../support/network.js";

interface Sample {
  labels?: Record<string, string>;
  value?: string;
}
interface Family {
  name: string;
  type: string;
  metrics: Sample[];
}
const parseText = createRequire(import.meta.url)("parse-prometheus-text-format") as (text: string) => Family[];

/**
 * Parses an exposition. The parser folds a histogram's series into one
 * sample and drops their labels, so histograms are parsed as what they are
 * on the wire: three plain families `<name>_bucket` (with `le`), `_sum` and
 * `_count`, next to an empty family `<name>` of type HISTOGRAM.
 */
function parse(text: string): Family[] {
  const histograms = new Set(parseText(text).filter((f) => f.type === "HISTOGRAM").map((f) => f.name));
  return parseText(text.replace(/^# TYPE (\S+) histogram$/gm, "# TYPE $1 untyped")).map((f) => (histograms.has(f.name) ? { ...f, type: "HISTOGRAM" } : f));
}

const FIXTURE = join(import.meta.dirname, "../fixtures/metrics-worker");
const WORKER = "metrics-worker";
const LATENCY_SCALE = 0.2;
const POPS = ["tokyo", "frankfurt", "london"] as const;
type PopName = (typeof POPS)[number];

let net: Network;
let version: string;
const metrics = {} as Record<PopName, PopMetrics>;
const servers = {} as Record<PopName, MetricsServer>;

before(async () => {
  net = await startNetwork(FIXTURE, [...POPS], LATENCY_SCALE);
  version = net.pops.tokyo.workers.runtimes[0].definition.version;
  for (const name of POPS) {
    const popMetrics = PopMetrics.attach(net.pops[name]);
    metrics[name] = popMetrics;
    servers[name] = await startMetricsServer({ port: 0, metrics: () => popMetrics.metrics() });
  }
});
after(async () => {
  for (const name of POPS) {
    await servers[name]?.close();
    metrics[name]?.close();
  }
  await net?.close();
});

async function scrape(pop: PopName): Promise<Family[]> {
  const res = await fetch(servers[pop].url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), prometheusContentType);
  return parse(await res.text());
}

/** The samples of metric `name` whose labels include `labels` (none when the metric has no series yet). */
function series(families: Family[], name: string, labels: Record<string, string> = {}): Sample[] {
  const family = families.find((f) => f.name === name);
  return (family?.metrics ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

/** Asserts that metric `name` is exposed with its type. */
function assertType(families: Family[], name: string, type: string): void {
  assert.equal(families.find((f) => f.name === name)?.type, type, `${name} is exposed as a ${type.toLowerCase()}`);
}

/** The sum of the matching samples' values (0 when none matches). */
const value = (families: Family[], name: string, labels: Record<string, string> = {}): number => series(families, name, labels).reduce((sum, m) => sum + Number(m.value), 0);

/** Count and sum of the matching series of histogram `name`. */
function histogram(families: Family[], name: string, labels: Record<string, string> = {}): { count: number; sum: number } {
  assertType(families, name, "HISTOGRAM");
  return { count: value(families, `${name}_count`, labels), sum: value(families, `${name}_sum`, labels) };
}

/** The cumulative bucket counts of one series of histogram `name`, by upper bound. */
function buckets(families: Family[], name: string, labels: Record<string, string>): [number, number][] {
  return series(families, `${name}_bucket`, labels)
    .map((m) => [m.labels?.le === "+Inf" ? Infinity : Number(m.labels?.le), Number(m.value)] as [number, number])
    .sort(([a], [b]) => a - b);
}

/** Scrapes `pop` until `check` holds (the request record is handed over once the response is sent). */
async function scrapeUntil(pop: PopName, what: string, check: (families: Family[]) => boolean): Promise<Family[]> {
  let families: Family[] = [];
  await until(async () => check((families = await scrape(pop))), what, 5000);
  return families;
}

const mine = { worker: WORKER };

describe("request metrics", () => {
  test("requests and errors by worker, version, status class and outcome; CPU and wall histograms count every request", async () => {
    const start = await scrape("tokyo");
    const requests = (families: Family[], labels: Record<string, string>) => value(families, "verge_requests_total", { ...mine, version, ...labels }) - value(start, "verge_requests_total", { ...mine, version, ...labels });
    const statuses: number[] = [];
    for (const path of ["/ok", "/ok", "/ok", "/fail", "/fail", "/throw"]) {
      const res = await net.fetch("tokyo", path);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 500, 500, 500]);
    const end = await scrapeUntil("tokyo", "six requests counted", (families) => requests(families, {}) >= 6);
    assert.equal(requests(end, {}), 6);
    assert.equal(requests(end, { status_class: "2xx", outcome: "ok" }), 3);
    assert.equal(requests(end, { status_class: "5xx", outcome: "ok" }), 2, "the worker's own 500s");
    assert.equal(requests(end, { status_class: "5xx", outcome: "worker_threw_exception" }), 1);
    const errors = (labels: Record<string, string>) => value(end, "verge_request_errors_total", { ...mine, version, ...labels }) - value(start, "verge_request_errors_total", { ...mine, version, ...labels });
    assert.equal(errors({ outcome: "ok" }), 2);
    assert.equal(errors({ outcome: "worker_threw_exception" }), 1);

    for (const name of ["verge_request_cpu_seconds", "verge_request_duration_seconds"]) {
      const before = histogram(start, name, mine);
      const now = histogram(end, name, mine);
      assert.equal(now.count - before.count, 6, `${name} counts every request`);
      assert.ok(now.sum > before.sum, `${name} grew: ${before.sum} → ${now.sum}`);
      const counts = buckets(end, name, { ...mine, version });
      assert.ok(counts.length > 5, `${name} has buckets`);
      assert.deepEqual(counts.map(([, n]) => n), counts.map(([, n]) => n).sort((a, b) => a - b), `${name} buckets are cumulative`);
      assert.deepEqual(counts.at(-1), [Infinity, histogram(end, name, { ...mine, version }).count], `${name}: the +Inf bucket is the count`);
    }
    // Every series carries its PoP.
    assert.ok(series(end, "verge_requests_total").every((m) => m.labels?.pop === "tokyo"));
  });

  test("two PoPs of one process count only their own requests", async () => {
    const okAt = (families: Family[]) => value(families, "verge_requests_total", { ...mine, status_class: "2xx", outcome: "ok" });
    const [tokyo0, frankfurt0] = [okAt(await scrape("tokyo")), okAt(await scrape("frankfurt"))];
    for (let i = 0; i < 2; i++) await (await net.fetch("tokyo", "/ok")).arrayBuffer();
    for (let i = 0; i < 3; i++) await (await net.fetch("frankfurt", "/ok")).arrayBuffer();
    const tokyo = await scrapeUntil("tokyo", "two requests at tokyo", (f) => okAt(f) >= tokyo0 + 2);
    const frankfurt = await scrapeUntil("frankfurt", "three requests at frankfurt", (f) => okAt(f) >= frankfurt0 + 3);
    assert.equal(okAt(tokyo) - tokyo0, 2);
    assert.equal(okAt(frankfurt) - frankfurt0, 3);
    assert.ok(series(frankfurt, "verge_requests_total").every((m) => m.labels?.pop === "frankfurt"));

    const merged = parse(await mergedMetrics([metrics.tokyo, metrics.frankfurt]));
    assert.equal(okAt(merged), okAt(tokyo) + okAt(frankfurt), "the merged exposition holds both PoPs' series");
    assert.equal(value(merged, "verge_requests_total", { ...mine, pop: "frankfurt", status_class: "2xx", outcome: "ok" }), okAt(frankfurt));
  });

  test("a closed PopMetrics stops counting and empties its registry; another on the same PoP is independent", async () => {
    const extra = PopMetrics.attach(net.pops.tokyo);
    await (await net.fetch("tokyo", "/ok")).arrayBuffer();
    const counted = () => extra.metrics().then((text) => value(parse(text), "verge_requests_total", mine));
    await until(async () => (await counted()) === 1, "the new registry counts the request from its attachment on");
    extra.close();
    assert.equal(await extra.metrics(), "\n");
    await (await net.fetch("tokyo", "/ok")).arrayBuffer();
    assert.ok(value(await scrape("tokyo"), "verge_requests_total", mine) > 1, "the PoP's own metrics go on");
  });
});

describe("isolate metrics", () => {
  test("cold starts and loaded isolates by worker and version; a PoP that served nothing has none", async () => {
    await (await net.fetch("tokyo", "/ok")).arrayBuffer();
    const tokyo = await scrape("tokyo");
    assert.ok(value(tokyo, "verge_cold_starts_total", { ...mine, version }) >= 1);
    assert.equal(value(tokyo, "verge_isolates_loaded", { ...mine, version }), 1);
    assert.ok(value(tokyo, "verge_isolate_heap_bytes", { ...mine, version }) > 0);
    const london = await scrape("london");
    assert.equal(value(london, "verge_cold_starts_total", { ...mine, version }), 0);
    assert.equal(value(london, "verge_isolates_loaded", { ...mine, version }), 0);
    assert.equal(value(london, "verge_isolate_heap_bytes", { ...mine, version }), 0);
  });
});

describe("KV metrics", () => {
  test("a write at tokyo is observed at the other PoPs with the lag the latency model gives, and not at tokyo", async () => {
    const lag = (families: Family[]) => histogram(families, "verge_kv_replication_lag_seconds", { namespace: "metrics", source_pop: "tokyo" });
    const before = { frankfurt: lag(await scrape("frankfurt")), london: lag(await scrape("london")) };
    const res = await net.fetch("tokyo", "/kv/greeting", { method: "PUT", body: "hello" });
    assert.equal(await res.text(), "written");
    for (const pop of ["frankfurt", "london"] as const) {
      const now = lag(await scrapeUntil(pop, `the write applied at ${pop}`, (f) => lag(f).count > before[pop].count));
      assert.equal(now.count - before[pop].count, 1);
      // The record goes tokyo → the store at virginia → this PoP, each leg delayed by the model.
      const modelMs = (oneWayMs("tokyo", "virginia") + oneWayMs("virginia", pop)) * LATENCY_SCALE;
      const observedMs = (now.sum - before[pop].sum) * 1000;
      assert.ok(observedMs >= modelMs - 2, `lag at ${pop}: ${observedMs.toFixed(1)} ms, the model's path alone is ${modelMs.toFixed(1)} ms`);
    }
    const tokyo = await scrape("tokyo");
    assert.equal(histogram(tokyo, "verge_kv_replication_lag_seconds").count, 0, "a PoP's own writes are not propagation");
  });
});

describe("cache metrics", () => {
  test("lookups by worker and result, the hit ratio, and stores follow what the worker saw", async () => {
    const start = await scrape("tokyo");
    const seen: string[] = [];
    await until(async () => {
      const res = await net.fetch("tokyo", "/cached");
      await res.arrayBuffer();
      seen.push(res.headers.get("x-cache") ?? "none");
      return seen.at(-1) === "hit";
    }, "a cached response");
    assert.ok(seen.length <= 20, `a hit within 20 requests: ${seen.join(", ")}`);
    const end = await scrape("tokyo");
    const lookups = (result: string) => value(end, "verge_cache_lookups_total", { ...mine, result }) - value(start, "verge_cache_lookups_total", { ...mine, result });
    assert.equal(lookups("hit"), seen.filter((s) => s === "hit").length);
    assert.equal(lookups("miss"), seen.filter((s) => s === "miss").length);
    const hits = value(end, "verge_cache_lookups_total", { ...mine, result: "hit" });
    const misses = value(end, "verge_cache_lookups_total", { ...mine, result: "miss" });
    assert.equal(value(end, "verge_cache_hit_ratio", mine), hits / (hits + misses));
    assert.ok(value(end, "verge_cache_stores_total") >= 1);
    assert.ok(value(end, "verge_cache_entries") >= 1);
    assert.ok(value(end, "verge_cache_size_bytes") > 0);
  });
});

describe("Durable Object metrics", () => {
  test("the owner counts its objects and events; another PoP counts what it forwards", async () => {
    const labels = { ...mine, class: "Counter" };
    const start = { frankfurt: await scrape("frankfurt"), tokyo: await scrape("tokyo") };
    const name = `metrics-${Date.now()}`;
    for (const pop of ["frankfurt", "frankfurt", "tokyo"] as const) {
      const res = await net.fetch(pop, `/counter/${name}`, { method: "POST" });
      assert.equal(res.status, 200, await res.clone().text());
      await res.arrayBuffer();
    }
    const frankfurt = await scrape("frankfurt");
    const tokyo = await scrape("tokyo");
    const delta = (pop: "frankfurt" | "tokyo", families: Family[], metric: string) => value(families, metric, labels) - value(start[pop], metric, labels);
    assert.equal(delta("frankfurt", frankfurt, "verge_durable_objects_owned"), 1, "frankfurt took the object at its first event");
    assert.ok(value(frankfurt, "verge_durable_objects_loaded", labels) >= 1);
    assert.equal(delta("frankfurt", frankfurt, "verge_durable_object_events_total"), 3, "two events of its own and one forwarded by tokyo");
    assert.equal(delta("tokyo", tokyo, "verge_durable_object_forwards_total"), 1);
    assert.equal(delta("tokyo", tokyo, "verge_durable_objects_owned"), 0);
  });
});

describe("the metrics server", () => {
  test("answers GET and HEAD on /metrics; another path is a 404 and another method a 405, each naming the value", async () => {
    const head = await fetch(servers.tokyo.url, { method: "HEAD" });
    assert.equal(head.status, 200);
    const base = servers.tokyo.url.replace(/\/metrics$/, "");
    const missing = await fetch(`${base}/stats`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Not found: "\/stats"; metrics are at \/metrics/);
    const post = await fetch(servers.tokyo.url, { method: "POST", body: "x" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    assert.match(await post.text(), /Method not allowed: "POST"/);
    assert.equal((await fetch(`${servers.tokyo.url}?name[]=verge_requests_total`)).status, 200, "a query is ignored");
  });

  test("a failing source answers 500 with its message", async () => {
    const server = await startMetricsServer({ port: 0, metrics: () => Promise.reject(new Error("registry gone")) });
    try {
      const res = await fetch(server.url);
      assert.equal(res.status, 500);
      assert.equal(await res.text(), "The metrics could not be read: registry gone");
    } finally {
      await server.close();
    }
  });

  test("a bad port or hostname is refused with the value named", async () => {
    for (const port of [-1, 65536, 1.5, Number.NaN]) {
      await assert.rejects(startMetricsServer({ port, metrics: () => "" }), (error: unknown) => {
        assert.ok(error instanceof VergeError);
        assert.equal(error.code, "usage");
        assert.equal(error.message, `Metrics port must be an integer from 0 to 65535: received ${String(port)}`);
        return true;
      });
    }
    await assert.rejects(startMetricsServer({ port: 0, hostname: "", metrics: () => "" }), /Metrics hostname must be a non-empty string: received ""/);
  });
});

describe("docs/observability.md", () => {
  test("lists every metric a PoP exposes, with its type and labels", async () => {
    const doc = readFileSync(join(import.meta.dirname, "../../docs/observability.md"), "utf8");
    const rows = [...doc.matchAll(/^\| `(verge_[a-z_]+)` \| (counter|gauge|histogram) \|([a-z_, ]*)\|/gm)];
    const documented = new Map(rows.map(([, name, type, labels]) => [name, { type: type.toUpperCase(), labels: labels.split(",").map((l) => l.trim()).filter(Boolean).sort() }]));
    const scrapes = await Promise.all(POPS.map((pop) => scrape(pop)));
    const exposed = scrapes[0].filter((f) => f.type !== "UNTYPED").map((f) => [f.name, f.type] as const);
    assert.deepEqual(exposed.map(([name, type]) => [name, type]).sort(), [...documented].map(([name, { type }]) => [name, type]).sort());
    for (const [name, { type, labels }] of documented) {
      const samples = scrapes.flatMap((families) => series(families, type === "HISTOGRAM" ? `${name}_count` : name));
      assert.ok(samples.length > 0 || labels.length > 0, `${name} has a sample`);
      for (const sample of samples) assert.deepEqual(Object.keys(sample.labels ?? {}).filter((l) => l !== "pop").sort(), labels, `labels of ${name}`);
    }
  });
});
