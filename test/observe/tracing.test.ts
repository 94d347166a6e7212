/**
 * Tests of distributed tracing: real PoPs serving a worker that calls a
 * loopback origin (which records the `traceparent` it receives) and KV, with
 * spans exported to a loopback OTLP/HTTP receiver that decodes the JSON it is
 * sent. A test waits for what it expects to be exported by flushing the
 * PoP's tracer until it arrives.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createTracer, MAX_CHILD_SPANS, TraceQueueLimits, TracingError, type TracingOptions } from "../../src/observe/tracing/index.js";
import { Pop } from "../../src/pop/server.js";
import { startNetwork, until, type Network } from "../support/network.js";
import { startOrigin, type TestOrigin } from "../support/origin.js";

const FIXTURE = join(import.meta.dirname, "../fixtures/tracing-worker");
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/;
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";
/** OTLP's span kinds and status codes (the protobuf enums). */
const Kind = { SERVER: 2, CLIENT: 3 } as const;
const STATUS_ERROR = 2;

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status: { code?: number; message?: string };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

interface Receiver {
  url: string;
  spans: ExportedSpan[];
  posts: { path: string; contentType: string | undefined }[];
  /** The status the receiver answers with (200 unless a test changes it). */
  status: number;
  close(): Promise<void>;
}

type OtlpAttribute = { key: string; value: Record<string, unknown> };

function attributes(list: OtlpAttribute[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list) {
    const [kind, raw] = Object.entries(value)[0] ?? [];
    out[key] = kind === "intValue" ? Number(raw) : raw;
  }
  return out;
}

