/**
 * @module One Durable Object owned by this PoP: its storage, the journal its
 * writes go to, the directory lease that keeps it here, its alarm, and the
 * delivery of events to its instance in the worker's isolate, and its
 * WebSockets. Replies and outgoing WebSocket messages pass the output gate
 * here: none leaves before the writes made before it are durable in the
 * journal.
 */
import type { Invocation, InvocationOutcome, LogLine } from "../../../runtime/index.js";
import type { BindingServices } from "../../types.js";
import type { Lease } from "../directory/index.js";
import type { ObjectJournal } from "../journal/index.js";
import type { ObjectStorage } from "../storage/index.js";
import type { WireSocketEvent } from "../../../runtime/bridge/protocol.js";
import { errorReply, evictHeader, toIsolate, type ObjectEvent, type ObjectReply, type ObjectTarget } from "./event.js";
import { ObjectSockets, type ObjectSocket, type SocketOwner } from "./object-sockets.js";

/** Set on the invocation of an object event; the `reply` and storage ops read it. */
export interface ObjectScope {
  object: OwnedObject;
  /** The answer to a call or alarm (or the error of any event), set by op `durable_object.reply`. */
  result?: { ok: true; value: unknown } | { ok: false; name: string; message: string };
  /** A fetch answered with a 101: the socket the object holds, set by op `durable_object.upgrade`. */
  upgrade?: { socketId: number; statusText: string; headers: string[] };
}

/** The largest object response body collected for a reply. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Workers retries a failing alarm this many times, with exponential backoff. */
const ALARM_RETRIES = 6;

export interface OwnedObjectParts {
  target: ObjectTarget;
  storage: ObjectStorage;
  /** Absent for a PoP without a substrate (a lone PoP keeps objects in memory only). */
  journal?: ObjectJournal;
  lease?: Lease;
  services: BindingServices;
  alarmRetryMs: number;
  /** The sockets of every object at the PoP, by id (the socket relay finds them there). */
  socketIndex: Map<number, ObjectSocket>;
}

export class OwnedObject implements SocketOwner {
  readonly target: ObjectTarget;
  readonly storage: ObjectStorage;
  readonly sockets: ObjectSockets;
  readonly #journal: ObjectJournal | undefined;
  readonly #lease: Lease | undefined;
  readonly #services: BindingServices;
  readonly #alarmRetryMs: number;
  #alarmTimer: NodeJS.Timeout | undefined;
  #alarmRunning = false;
  #active = 0;
  #lastActive = Date.now();
  #closed = false;
  #snapshotting = false;
  /** True while the instance may be loaded in the isolate (an event reached it since the last eviction). */
  #loaded = false;
  /** Outgoing WebSocket frames waiting for the output gate, in order. */
  #outbox: Promise<void> = Promise.resolve();

