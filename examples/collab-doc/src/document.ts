/**
 * @module The CollabDoc Durable Object: one per document
 * (`idFromName(name)`), living at one PoP and holding the editors' sockets
 * whichever PoP they connected to, with the WebSocket hibernation API. It
 * keeps the document as a Y.Doc, rebuilt from storage whenever the object
 * starts (after an eviction too). A joining editor gets the whole state;
 * each update an editor sends is checked, applied, stored, and only then
 * sent to the other editors (the output gate would hold the sends until
 * the write is durable anyway).
 */
import { DurableObject, type DurableObjectState } from "cloudflare:workers";
import * as Y from "yjs";
import type { Env } from "./env.js";
import { failure, isWebSocketUpgrade, quote } from "./routes.js";
import { DocStore } from "./store.js";
import { checkUpdate, CloseCodes, DocLimits, type Refusal } from "./updates.js";

/** The request header by which the worker tells the object the editor's PoP; it becomes the socket's tag `pop:<name>`. */
export const POP_HEADER = "x-collab-pop";
/** The Y.Text that the example's clients edit. */
export const TEXT = "text";

/** What `read()` answers. */
export interface DocInfo {
  /** The Y.Text `text`. */
  text: string;
  /** Bytes of the encoded state, which a joining editor receives. */
  stateBytes: number;
  /** Bytes in storage, and updates stored since the last compaction. */
  storedBytes: number;
  storedUpdates: number;
  /** Editors connected, by the PoP they connected to. */
  editors: Record<string, number>;
}

export class CollabDoc extends DurableObject<Env> {
  readonly #store = new DocStore(this.ctx.storage);
  #doc = new Y.Doc();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Every event waits until the document is rebuilt from storage.
    void ctx.blockConcurrencyWhile(async () => {
      this.#doc = await this.#store.load();
    });
  }

  /** Accepts the WebSocket the worker forwarded and sends it the whole document. */
  async fetch(request: Request): Promise<Response> {
    if (!isWebSocketUpgrade(request)) return failure(426, "upgrade_required", "A document only takes WebSocket upgrades", { upgrade: "websocket" });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [`pop:${request.headers.get(POP_HEADER) ?? "unknown"}`]);
    server.send(Y.encodeStateAsUpdate(this.#doc));
    // (A variable rather than a literal: Node's own Response type, which tests see, does not know `webSocket`.)
    const init: ResponseInit = { status: 101, webSocket: client };
    return new Response(null, init);
  }

  async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    if (typeof data === "string") {
      ws.send(JSON.stringify({ error: `Text messages are not accepted, send Yjs updates as binary messages: received ${quote(data)}` }));
      return;
    }
    const update = new Uint8Array(data);
    const refusal = checkUpdate(update) ?? (await this.#checkRoom(update));
    if (refusal) return this.#refuse(ws, refusal);
    const changes: Uint8Array[] = [];
    const collect = (change: Uint8Array) => changes.push(change);
    this.#doc.on("update", collect);
    try {
      Y.applyUpdate(this.#doc, update);
    } catch (caught) {
      // It decoded on an empty doc but not on this one: the document may be half-changed, so it is rebuilt from storage, which it never reached.
      this.#doc = await this.#store.load();
      return this.#refuse(ws, { error: `The update does not apply to this document (${caught instanceof Error ? caught.message : String(caught)})`, code: CloseCodes.BAD_UPDATE });
    } finally {
      this.#doc.off("update", collect);
    }
    // Nothing new (an editor sending what the document has) is not stored. An
    // update waiting for another one (pending) is, though it changed nothing yet.
    const pending = this.#doc.store.pendingStructs !== null || this.#doc.store.pendingDs !== null;
    if (changes.length === 0 && !pending) return;
    await this.#store.append(update, this.#doc);
    if (changes.length === 0) return;
    const change = changes.length === 1 ? changes[0] : Y.mergeUpdates(changes);
    for (const other of this.ctx.getWebSockets()) {
      if (other === ws) continue;
      try {
        other.send(change);
      } catch {
        // Closing: it is gone from getWebSockets() by its next event.
      }
    }
  }

  /** The document as it stands, and who edits it from where. */
  async read(): Promise<DocInfo> {
    const editors: Record<string, number> = {};
    for (const ws of this.ctx.getWebSockets()) {
      const pop = this.ctx.getTags(ws).find((tag) => tag.startsWith("pop:"))?.slice("pop:".length) ?? "unknown";
      editors[pop] = (editors[pop] ?? 0) + 1;
    }
    return {
      text: this.#doc.getText(TEXT).toString(),
      stateBytes: Y.encodeStateAsUpdate(this.#doc).byteLength,
      storedBytes: this.#store.storedBytes,
      storedUpdates: this.#store.storedUpdates,
      editors,
    };
  }

  /** Refuses an update that would make the stored document larger than its limit (compacting first, to know). */
  async #checkRoom(update: Uint8Array): Promise<Refusal | null> {
    if (this.#store.storedBytes + update.byteLength <= DocLimits.MAX_DOC_BYTES) return null;
    if (this.#store.storedUpdates > 0) await this.#store.compact(this.#doc);
    const size = this.#store.storedBytes + update.byteLength;
    if (size <= DocLimits.MAX_DOC_BYTES) return null;
    return { error: `The document would grow to about ${size} bytes: the limit is ${DocLimits.MAX_DOC_BYTES}`, code: CloseCodes.TOO_LARGE };
  }

  /** Tells the editor why its update was refused and closes its socket: its copy now holds what the document does not. */
  #refuse(ws: WebSocket, refusal: Refusal): void {
    try {
      ws.send(JSON.stringify({ error: refusal.error }));
      ws.close(refusal.code, refusal.code === CloseCodes.TOO_LARGE ? "Too large" : "Not a Yjs update");
    } catch {
      // Already closing.
    }
  }
}