/** An OTLP/HTTP collector on loopback that keeps the spans of every JSON export it is sent. */
async function startReceiver(): Promise<Receiver> {
  const receiver = { spans: [], posts: [], status: 200 } as unknown as Receiver;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      receiver.posts.push({ path: req.url ?? "", contentType: req.headers["content-type"] });
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: (Omit<ExportedSpan, "attributes" | "resource"> & { attributes: OtlpAttribute[] })[] }[] }[] };
      for (const resourceSpans of body.resourceSpans) {
        const resource = attributes(resourceSpans.resource.attributes);
        for (const scope of resourceSpans.scopeSpans) for (const span of scope.spans) receiver.spans.push({ ...span, attributes: attributes(span.attributes), resource });
      }
      res.writeHead(receiver.status, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

interface Setup {
  net: Network;
  origin: TestOrigin;
  receiver: Receiver;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Flushes the PoP's tracer until `check` holds on what was exported. */
  exported(check: (spans: ExportedSpan[]) => boolean, what: string): Promise<ExportedSpan[]>;
  /** The traceparent the origin received with its last request, parsed. */
  lastTraceparent(): { traceId: string; parentId: string; flags: string; raw: string | undefined };
  close(): Promise<void>;
}

async function setUp(tracing: (receiver: Receiver) => TracingOptions | undefined): Promise<Setup> {
  const origin = await startOrigin((_req, res) => res.end("from origin"));
  const receiver = await startReceiver();
  const net = await startNetwork(FIXTURE, ["virginia"], 0, { ORIGIN: origin.url }, "virginia", { tracing: tracing(receiver), egress: { allowLocal: true } });
  const pop = net.pops.virginia;
  return {
    net,
    origin,
    receiver,
    async get(path, headers = {}) {
      const res = await net.fetch("virginia", path, { headers });
      await res.text();
      return res;
    },
    async exported(check, what) {
      await until(async () => {
        await pop.tracer?.flush();
        return check(receiver.spans);
      }, what);
      return receiver.spans;
    },
    lastTraceparent() {
      const raw = origin.requests.at(-1)?.headers.traceparent;
      const match = TRACEPARENT.exec(raw ?? "");
      assert.ok(match, `the origin got a valid traceparent: ${raw}`);
      return { traceId: match[1], parentId: match[2], flags: match[3], raw };
    },
    async close() {
      await net.close();
      await origin.close();
      await receiver.close();
    },
  };
}

const trace = (spans: ExportedSpan[], traceId: string) => spans.filter((s) => s.traceId === traceId);
const serverSpan = (spans: ExportedSpan[], traceId: string) => trace(spans, traceId).find((s) => s.kind === Kind.SERVER);

describe("tracing at sample ratio 1", () => {
  let s: Setup;
  before(async () => (s = await setUp((r) => ({ endpoint: r.url, sampleRatio: 1, serviceName: "verge-test" }))));
  after(async () => s?.close());

  test("an incoming traceparent's trace id reaches the origin under a new parent span, with its tracestate", async () => {
    await s.get("/origin", { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate: "vendor=abc,other=1" });
    const sent = s.lastTraceparent();
    assert.equal(sent.traceId, TRACE_ID);
    assert.notEqual(sent.parentId, PARENT_ID);
    assert.equal(sent.flags, "01");
    assert.equal(s.origin.requests.at(-1)?.headers.tracestate, "vendor=abc,other=1");
    const spans = await s.exported((all) => trace(all, TRACE_ID).length >= 2, "the trace exported");
    const request = serverSpan(spans, TRACE_ID)!;
    assert.equal(request.parentSpanId, PARENT_ID, "the request span's parent is the caller's span");
    const fetchSpan = trace(spans, TRACE_ID).find((span) => span.kind === Kind.CLIENT)!;
    assert.equal(fetchSpan.spanId, sent.parentId, "the origin's parent is the subrequest's span");
    assert.equal(fetchSpan.parentSpanId, request.spanId);
  });

  test("a request without a traceparent starts a trace, and the origin still gets a valid one", async () => {
    await s.get("/origin");
    const sent = s.lastTraceparent();
    assert.equal(sent.flags, "01");
    assert.equal(s.origin.requests.at(-1)?.headers.tracestate, undefined);
    const spans = await s.exported((all) => serverSpan(all, sent.traceId) !== undefined, "the new trace exported");
    assert.equal(serverSpan(spans, sent.traceId)!.parentSpanId || undefined, undefined, "a new trace's request span is a root");
  });

  test("the request, its KV calls and its subrequest arrive as spans with correct parent links", async () => {
    const res = await s.get("/kv-origin");
    assert.equal(res.status, 200);
    const { traceId } = s.lastTraceparent();
    const spans = await s.exported((all) => trace(all, traceId).length >= 4, "four spans exported");
    const request = serverSpan(spans, traceId)!;
    assert.equal(request.name, "GET tracing-worker");
    assert.equal(request.attributes["http.request.method"], "GET");
    assert.equal(request.attributes["url.path"], "/kv-origin");
    assert.equal(request.attributes["http.response.status_code"], 200);
    assert.equal(request.attributes["verge.pop"], "virginia");
    assert.equal(request.attributes["verge.outcome"], "ok");
    assert.equal(request.resource["service.name"], "verge-test");
    const children = trace(spans, traceId).filter((span) => span !== request);
    assert.deepEqual(children.map((span) => span.name).sort(), ["fetch GET", "kv.get", "kv.put"]);
    for (const child of children) {
      assert.equal(child.parentSpanId, request.spanId, `${child.name} is a child of the request`);
      assert.equal(child.kind, Kind.CLIENT);
    }
    const fetchSpan = children.find((span) => span.name === "fetch GET")!;
    assert.equal(fetchSpan.attributes["server.address"], new URL(s.origin.url).host);
    assert.equal(fetchSpan.attributes["http.response.status_code"], 200);
    assert.ok(s.receiver.posts.every((post) => post.path === "/v1/traces" && post.contentType === "application/json"), JSON.stringify(s.receiver.posts));
  });

  test("a traceparent the worker copies onto a subrequest is replaced by the subrequest's own", async () => {
    await s.get("/forward", { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` });
    const sent = s.lastTraceparent();
    assert.equal(sent.traceId, TRACE_ID);
    assert.notEqual(sent.parentId, PARENT_ID);
  });

  test("a caller's decision not to sample is honoured: the subrequest says so and nothing is exported", async () => {
    const unsampled = "0af7651916cd43dd8448eb211c80319c";
    await s.get("/origin", { traceparent: `00-${unsampled}-${PARENT_ID}-00` });
    assert.equal(s.lastTraceparent().flags, "00");
    await s.get("/origin");
    const { traceId } = s.lastTraceparent();
    const spans = await s.exported((all) => serverSpan(all, traceId) !== undefined, "the later sampled trace exported");
    assert.deepEqual(trace(spans, unsampled), []);
  });

  test(`spans beyond ${MAX_CHILD_SPANS} in one request are counted, not kept`, async () => {
    const reads = MAX_CHILD_SPANS + 12;
    await s.get(`/kv-many?n=${reads}`);
    const spans = await s.exported((all) => all.some((span) => span.attributes["url.path"] === "/kv-many"), "the request exported");
    const request = spans.find((span) => span.attributes["url.path"] === "/kv-many")!;
    assert.equal(trace(spans, request.traceId).length, 1 + MAX_CHILD_SPANS);
    assert.equal(request.attributes["verge.dropped_spans"], 12);
  });
});

describe("tracing at sample ratio 0", () => {
  let s: Setup;
  before(async () => (s = await setUp((r) => ({ endpoint: r.url, sampleRatio: 0 }))));
  after(async () => s?.close());

  test("requests that succeed export nothing; a thrown error and a 500 are exported whole", async () => {
    await s.get("/hello");
    await s.get("/origin");
    assert.equal(s.lastTraceparent().flags, "00", "the subrequest of an unsampled request says so");
    assert.equal((await s.get("/throw")).status, 500);
    const thrown = s.lastTraceparent().traceId;
    assert.equal((await s.get("/fail")).status, 500);
    const spans = await s.exported((all) => all.filter((span) => span.kind === Kind.SERVER).length >= 2, "both failures exported");
    const requests = spans.filter((span) => span.kind === Kind.SERVER);
    assert.deepEqual(requests.map((span) => span.attributes["url.path"]).sort(), ["/fail", "/throw"]);
    const threw = serverSpan(spans, thrown)!;
    assert.equal(threw.status.code, STATUS_ERROR);
    assert.equal(threw.status.message, "worker_threw_exception");
    assert.equal(threw.resource["service.name"], "verge", "the default service name");
    assert.deepEqual(trace(spans, thrown).filter((span) => span.kind === Kind.CLIENT).map((span) => span.name), ["fetch GET"], "the failed request's subrequest is in its trace");
    const failed = requests.find((span) => span.attributes["url.path"] === "/fail")!;
    assert.equal(failed.status.code, STATUS_ERROR);
    assert.equal(failed.attributes["http.response.status_code"], 500);
  });

  test("a caller that sampled its trace is honoured", async () => {
    const sampled = "5b8efff798038103d269b633813fc60c";
    await s.get("/hello", { traceparent: `00-${sampled}-${PARENT_ID}-01` });
    await s.exported((all) => serverSpan(all, sampled) !== undefined, "the caller's sampled trace exported");
  });
});

describe("malformed traceparent headers are ignored", () => {
  let s: Setup;
  before(async () => (s = await setUp((r) => ({ endpoint: r.url, sampleRatio: 1 }))));
  after(async () => s?.close());

  const cases: [string, string][] = [
    ["version ff", `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ["a version that is not hex", `0g-${TRACE_ID}-${PARENT_ID}-01`],
    ["an all-zero trace id", `00-${"0".repeat(32)}-${PARENT_ID}-01`],
    ["an all-zero parent id", `00-${TRACE_ID}-${"0".repeat(16)}-01`],
    ["upper-case hex", `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ["a short trace id", `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ["a long parent id", `00-${TRACE_ID}-${PARENT_ID}0-01`],
    ["one-digit flags", `00-${TRACE_ID}-${PARENT_ID}-1`],
    ["version 00 with a fifth field", `00-${TRACE_ID}-${PARENT_ID}-01-extra`],
  ];
  for (const [what, header] of cases) {
    test(`${what}: a new trace starts and the tracestate is dropped`, async () => {
      await s.get("/origin", { traceparent: header, tracestate: "vendor=abc" });
      const sent = s.lastTraceparent();
      assert.notEqual(sent.traceId, TRACE_ID);
      assert.notEqual(sent.parentId, PARENT_ID);
      assert.equal(s.origin.requests.at(-1)?.headers.tracestate, undefined);
    });
  }

  test("a later version is read by its first four fields, as the spec asks", async () => {
    await s.get("/origin", { traceparent: `01-${TRACE_ID}-${PARENT_ID}-01-future` });
    assert.equal(s.lastTraceparent().traceId, TRACE_ID);
  });
});

describe("tracing off", () => {
  for (const [what, options] of [["no tracing option", undefined], ["no endpoint", { sampleRatio: 1 }]] as const) {
    test(`${what}: subrequests carry no traceparent and the PoP has no tracer`, async () => {
      const s = await setUp(() => options);
      try {
        await s.get("/origin");
        const headers: IncomingHttpHeaders = s.origin.requests.at(-1)!.headers;
        assert.equal(headers.traceparent, undefined);
        assert.equal(s.net.pops.virginia.tracer, undefined);
      } finally {
        await s.close();
      }
    });
  }
});

describe("a collector that refuses the export", () => {
  test("requests are answered and the refused spans are counted", async () => {
    const s = await setUp((r) => ({ endpoint: r.url, sampleRatio: 1 }));
    try {
      s.receiver.status = 400;
      assert.equal((await s.get("/hello")).status, 200);
      const tracer = s.net.pops.virginia.tracer!;
      await until(async () => {
        await tracer.flush();
        return tracer.counts.failed >= 1;
      }, "the refused export counted");
      assert.equal(tracer.counts.exported, 0);
    } finally {
      await s.close();
    }
  });
});

describe("the export queue", () => {
  test("traces beyond its bound are dropped and counted; the rest are exported", async () => {
    const receiver = await startReceiver();
    const tracer = createTracer({ endpoint: receiver.url, sampleRatio: 1 }, { pop: "queue" })!;
    try {
      const perTrace = 1 + MAX_CHILD_SPANS;
      const fitting = Math.floor(TraceQueueLimits.MAX_QUEUED_SPANS / perTrace);
      // All in one turn of the event loop: nothing is sent before the queue is full.
      for (let i = 0; i < fitting + 3; i++) {
        const record = { method: "GET", path: "/", status: 200, outcome: "ok", pop: "queue", worker: "w", version: "1", ray: `ray-${i}`, cpuMs: 0, wallMs: 1 };
        const trace = tracer.start({}, record);
        for (let c = 0; c < MAX_CHILD_SPANS; c++) trace.child("kv.get").end();
        tracer.finish(record);
      }
      assert.equal(tracer.counts.dropped, 3 * perTrace);
      await tracer.flush();
      assert.equal(tracer.counts.exported, fitting * perTrace);
      assert.equal(receiver.spans.length, fitting * perTrace);
      assert.ok(receiver.posts.length >= Math.ceil((fitting * perTrace) / TraceQueueLimits.MAX_BATCH_SPANS), `sent in batches: ${receiver.posts.length} posts`);
    } finally {
      await tracer.close();
      await receiver.close();
    }
  });
});

describe("tracing options", () => {
  const bad: [string, TracingOptions, RegExp][] = [
    ["an endpoint that is not a URL", { endpoint: "collector 4318" }, /endpoint must be an absolute http\(s\) URL: received "collector 4318"/],
    ["an endpoint that is not http", { endpoint: "ftp://127.0.0.1:4318" }, /endpoint must be an http or https URL: received "ftp:\/\/127.0.0.1:4318"/],
    ["an endpoint with a query", { endpoint: "http://127.0.0.1:4318/?a=1" }, /no query or fragment: received "http:\/\/127.0.0.1:4318\/\?a=1"/],
    ["a ratio above 1", { endpoint: "http://127.0.0.1:4318", sampleRatio: 1.5 }, /sampleRatio must be a number from 0 to 1: received 1.5/],
    ["a negative ratio", { endpoint: "http://127.0.0.1:4318", sampleRatio: -0.1 }, /received -0.1/],
    ["a ratio that is not a number", { endpoint: "http://127.0.0.1:4318", sampleRatio: NaN }, /received NaN/],
    ["a bad ratio without an endpoint", { sampleRatio: 2 }, /received 2/],
    ["an empty service name", { endpoint: "http://127.0.0.1:4318", serviceName: " " }, /serviceName must be a non-empty string: received " "/],
  ];
  for (const [what, tracing, message] of bad) {
    test(`${what} is refused`, async () => {
      await assert.rejects(Pop.start({ name: "refused", port: 0, tracing }), (error: unknown) => {
        assert.ok(error instanceof TracingError);
        assert.equal(error.code, "invalid_tracing_option");
        assert.match(error.message, message);
        return true;
      });
    });
  }
});
