/**
 * @module The network benchmarks' WebSocket client (the ws package): one
 * socket to one PoP, text messages in sequence, each timed from sending it
 * to the echo's arrival, and the echo checked. Every wait is bounded.
 */
import type { IncomingHttpHeaders } from "node:http";
import WebSocket from "ws";

/** How long a handshake or an echo may take before the run fails (a relayed one takes the model's round trip, about 107 ms). */
const WAIT_MS = 10_000;

/** An open socket whose every message must come back unchanged. */
export class EchoSocket {
  readonly #ws: WebSocket;
  readonly #url: string;
  /** The 101's headers. */
  readonly headers: IncomingHttpHeaders;
  #waiting: { resolve(data: string): void; reject(error: Error): void } | undefined;
  #failure: Error | undefined;
  #sent = 0;

  private constructor(ws: WebSocket, url: string, headers: IncomingHttpHeaders) {
    this.#ws = ws;
    this.#url = url;
    this.headers = headers;
    ws.on("message", (data: Buffer) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) waiting.resolve(data.toString("utf8"));
      else this.#fail(new Error(`${url} sent ${JSON.stringify(data.toString("utf8").slice(0, 100))} unasked`));
    });
    ws.on("close", (code, reason) => this.#fail(new Error(`${url} closed with ${code} ${JSON.stringify(reason.toString())}`)));
    ws.on("error", (error) => this.#fail(error));
  }

  /** The first failure ends the run: the echo being waited for, and every later round trip, fail with it. */
  #fail(error: Error): void {
    this.#failure ??= error;
    this.#waiting?.reject(this.#failure);
    this.#waiting = undefined;
  }

  /** Opens a socket to `path` at `baseUrl` (http:); anything but a 101 fails with the answer's status and body. */
  static open(baseUrl: string, path: string): Promise<EchoSocket> {
    const url = `${baseUrl.replace(/^http/, "ws")}${path}`;
    const ws = new WebSocket(url);
    return bounded(
      new Promise<EchoSocket>((resolve, reject) => {
        ws.once("upgrade", (res) => ws.once("open", () => resolve(new EchoSocket(ws, url, res.headers))));
        ws.once("unexpected-response", (_req, res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => reject(new Error(`${url} answered ${res.statusCode ?? 0} ${JSON.stringify(body.slice(0, 200))}, expected 101`)));
        });
        ws.once("error", reject);
      }),
      `the handshake of ${url}`,
      () => ws.terminate(),
    );
  }

  /** Sends a numbered text message and waits for it to come back; answers the client-side ms. */
  async roundTrip(): Promise<{ ms: number }> {
    if (this.#failure) throw this.#failure;
    const text = `m${++this.#sent}`;
    const started = performance.now();
    const echoed = new Promise<string>((resolve, reject) => (this.#waiting = { resolve, reject }));
    this.#ws.send(text);
    const data = await bounded(echoed, `the echo of ${text} from ${this.#url}`);
    const ms = performance.now() - started;
    if (data !== text) throw new Error(`${this.#url} echoed ${JSON.stringify(data.slice(0, 100))} for ${JSON.stringify(text)}`);
    return { ms };
  }

  close(): void {
    this.#ws.terminate();
  }
}

function bounded<T>(promise: Promise<T>, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what}: not within ${WAIT_MS} ms`));
    }, WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
