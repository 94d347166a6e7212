/**
 * @module Test support: WebSocket clients (the ws package) against a test PoP,
 * with every wait bounded in time.
 */
import type { IncomingMessage } from "node:http";
import WebSocket from "ws";
import type { TestPop } from "./pop.js";

const WAIT_MS = 3000;

/** A message as the client received it. */
export interface Received {
  data: string | Buffer;
  binary: boolean;
}

/** A connected client that queues what it receives, so a test can await messages in order. */
export interface TestSocket {
  ws: WebSocket;
  /** The handshake's response (status 101 and its headers). */
  upgrade: IncomingMessage;
  next(): Promise<Received>;
  /** Resolves with the close code and reason the client saw. */
  closed: Promise<{ code: number; reason: string }>;
}

/** An HTTP answer to an upgrade request that was not a 101. */
export class UnexpectedResponse extends Error {
  constructor(
    readonly status: number,
    readonly headers: IncomingMessage["headers"],
    readonly body: string,
  ) {
    super(`Unexpected response ${status}: ${body}`);
  }
}

function within<T>(promise: Promise<T>, what: string, waitMs = WAIT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), waitMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Opens a WebSocket to `path` on the PoP (with `host` as the Host header, when given); an
 * answer other than 101 rejects with an UnexpectedResponse.
 * @example const socket = await connect(pop, "/", "echo.test");
 */
export function connect(pop: Pick<TestPop, "url">, path: string, host?: string, options: { protocols?: string[]; maxPayload?: number; handshakeMs?: number } = {}): Promise<TestSocket> {
  const ws = new WebSocket(`${pop.url.replace(/^http/, "ws")}${path}`, options.protocols ?? [], { headers: host ? { host } : {}, maxPayload: options.maxPayload });
  const queue: Received[] = [];
  const waiters: ((message: Received) => void)[] = [];
  ws.on("message", (data: Buffer, binary: boolean) => {
    const message = { data: binary ? data : data.toString(), binary };
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<TestSocket>((resolve, reject) => {
    ws.once("upgrade", (upgrade) => {
      ws.once("open", () =>
        resolve({
          ws,
          upgrade,
          // The wait starts when a test asks for the close, not at the handshake.
          get closed() {
            return within(closed, "the close");
          },
          next: () => within(queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise<Received>((r) => waiters.push(r)), "a message"),
        }),
      );
    });
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        reject(new UnexpectedResponse(res.statusCode ?? 0, res.headers, body));
        ws.terminate();
      });
    });
    ws.once("error", reject);
  });
  ws.on("error", () => {}); // After the handshake an error is followed by a close, which the tests assert.
  return within(opened, `the handshake of ${path}`, options.handshakeMs);
}

/** Polls `read` until `done` holds of its value (bounded). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
