/**
 * @module A PoP's side of Durable Objects: it finds the one PoP that owns an
 * object (the directory), claims objects nobody owns (becoming their owner,
 * rebuilding storage from the journal), forwards events for objects owned
 * elsewhere (substrate request/reply on `do.fwd.<pop>`), answers events other
 * PoPs forward here, connects clients to the WebSockets objects hold (here,
 * or through the socket relay), and evicts idle instances.
 *
 * A PoP without a substrate (a lone PoP in tests) owns every object itself,
 * in memory.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SubstrateError } from "../../../substrate/errors.js";
import type { Closeable, SubstrateView } from "../../../substrate/types.js";
import type { UpgradedSocket } from "../../../runtime/index.js";
import type { BindingServices } from "../../types.js";
import { bucketKey, Directory, type Lease, type ObjectKey, type Ownership } from "../directory/index.js";
import { ObjectJournal, rebuild } from "../journal/index.js";
import { ObjectStorage } from "../storage/index.js";
import { decode, encode, errorReply, objectKeyOf, type ForwardedEvent, type ObjectEvent, type ObjectReply, type ObjectTarget } from "./event.js";
import type { ObjectSocket } from "./object-sockets.js";
import { OwnedObject } from "./owned-object.js";
import { PopRegistry } from "./pop-registry.js";
import { SocketRelay } from "./socket-relay.js";
import { ObjectTally, type DurableObjectStats } from "./stats.js";

const DEFAULT_LEASE_MS = 10_000;
const DEFAULT_IDLE_MS = 70_000;
const DEFAULT_ALARM_RETRY_MS = 2_000;
const DEFAULT_RELEASE_MS = 5 * 60_000;
/** A forwarded event may wait this long for the owner (an object may await slow subrequests). */
const FORWARD_TIMEOUT_MS = 60_000;
/** PoPs an event may pass through before it is refused (a stale directory entry costs one hop). */
const MAX_HOPS = 3;
const forwardSubject = (pop: string) => `do.fwd.${pop}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ObjectHost {
  readonly #services: BindingServices;
  readonly #view: SubstrateView | undefined;
  readonly #owned = new Map<string, OwnedObject>();
  /** The sockets of every object owned here, by id. */
  readonly #sockets = new Map<number, ObjectSocket>();
  /** Claims and rebuilds under way, one per object, so concurrent events share them. */
  readonly #placing = new Map<string, Promise<string>>();
  readonly #tally = new ObjectTally();
  readonly #leaseMs: number;
  readonly #idleMs: number;
  readonly #alarmRetryMs: number;
  readonly #releaseMs: number;
  #ready: Promise<{ directory: Directory; pops: PopRegistry; server: Closeable; relay: SocketRelay }> | undefined;
  readonly #sweep: NodeJS.Timeout;
  #closed = false;

  constructor(services: BindingServices) {
    this.#services = services;
    this.#view = services.substrate;
    const settings = services.settings.durableObjects ?? {};
    this.#leaseMs = settings.leaseMs ?? DEFAULT_LEASE_MS;
    this.#idleMs = settings.idleMs ?? DEFAULT_IDLE_MS;
    this.#alarmRetryMs = settings.alarmRetryMs ?? DEFAULT_ALARM_RETRY_MS;
    this.#releaseMs = Math.max(this.#idleMs, settings.releaseMs ?? DEFAULT_RELEASE_MS);
    this.#sweep = setInterval(() => this.#evictIdle(), Math.max(50, Math.min(10_000, this.#idleMs / 2))).unref();
  }

  /** Starts answering forwarded events (at the PoP's first Durable Object binding). */
  start(): void {
    if (this.#view && !this.#ready) {
      this.#ready = this.#open(this.#view);
      this.#ready.catch(() => undefined);
    }
  }

  /** The object owned here under the shim's key (`<namespace>/<id>`), if any. */
  owned(objectKey: string): OwnedObject | undefined {
    const owned = this.#owned.get(objectKey);
    return owned && !owned.closed ? owned : undefined;
  }

  /** Objects owned here, instances loaded and events, by worker and class (the PoP's metrics read them). */
  stats(): DurableObjectStats[] {
    return this.#tally.snapshot(this.#owned.values());
  }

  /**
   * The socket a caller's client connects to, for an object's 101: the
   * object's own socket when it lives here, else a relay to its PoP.
   */
  async connect(reply: Extract<ObjectReply, { kind: "upgrade" }>): Promise<UpgradedSocket> {
    if (reply.pop === this.#services.pop) {
      const socket = this.#sockets.get(reply.socketId);
      if (!socket) throw new Error("The Durable Object's WebSocket closed before the client was connected");
      return socket;
    }
    const { relay } = await this.#ready!;
    return relay.connect(reply.pop, reply.socketId);
  }

  /** Delivers `event` to the object wherever it lives, claiming it here if nobody owns it. */
  async deliver(target: ObjectTarget, event: ObjectEvent, hops = 0): Promise<ObjectReply> {
    if (this.#closed) return errorReply("Error", `PoP "${this.#services.pop}" is shutting down`);
    const key = objectKeyOf(target);
    const deadline = Date.now() + this.#leaseMs * 2 + 5_000;
    for (let attempt = 0; ; attempt++) {
      const owned = this.owned(key);
      if (owned) {
        this.#tally.count(target, "eventsRun");
        return owned.run(event);
      }
      let place: string;
      try {
        place = await this.#place(target, attempt > 0);
      } catch (error) {
        return errorReply("Error", `The Durable Object could not be placed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (place === this.#services.pop) continue;
      if (hops >= MAX_HOPS) return errorReply("Error", `The Durable Object could not be reached: its owner moved ${hops} times while the event was under way`);
      this.#tally.count(target, "eventsForwarded");
      const reply = await this.#forward(place, { target, event, hops: hops + 1 });
      if (reply !== "unreachable") return reply;
      // The owner is gone (its process died): its lease must run out before another PoP may claim.
      if (Date.now() > deadline) return errorReply("Error", `The Durable Object's owner, PoP "${place}", does not answer and its lease has not expired`);
      await sleep(Math.min(250, this.#leaseMs / 4));
    }
  }

  /** Where the object lives: this PoP (now owning it) or another PoP's name. */
  #place(target: ObjectTarget, fresh: boolean): Promise<string> {
    const key = objectKeyOf(target);
    let placing = this.#placing.get(key);
    if (!placing) {
      placing = this.#claimOrFind(target, fresh).finally(() => this.#placing.delete(key));
      this.#placing.set(key, placing);
    }
    return placing;
  }

  async #claimOrFind(target: ObjectTarget, fresh: boolean): Promise<string> {
    const me = this.#services.pop;
    if (!this.#view) {
      this.#adopt(target, new ObjectStorage(":memory:"));
      return me;
    }
    this.start();
    const { directory, pops } = await this.#ready!;
    const objectKey: ObjectKey = { namespace: target.namespaceId, id: target.id };
    // The watch-fed cache names a live owner without a round trip; after a failed forward, ask the store.
    const known = await directory.lookup(objectKey, { fresh });
    if (known && directory.isLive(known) && !known.mine) return known.pop;
    if (target.hint && !(known && directory.isLive(known))) {
      const hinted = pops.popFor(target.hint);
      if (hinted && hinted !== me) return hinted;
    }
    const claimed = await directory.claim(objectKey, { pop: me, leaseMs: this.#leaseMs, preferredRegion: target.hint ?? undefined });
    if (!claimed.mine) return claimed.pop;
    await this.#becomeOwner(target, claimed, directory);
    return me;
  }

  async #becomeOwner(target: ObjectTarget, ownership: Ownership, directory: Directory): Promise<void> {
    const view = this.#view!;
    const journalKey = bucketKey({ namespace: target.namespaceId, id: target.id });
    // The lease is kept once the rebuild is done; until then the journal reads the fence.
    const kept: { lease?: Lease } = {};
    const journal = new ObjectJournal(view, { key: journalKey, epoch: ownership.epoch, leaseValid: () => kept.lease?.isValid === true });
    const storage = this.#openStorage(target, journal);
    try {
      await rebuild(view, storage, { key: journalKey, epoch: ownership.epoch });
    } catch (error) {
      storage.close();
      await journal.close().catch(() => undefined);
      await directory.release(ownership).catch(() => false);
      throw error;
    }
    const key = objectKeyOf(target);
    kept.lease = directory.keep(ownership, {
      onLost: () => void this.#owned.get(key)?.close({ release: false }),
    });
    this.#adopt(target, storage, journal, kept.lease);
  }

  /** A fresh copy: on disk under the data directory (emptied first, the journal is the truth), else in memory. */
  #openStorage(target: ObjectTarget, journal: ObjectJournal): ObjectStorage {
    const onCommit = journal.onCommit;
    if (!this.#services.dataDir) return new ObjectStorage(":memory:", { onCommit });
    const dir = join(this.#services.dataDir, "durable-objects", target.namespaceId);
    mkdirSync(dir, { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) rmSync(join(dir, `${target.id}.sqlite${suffix}`), { force: true });
    return ObjectStorage.open(dir, target.id, { onCommit });
  }

  #adopt(target: ObjectTarget, storage: ObjectStorage, journal?: ObjectJournal, lease?: Lease): void {
    const owned = new OwnedObject({ target, storage, journal, lease, services: this.#services, alarmRetryMs: this.#alarmRetryMs, socketIndex: this.#sockets });
    this.#owned.set(objectKeyOf(target), owned);
  }

  async #forward(pop: string, forwarded: ForwardedEvent): Promise<ObjectReply | "unreachable"> {
    try {
      const bytes = await this.#view!.request(forwardSubject(pop), encode(forwarded), { timeoutMs: FORWARD_TIMEOUT_MS });
      return decode<ObjectReply>(bytes);
    } catch (error) {
      if (error instanceof SubstrateError && error.code === "no_responders") return "unreachable";
      return errorReply("Error", `The Durable Object's owner, PoP "${pop}", did not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async #open(view: SubstrateView): Promise<{ directory: Directory; pops: PopRegistry; server: Closeable; relay: SocketRelay }> {
    const directory = await Directory.open(view);
    const pops = await PopRegistry.open(view);
    const relay = await SocketRelay.open(view, this.#sockets, Math.max(1000, this.#leaseMs));
    const server = await view.serve(forwardSubject(this.#services.pop), async (message) => {
      const forwarded = decode<ForwardedEvent>(message.data);
      return encode(await this.deliver(forwarded.target, forwarded.event, forwarded.hops));
    });
    return { directory, pops, server, relay };
  }

  /**
   * Evicts idle instances, and releases objects idle for longer (with a
   * substrate): each owned object costs a lease renewal every few seconds,
   * and a released object can move to the PoP that needs it next.
   */
  #evictIdle(): void {
    const now = Date.now();
    for (const [key, owned] of this.#owned) {
      if (owned.closed) this.#owned.delete(key);
      else if (this.#view && owned.releasable(now, this.#releaseMs)) {
        this.#owned.delete(key);
        void owned.close({ release: true });
      } else owned.evictIfIdle(now, this.#idleMs);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweep);
    const ready = await this.#ready?.catch(() => undefined);
    await ready?.server.close();
    await ready?.relay.close();
    await Promise.all([...this.#owned.values()].map((owned) => owned.close({ release: true })));
    this.#owned.clear();
    await ready?.pops.close();
    await ready?.directory.close();
  }
}