  constructor(parts: OwnedObjectParts) {
    this.target = parts.target;
    this.storage = parts.storage;
    this.#journal = parts.journal;
    this.#lease = parts.lease;
    this.#services = parts.services;
    this.#alarmRetryMs = parts.alarmRetryMs;
    this.sockets = new ObjectSockets(this, parts.socketIndex);
    this.scheduleAlarm();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** True while the instance may be loaded in the isolate (an event reached it since the last eviction). */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Delivers one event to the instance (constructing it if needed) and answers once the output gate opens. */
  async run(event: ObjectEvent): Promise<ObjectReply> {
    if (this.#closed) return errorReply("Error", "The Durable Object moved to another PoP while the event was under way");
    const runtime = this.#services.worker(this.target.worker);
    if (!runtime) return errorReply("Error", `Worker "${this.target.worker}" is not hosted at PoP "${this.#services.pop}"`);
    this.#active++;
    this.#loaded = true;
    let invocation: Invocation | undefined;
    try {
      const scope: ObjectScope = { object: this };
      const [header, payload] = toIsolate(this.target, event);
      const started = runtime.invokeEvent(header, payload, scope);
      invocation = started instanceof Promise ? await started : started;
      const reply = await replyOf(await invocation.outcome, scope, invocation.logs, this.#services.pop);
      // The output gate: nothing the object said leaves before its writes are durable.
      await this.durable();
      this.#snapshotSoon();
      return reply;
    } catch (error) {
      return errorReply("Error", `The Durable Object could not answer: ${error instanceof Error ? error.message : String(error)}`, invocation?.logs);
    } finally {
      invocation?.responseFinished();
      this.#active--;
      this.#lastActive = Date.now();
    }
  }

  /** Takes a snapshot when enough was written since the last, off the reply's path, one at a time: a new owner then replays only what follows it. */
  #snapshotSoon(): void {
    if (!this.#journal || this.#snapshotting || this.#closed) return;
    this.#snapshotting = true;
    this.#journal
      .maybeSnapshot(this.storage)
      .catch(() => null) // A snapshot is an optimisation: a failed one leaves the replay longer, nothing lost.
      .finally(() => (this.#snapshotting = false));
  }

  gated(send: () => void): void {
    if (!this.#journal) return send();
    this.#outbox = this.#outbox
      .then(() => this.durable())
      .then(send, () => this.sockets.shutDown(1011, "The Durable Object's writes could not be made durable"));
  }

  socketEvent(socket: ObjectSocket, event: WireSocketEvent): void {
    if (this.#closed) return;
    void this.run({ kind: "socket", socketId: socket.id, event, tags: socket.tags, attachment: socket.attachment });
  }

  /** Resolves once every write committed so far is durable in the journal. */
  async durable(): Promise<void> {
    await this.#journal?.durable();
  }

  /** Evicts the instance from its isolate if it had no event for `idleMs`; storage and ownership stay. */
  evictIfIdle(now: number, idleMs: number): void {
    // Hibernatable sockets let an instance go; one accepted with accept() holds its listeners.
    if (!this.#loaded || this.#active > 0 || this.sockets.anyAwake || this.#alarmRunning || now - this.#lastActive < idleMs) return;
    this.#loaded = false;
    try {
      this.#services.worker(this.target.worker)?.notify(evictHeader(this.target), null);
    } catch {
      // The isolate is gone: so is the instance.
    }
  }

  /**
   * True when the object may be released to the directory: no event for
   * `idleMs`, none under way, and no alarm to fire (an owner must keep an
   * object whose alarm is set, or nobody would fire it).
   */
  releasable(now: number, idleMs: number): boolean {
    return this.#active === 0 && !this.#alarmRunning && !this.sockets.anyOpen && now - this.#lastActive >= idleMs && this.storage.getAlarm() === null;
  }

  /** (Re)arms the alarm timer from storage; called after every storage call that may change it. */
  scheduleAlarm(retryCount = 0): void {
    clearTimeout(this.#alarmTimer);
    this.#alarmTimer = undefined;
    if (this.#closed || this.#alarmRunning) return;
    const at = this.storage.getAlarm();
    if (at === null) return;
    const delay = retryCount > 0 ? this.#alarmRetryMs * 2 ** (retryCount - 1) : at - Date.now();
    this.#alarmTimer = setTimeout(() => void this.#fireAlarm(at, retryCount), Math.max(0, Math.min(delay, 2 ** 31 - 1)));
  }

  async #fireAlarm(at: number, retryCount: number): Promise<void> {
    if (this.#closed) return;
    this.#alarmRunning = true;
    let reply: ObjectReply;
    try {
      reply = await this.run({ kind: "alarm", retryCount });
    } finally {
      this.#alarmRunning = false;
    }
    if (this.#closed) return;
    const current = this.storage.getAlarm();
    if (reply.kind === "error" && retryCount < ALARM_RETRIES && current === at) return this.scheduleAlarm(retryCount + 1);
    // Done, or out of retries: the alarm is cleared unless the handler set a new one.
    if (current === at) {
      this.storage.deleteAlarm();
      await this.durable().catch(() => undefined);
    }
    this.scheduleAlarm();
  }

  /** Stops serving: the lease is released (or already lost), the instance evicted, storage closed. */
  async close(options: { release: boolean }): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#alarmTimer);
    this.sockets.shutDown(1012, "The Durable Object is moving to another PoP: connect again");
    try {
      this.#services.worker(this.target.worker)?.notify(evictHeader(this.target), null);
    } catch {
      // The isolate is gone already.
    }
    await this.#journal?.close().catch(() => undefined);
    if (options.release) await this.#lease?.release().catch(() => false);
    else this.#lease?.stop();
    this.storage.close();
  }
}

async function replyOf(outcome: InvocationOutcome, scope: ObjectScope, logs: LogLine[], pop: string): Promise<ObjectReply> {
  const result = scope.result;
  if (scope.upgrade) {
    const { socketId, statusText, headers } = scope.upgrade;
    return { kind: "upgrade", response: [101, statusText, headers, null], pop, socketId, logs };
  }
  if (result) return result.ok ? { kind: "value", value: result.value, logs } : errorReply(result.name, result.message, logs);
  if (!outcome.ok) return errorReply("Error", `Durable Object failed: ${outcome.message} (${outcome.code})`, logs);
  const { status, statusText, headers, body } = outcome.response;
  return { kind: "response", response: [status, statusText, headers, await collect(body)], logs };
}

async function collect(body: Uint8Array | string | AsyncIterable<Uint8Array> | null): Promise<Uint8Array | null> {
  if (body === null || body instanceof Uint8Array) return body;
  if (typeof body === "string") return new TextEncoder().encode(body);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > MAX_RESPONSE_BYTES) throw new RangeError(`The Durable Object's response body is over ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
