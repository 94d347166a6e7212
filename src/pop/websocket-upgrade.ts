/**
 * @module WebSocket upgrades at a PoP. node:http hands every request with
 * `Connection: upgrade` to its `upgrade` event. A WebSocket handshake (GET,
 * `Upgrade: websocket`) is handled as any request is, over a ServerResponse
 * on the raw socket, so routing, the ray, platform errors and a worker's
 * non-101 answer are written as for every other request; then the socket is
 * closed. A 101 with a webSocket completes the handshake with the ws library
 * and attaches a peer over the connection to the isolate's socket. Any other
 * upgrade (h2c, say) goes back to node:http as the plain request it was.
 */
import { ServerResponse, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { WebSocketLimits, type InvocationResponse, type SocketPeer, type UpgradedSocket } from "../runtime/index.js";
import { sendPlatformError } from "./platform-error.js";

/** Headers of the handshake that the ws library writes itself, and the PoP's own: a worker's are dropped. */
const HANDSHAKE_HEADERS = new Set(["connection", "upgrade", "sec-websocket-accept", "sec-websocket-protocol", "sec-websocket-extensions", "content-length", "transfer-encoding", "keep-alive", "x-verge-pop", "x-verge-ray"]);
/** Bytes queued for a client that does not read; past this its connection is dropped (the isolate sees 1006). */
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;
const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;

/** What a worker's 101 adds to the handshake, read by the ws library's hooks. */
interface HandshakeAnswer {
  protocol: string | false;
  headers: string[];
}

/**
 * The PoP's WebSocket connections.
 * @example
 * const upgrades = new WebSocketUpgrades(server, (req, res) => void handle(req, res));
 * if (outcome.response.webSocket) await upgrades.accept(req, res, outcome.response, extra);
 */
export class WebSocketUpgrades {
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  /** Handshakes waiting for their worker's answer: the raw socket and what followed the request head. */
  readonly #waiting = new WeakMap<IncomingMessage, { socket: Duplex; head: Buffer }>();
  readonly #answers = new WeakMap<IncomingMessage, HandshakeAnswer>();
  readonly #open = new Set<WebSocket>();

  constructor(server: Server, handle: (req: IncomingMessage, res: ServerResponse) => void) {
    this.#server = server;
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: WebSocketLimits.MAX_MESSAGE_BYTES,
      handleProtocols: (_offered, req) => this.#answers.get(req)?.protocol ?? false,
    });
    this.#wss.on("headers", (headers: string[], req: IncomingMessage) => headers.push(...(this.#answers.get(req)?.headers ?? [])));
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (req.method !== "GET" || req.headers.upgrade?.toLowerCase() !== "websocket") return this.#asPlainRequest(req, socket, head);
      this.#waiting.set(req, { socket, head });
      handle(req, responseOver(req, socket as Socket));
    });
  }

  /**
   * Answers a request whose worker returned a WebSocket: completes the
   * handshake and resolves when the socket is done. A request that did not
   * ask for a WebSocket gets a platform error instead.
   */
  async accept(req: IncomingMessage, res: ServerResponse, response: InvocationResponse, extra: [string, string][]): Promise<void> {
    const socket = response.webSocket!;
    const waiting = this.#waiting.get(req);
    this.#waiting.delete(req);
    if (!waiting) {
      const message = 'The worker returned a WebSocket for a request without the header "Upgrade: websocket"';
      socket.end(1011, message);
      return sendPlatformError(res, "worker_threw_exception", message, extra);
    }
    const key = req.headers["sec-websocket-key"];
    const version = req.headers["sec-websocket-version"];
    if (typeof key !== "string" || !WEBSOCKET_KEY.test(key) || (version !== "13" && version !== "8")) {
      const message = `Invalid WebSocket handshake: Sec-WebSocket-Key ${JSON.stringify(key ?? null)}, Sec-WebSocket-Version ${JSON.stringify(version ?? null)} (expected a 16-byte key in base64 and version 13)`;
      socket.end(1011, message);
      return sendPlatformError(res, "bad_request", message, extra);
    }
    res.statusCode = 101; // For the request log: the ws library writes the handshake.
    res.detachSocket(waiting.socket as Socket);
    this.#answers.set(req, handshakeAnswer(response, extra));
    this.#handshake(req, waiting.socket, waiting.head, socket);
    await socket.closed;
  }

  /** Closes every open connection with 1001 (the PoP is going away); their isolates get their close events. */
  closeAll(): void {
    for (const ws of this.#open) ws.close(1001, "The PoP is shutting down");
  }

  #handshake(req: IncomingMessage, raw: Duplex, head: Buffer, socket: UpgradedSocket): void {
    // The ws library gives up silently on a connection that is gone or a handshake it refuses.
    const gone = () => socket.deliverClose(1006, "", false);
    if (raw.destroyed) return gone();
    raw.once("close", gone);
    this.#wss.handleUpgrade(req, raw, head, (ws) => {
      raw.off("close", gone);
      this.#open.add(ws);
      ws.on("message", (data: Buffer, isBinary: boolean) => socket.deliverMessage(isBinary ? new Uint8Array(data) : data.toString()));
      ws.on("error", (error: Error) => socket.deliverError(error.message));
      ws.on("close", (code: number, reason: Buffer) => {
        this.#open.delete(ws);
        socket.deliverClose(code, reason.toString());
      });
      socket.attach(peerOver(ws));
    });
  }

  /** Gives a non-WebSocket upgrade back to node:http: its head is written again without the upgrade, and parsed as a new request. */
  #asPlainRequest(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      let value = raw[i + 1];
      if (name === "upgrade") continue;
      if (name === "connection") {
        value = value.split(",").map((token) => token.trim()).filter((token) => token.toLowerCase() !== "upgrade").join(", ");
        if (value === "") continue;
      }
      lines.push(`${raw[i]}: ${value}`);
    }
    socket.unshift(Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), head]));
    this.#server.emit("connection", socket);
  }
}

/** A ServerResponse over an upgrade request's raw socket; the socket closes once the response is written. */
function responseOver(req: IncomingMessage, socket: Socket): ServerResponse {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.once("finish", () => socket.end());
  return res;
}

/** The subprotocol and headers of the worker's 101, and the PoP's own headers. */
function handshakeAnswer(response: InvocationResponse, extra: [string, string][]): HandshakeAnswer {
  const answer: HandshakeAnswer = { protocol: false, headers: [] };
  const flat = response.headers;
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i] === "sec-websocket-protocol") answer.protocol = flat[i + 1];
    else if (!HANDSHAKE_HEADERS.has(flat[i])) answer.headers.push(`${flat[i]}: ${flat[i + 1]}`);
  }
  for (const [name, value] of extra) answer.headers.push(`${name}: ${value}`);
  return answer;
}

/** The client's connection as the isolate's socket sees it. */
function peerOver(ws: WebSocket): SocketPeer {
  return {
    send(data) {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_UNSENT_BYTES) return ws.terminate();
      ws.send(data, { binary: typeof data !== "string" });
    },
    close(code, reason) {
      if (code === 1005) ws.close();
      else ws.close(code, reason);
    },
  };
}
