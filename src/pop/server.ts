/**
 * @module A PoP: the HTTP server in front of the workers it hosts. node:http
 * with keep-alive and streaming both ways; `x-verge-pop` and `x-verge-ray` on
 * every response; malformed requests get a 4xx and never reach a worker;
 * close() drains requests in flight.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { PopCache, type PurgeFeedOptions } from "../cache/index.js";
import { createCfLookup, type CfLookup } from "./cf/index.js";
import { createEgress, type Egress, type EgressOptions } from "./egress/index.js";
import { createRuntimeHost, type RuntimeHost } from "../runtime/index.js";
import type { LogLine, WorkerRuntime } from "../runtime/index.js";
import type { SubstrateView } from "../substrate/index.js";
import type { BindingServices, BindingSettings } from "../bindings/types.js";
import { ADMIN_PREFIX, handleAdmin } from "./admin.js";
import { CLIENT_REGION_HEADER, clientLatency, delayResponse } from "./client-latency.js";
import { tagOriginRequests } from "./origin-tag.js";
import { sendPlatformError } from "./platform-error.js";
import { newRay } from "./ray.js";
import { flatHeaders, readRequestBody, requestUrl } from "./request-reader.js";
import { writeResponse } from "./response-writer.js";
import { WebSocketUpgrades } from "./websocket-upgrade.js";
import { createTracer, type Tracer, type TracingOptions } from "../observe/tracing/index.js";
import { pickVersion } from "./version-split.js";
import { WorkerSet, type EvictionPolicy, type HostedWorker } from "./worker-set.js";

export interface PopOptions {
  /** PoP name: the `x-verge-pop` header and `request.cf.colo`. */
  name: string;
  /** The region the PoP stands in (src/regions), for the latency model. Default: none. */
  region?: string;
  /** This PoP's view of the substrate shared by the PoPs of a network (kept for the bindings built on it). */
  substrate?: SubstrateView;
  /** Where the PoP's bindings keep their state (KV replicas); absent: in memory. */
  dataDir?: string;
  /** Tuning of the bindings, e.g. Durable Object lease and idle times (src/bindings/types.ts). */
  bindings?: BindingSettings;
  /** The HTTP cache's bound in bytes (default 256 MiB) and how it follows purges. */
  cache?: { maxBytes?: number; feed?: PurgeFeedOptions };
  port: number;
  hostname?: string;
  /**
   * Dev mode: the `x-verge-client-ip` header sets the client address for
   * `request.cf`; `x-verge-client-region` delays the answer by the model's
   * round trip between that region and the PoP's; `/__verge/…` serves the
   * dev control areas (src/pop/admin.ts), which have no authentication.
   */
  dev?: boolean;
  egress?: EgressOptions;
  poolSize?: number;
  eviction?: Partial<EvictionPolicy>;
  /**
   * The origin behind this PoP: a worker that called `ctx.passThroughOnException()`
   * and then failed has its request forwarded here, as if no worker ran.
   */
  origin?: string;
  /** Shared between PoPs of one process: the geolocation databases are loaded once. */
  cf?: CfLookup;
  onRequest?: (log: RequestLog) => void;
  /** Distributed tracing (src/observe/tracing): W3C trace context in and out, spans over OTLP/HTTP; off without an endpoint. */
  tracing?: TracingOptions;
}

/** The structured record of one request. */
export interface RequestLog {
  pop: string;
  worker: string | null;
  version: string | null;
  ray: string;
  method: string;
  path: string;
  status: number;
  wallMs: number;
  cpuMs: number;
  outcome: string;
  logs: LogLine[];
  /** When the request arrived (ms since the epoch). */
  at: number;
}

const DEV_HEADERS = new Set(["x-verge-client-ip", CLIENT_REGION_HEADER]);
const CF_CACHE_SIZE = 10_000;
const DEFAULT_EVICTION: EvictionPolicy = { idleMs: 5 * 60_000, maxLoaded: 500, maxHeapBytes: 2 * 1024 ** 3 };

