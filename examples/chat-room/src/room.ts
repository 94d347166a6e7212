/**
 * @module The ChatRoom Durable Object: one per room (`idFromName(room)`),
 * living at one PoP, holding every socket of the room whichever PoP its
 * client connected to. It uses the WebSocket hibernation API: the runtime
 * keeps the sockets and calls `webSocketMessage` / `webSocketClose` /
 * `webSocketError`, so the object may be evicted between messages; what it
 * must remember about a socket (its name) is the socket's attachment, and
 * the backlog is in storage.
 */
import { DurableObject } from "cloudflare:workers";
import { Backlog } from "./backlog.js";
import type { Env } from "./env.js";
import { readClientMessage, type ServerMessage } from "./protocol.js";
import { failure, isWebSocketUpgrade } from "./routes.js";

/** What a socket carries across hibernation: its name once it joined (a few dozen bytes of the 2,048 allowed). */
interface Attachment {
  name: string;
}

/** The name a socket joined with, or null. */
function nameOf(ws: WebSocket): string | null {
  const attachment = ws.deserializeAttachment() as Attachment | null;
  return attachment?.name ?? null;
}

function send(ws: WebSocket, message: ServerMessage): void {
  try {
    ws.send(JSON.stringify(message));
  } catch {
    // The socket is closing; its close event does the rest.
  }
}

export class ChatRoom extends DurableObject<Env> {
  readonly #backlog = new Backlog(this.ctx.storage);
  /** Sockets whose quit was announced, so that an error followed by a close announces it once. */
  readonly #gone = new WeakSet<WebSocket>();

  /** Accepts the WebSocket the worker forwarded; the client then sends its name. */
  async fetch(request: Request): Promise<Response> {
    if (!isWebSocketUpgrade(request)) return failure(426, "upgrade_required", "A room only takes WebSocket upgrades", { upgrade: "websocket" });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    // (A variable rather than a literal: Node's own Response type, which tests see, does not know `webSocket`.)
    const init: ResponseInit = { status: 101, webSocket: client };
    return new Response(null, init);
  }

  async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const name = nameOf(ws);
    const action = readClientMessage(data, name);
    if ("error" in action) {
      send(ws, action);
    } else if ("join" in action) {
      ws.serializeAttachment({ name: action.join } satisfies Attachment);
      send(ws, { backlog: await this.#backlog.recent() });
      this.#broadcast({ joined: action.join });
    } else {
      const entry = { name: name!, message: action.say, at: Date.now() };
      // Stored before it is sent: the output gate would hold the sends until the write is durable anyway.
      await this.#backlog.append(entry);
      this.#broadcast(entry);
    }
  }

  async webSocketClose(ws: WebSocket, _code: number, _reason: string, _wasClean: boolean): Promise<void> {
    this.#leave(ws);
  }

  async webSocketError(ws: WebSocket, _error: unknown): Promise<void> {
    this.#leave(ws);
  }

  #leave(ws: WebSocket): void {
    const name = nameOf(ws);
    if (name === null || this.#gone.has(ws)) return;
    this.#gone.add(ws);
    this.#broadcast({ quit: name }, ws);
  }

  /** Sends `message` to every socket that joined, but `except`. */
  #broadcast(message: ServerMessage, except?: WebSocket): void {
    for (const ws of this.ctx.getWebSockets()) {
      if (ws !== except && nameOf(ws) !== null) send(ws, message);
    }
  }
}