let sharedCf: CfLookup | undefined;

export class Pop {
  readonly name: string;
  readonly region: string | undefined;
  readonly substrate: SubstrateView | undefined;
  readonly workers: WorkerSet;
  /** The PoP's HTTP cache (Cache API and cached subrequests). */
  readonly cache: PopCache;
  readonly #server: Server;
  readonly #egress: Egress;
  readonly #host: RuntimeHost;
  readonly #cf: CfLookup;
  readonly #options: PopOptions;
  readonly #sockets = new Set<Socket>();
  readonly #sweep: NodeJS.Timeout;
  readonly #cfCache = new Map<string, string>();
  readonly #webSockets: WebSocketUpgrades;
  readonly #requestListeners = new Set<(log: RequestLog) => void>();
  /** The PoP's tracer, when tracing is on. */
  readonly tracer: Tracer | undefined;
  #closing = false;
  #activeRequests = 0;

  private constructor(options: PopOptions) {
    this.name = options.name;
    this.region = options.region;
    this.substrate = options.substrate;
    // Before anything is started: bad tracing options are refused here.
    const tracer = (this.tracer = createTracer(options.tracing, { pop: options.name, region: options.region }));
    if (tracer) this.#requestListeners.add((log) => tracer.finish(log));
    this.#options = options;
    const egress = options.egress ?? {};
    this.#egress = options.origin
      ? tagOriginRequests(createEgress({ ...egress, allowedOrigins: [...(egress.allowedOrigins ?? []), new URL(options.origin).origin] }), options.origin, options.name)
      : createEgress(egress);
    this.cache = new PopCache({ substrate: options.substrate, maxBytes: options.cache?.maxBytes, feed: options.cache?.feed });
    this.#host = createRuntimeHost({ pop: options.name, egress: this.#egress, poolSize: options.poolSize, substrate: options.substrate, dataDir: options.dataDir, cache: this.cache, bindingSettings: options.bindings });
    this.#cf = options.cf ?? (sharedCf ??= createCfLookup());
    this.workers = new WorkerSet(this.#host);
    this.#host.locateWorkers?.((name) => this.workers.get(name));
    this.#server = createServer({ keepAliveTimeout: 5000, requestTimeout: 60_000 }, (req, res) => void this.#handle(req, res));
    this.#webSockets = new WebSocketUpgrades(this.#server, (req, res) => void this.#handle(req, res));
    this.#server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => onClientError(error, socket));
    this.#server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    const policy = { ...DEFAULT_EVICTION, ...options.eviction };
    this.#sweep = setInterval(() => this.workers.evict(policy), Math.min(10_000, policy.idleMs)).unref();
  }

  static async start(options: PopOptions): Promise<Pop> {
    const pop = new Pop(options);
    pop.cache.start();
    // request.cf is complete only once the geolocation databases are loaded (about a second, once per process).
    await Promise.all([pop.#host.pool.fill(), pop.#cf.ready]);
    try {
      await new Promise<void>((resolve, reject) => {
        pop.#server.once("error", reject);
        pop.#server.listen(options.port, options.hostname ?? "127.0.0.1", () => resolve());
      });
    } catch (error) {
      await pop.close(0); // Its pool, bindings and egress would keep the process alive.
      throw error;
    }
    return pop;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get url(): string {
    const host = this.#options.hostname ?? "127.0.0.1";
    return `http://${host.includes(":") ? `[${host}]` : host}:${this.port}`;
  }

  /** Calls `listener` with the record of every request once it is answered (metrics, the tail); answers a function that stops it. */
  onRequest(listener: (log: RequestLog) => void): () => void {
    this.#requestListeners.add(listener);
    return () => this.#requestListeners.delete(listener);
  }

  /** What the PoP's bindings share, to read their statistics by (kvStats, durableObjectStats); absent for a host without bindings. */
  get bindingServices(): BindingServices | undefined {
    return this.#host.bindingServices;
  }

  setWorkers(workers: HostedWorker[], fallback?: string): void {
    this.workers.replace(workers, fallback);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const ray = newRay(this.name);
    const extra: [string, string][] = [["x-verge-pop", this.name], ["x-verge-ray", ray]];
    const log: RequestLog = { pop: this.name, worker: null, version: null, ray, method: req.method ?? "GET", path: req.url ?? "/", status: 0, wallMs: 0, cpuMs: 0, outcome: "ok", logs: [], at: Date.now() };
    this.#activeRequests++;
    try {
      if (this.#closing) return sendPlatformError(res, "shutting_down", "The PoP is shutting down", [...extra, ["connection", "close"]]);
      let url: URL;
      try {
        url = new URL(requestUrl(req));
      } catch {
        log.outcome = "bad_request";
        return sendPlatformError(res, "bad_request", `Malformed request target: ${JSON.stringify(req.url)}`, extra);
      }
      if (this.#options.dev && url.pathname.startsWith(ADMIN_PREFIX)) {
        log.outcome = "admin";
        return await handleAdmin(this.#host.adminAreas ?? new Map(), req, res, url, extra);
      }
      const latency = this.#options.dev ? clientLatency(req.headers[CLIENT_REGION_HEADER], this.region) : { ms: 0 };
      if ("error" in latency) {
        log.outcome = "bad_request";
        return sendPlatformError(res, "bad_request", latency.error, extra);
      }
      const slot = this.workers.route(url.hostname, url.pathname);
      if (!slot) {
        log.outcome = "no_route";
        return sendPlatformError(res, "no_route", `No worker is routed for ${url.host}${url.pathname}`, extra);
      }
      const runtime = slot.split ? pickVersion(slot, req, this.#clientIp(req)) : slot.primary;
      log.worker = runtime.definition.name;
      log.version = runtime.definition.version;
      await this.#invoke(runtime, req, res, url, extra, log, latency.ms);
    } catch (error) {
      log.outcome = "internal_error";
      log.logs.push({ level: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      sendPlatformError(res, "internal_error", "Internal error", extra);
    } finally {
      this.#activeRequests--;
      log.status = res.statusCode;
      log.wallMs = performance.now() - started;
      if (log.worker !== null && log.logs.length > 0 && this.workers.hasSecrets(log.worker)) {
        for (const line of log.logs) line.message = this.workers.redact(log.worker, line.message);
      }
      this.#options.onRequest?.(log);
      for (const listener of this.#requestListeners) listener(log);
    }
  }

  async #invoke(runtime: WorkerRuntime, req: IncomingMessage, res: ServerResponse, url: URL, extra: [string, string][], log: RequestLog, clientDelayMs: number): Promise<void> {
    const trace = this.tracer?.start(req.headers, log);
    const clientIp = this.#clientIp(req);
    const cfJson = this.#cfJson(clientIp, req.httpVersion);
    let body: Awaited<ReturnType<typeof readRequestBody>>;
    try {
      const pending = readRequestBody(req);
      body = pending instanceof Promise ? await pending : pending;
    } catch (error) {
      log.outcome = "bad_request";
      return sendPlatformError(res, "bad_request", `The request body could not be read: ${error instanceof Error ? error.message : String(error)}`, extra);
    }
    const headers = flatHeaders(req, this.#options.dev ? DEV_HEADERS : undefined);
    headers.push("cf-connecting-ip", clientIp, "cf-ray", log.ray);
    let invocation;
    try {
      const started = runtime.invoke({ method: req.method ?? "GET", url: url.href, headers, cfJson, ...body, trace });
      invocation = started instanceof Promise ? await started : started;
    } catch (error) {
      log.outcome = "worker_threw_exception";
      log.logs.push({ level: "error", message: error instanceof Error ? error.message : String(error) });
      return sendPlatformError(res, "worker_threw_exception", "The worker failed to start", extra);
    }
    const onClose = () => {
      if (res.writableFinished) return;
      invocation.abort();
      // A worker that never answers must not keep the invocation (and its isolate) forever.
      if (!invocation.settled) invocation.fail("worker_no_response", "The client disconnected before the worker responded");
    };
    res.once("close", onClose);
    const outcome = await invocation.outcome;
    try {
      // Dev latency simulation: the simulated client's round trip, paid once the answer is ready.
      await delayResponse(clientDelayMs);
      if (!outcome.ok && outcome.passThrough && this.#options.origin && !(body.body && !(body.body instanceof Uint8Array))) {
        log.outcome = `${outcome.code} (passed through to the origin)`;
        await this.#passThrough(req, url, body.body, headers, res, extra);
      } else if (!outcome.ok) {
        log.outcome = outcome.code;
        sendPlatformError(res, outcome.code, outcome.message, extra);
      } else if (outcome.response.webSocket) {
        log.outcome = "websocket";
        await this.#webSockets.accept(req, res, outcome.response, extra);
      } else {
        const writing = writeResponse(res, outcome.response, extra, req.method === "HEAD");
        if (writing) await writing;
      }
    } catch (error) {
      log.outcome = "response_stream_failed";
      log.logs.push({ level: "error", message: `The response body failed: ${error instanceof Error ? error.message : String(error)}` });
      res.destroy();
    } finally {
      res.off("close", onClose);
      invocation.responseFinished();
      log.cpuMs = invocation.cpuMs;
      log.logs.unshift(...invocation.logs);
    }
  }

  /** The client's address (in dev mode, `x-verge-client-ip` stands in for it). */
  #clientIp(req: IncomingMessage): string {
    return (this.#options.dev && (req.headers["x-verge-client-ip"] as string | undefined)) || req.socket.remoteAddress || "";
  }

  /** Forwards the client's request to the origin unchanged (its body was read first, so it can be replayed). */
  async #passThrough(req: IncomingMessage, url: URL, body: Uint8Array | null, flat: string[], res: ServerResponse, extra: [string, string][]): Promise<void> {
    const headers: [string, string][] = [];
    for (let i = 0; i < flat.length; i += 2) headers.push([flat[i], flat[i + 1]]);
    const target = new URL(url.pathname + url.search, this.#options.origin);
    try {
      const response = await this.#egress.fetch({ method: req.method ?? "GET", url: target.href, headers, body, redirect: "manual" });
      await writeResponse(res, { status: response.status, statusText: response.statusText, headers: response.headers.flat(), body: response.body }, extra, req.method === "HEAD");
    } catch (error) {
      sendPlatformError(res, "origin_unreachable", `The origin could not be reached: ${error instanceof Error ? error.message : String(error)}`, extra);
    }
  }

  /** `request.cf` as JSON, remembered per client address (the lookup is the same for every request from it). */
  #cfJson(clientIp: string, httpVersion: string): string {
    const key = `${clientIp} ${httpVersion}`;
    let json = this.#cfCache.get(key);
    if (json === undefined) {
      json = JSON.stringify(this.#cf.lookup(clientIp, { colo: this.name, httpProtocol: `HTTP/${httpVersion}` }));
      if (this.#cfCache.size >= CF_CACHE_SIZE) this.#cfCache.delete(this.#cfCache.keys().next().value!);
      this.#cfCache.set(key, json);
    }
    return json;
  }

  /** Stops accepting requests, waits up to `timeoutMs` for those in flight, then closes. */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#closing = true;
    clearInterval(this.#sweep);
    this.#webSockets.closeAll();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    const deadline = Date.now() + timeoutMs;
    while ((this.#activeRequests > 0 || this.workers.inFlight > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      this.#server.closeIdleConnections();
    }
    for (const socket of this.#sockets) socket.destroy();
    await closed;
    this.workers.dispose();
    this.#host.pool.close();
    await this.#host.closeBindings?.();
    await this.cache.close();
    await this.#egress.close();
    await this.tracer?.close();
  }
}

function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
  const body = JSON.stringify({ error: { code: "bad_request", message: `Malformed HTTP request: ${error.code ?? error.message}` } });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
