/**
 * @module The Substrate interface: every interaction between PoPs and with the
 * control plane goes through it. Two backends implement it (embedded and NATS
 * JetStream); feature code never knows which one it has.
 */

/** Every handle is closeable. Closing twice is harmless. */
export interface Closeable {
  close(): Promise<void>;
}

/** Options of every call that waits. Aborting rejects with the signal's reason. */
export interface WaitOptions {
  signal?: AbortSignal;
}

/**
 * A live feed: an async iterable that also closes. `close()` or the signal
 * ends the iteration cleanly; losing the backend underneath ends it with a
 * `SubstrateError` of code `closed`, the cue to resume from the last position.
 */
export interface Subscription<T> extends AsyncIterable<T>, Closeable {}

/** A key's current value in a bucket. `revision` is the bucket's sequence number of that write. */
export interface BucketEntry {
  key: string;
  value: Uint8Array;
  revision: number;
}

/** One change seen by a bucket watch. */
export type BucketChange =
  | { op: "put"; key: string; value: Uint8Array; revision: number }
  | { op: "delete"; key: string; revision: number };

/** The outcome of a compare-and-set: a conflict is a result, not an exception. */
export type CasResult =
  | { ok: true; revision: number }
  | { ok: false; /** The key's revision now; null when it is absent. */ currentRevision: number | null };

/** Options of `Bucket.watch`. */
export interface WatchOptions extends WaitOptions {
  /**
   * Omitted: first the current entry of every key under the prefix (no
   * deletions), in revision order, then live changes. A number: every change
   * with revision >= fromRevision, deletions included, then live changes. Only
   * the latest change of each key is kept, so a resumed watch may skip a key's
   * intermediate values but never its final state. Resume with last seen + 1.
   */
  fromRevision?: number;
}

/**
 * A key-value bucket with revisions (deployments, the Durable Object
 * directory, leases). Keys are 1 to 1024 characters of `A-Z a-z 0-9 - _ = / .`,
 * not starting or ending with `.`. Revisions increase across the whole bucket.
 * Every call is linearizable at the bucket's home.
 */
export interface Bucket extends Closeable {
  readonly name: string;
  /** The current entry, or null when the key is absent or deleted. */
  get(key: string, options?: WaitOptions): Promise<BucketEntry | null>;
  /** Writes unconditionally; resolves with the new revision once durable. */
  put(key: string, value: Uint8Array, options?: WaitOptions): Promise<number>;
  /** Deletes the key (writing a deletion that watchers see); resolves once durable. */
  delete(key: string, options?: WaitOptions): Promise<void>;
  /**
   * Writes only if `expectedRevision` is the revision of the key's current
   * entry (null: only if the key is absent or deleted, i.e. create). Of several
   * writers racing with the same expectation exactly one wins.
   */
  compareAndSet(key: string, value: Uint8Array, expectedRevision: number | null, options?: WaitOptions): Promise<CasResult>;
  /** Changes of keys starting with `prefix` (plain string prefix; "" for all). Resolves once registered. */
  watch(prefix: string, options?: WatchOptions): Promise<Subscription<BucketChange>>;
}

/** One record of a stream. Sequences start at 1 and have no gaps. */
export interface StreamRecord {
  seq: number;
  data: Uint8Array;
}

/** A message on a subject. `from` is the publishing (or requesting) PoP. */
export interface Message {
  subject: string;
  data: Uint8Array;
  from: string;
}

/** A change of a view's link to the store: lost (store calls wait) or back (they go on). */
export type ConnectionStatus = "disconnected" | "reconnected";

/** Options of `request`. The timeout is wall time, never scaled by a latency model. */
export interface RequestOptions extends WaitOptions {
  timeoutMs: number;
}

/** Answers one request; throwing makes the requester reject with `handler_error`. */
export type RequestHandler = (request: Message, context: { signal: AbortSignal }) => Uint8Array | Promise<Uint8Array>;

/**
 * The substrate as one PoP sees it. Names: buckets and streams are 1 to 64
 * characters of `A-Z a-z 0-9 - _`; subjects are dot-separated tokens, and
 * `subscribe`/`serve` accept the wildcards `*` (one token) and `>` (the rest).
 */
export interface SubstrateView extends Closeable {
  /** The PoP's name. */
  readonly pop: string;
  /** The region the PoP stands in (drives the embedded latency model). */
  readonly region: string;
  /** The bucket called `name`, created when absent. */
  bucket(name: string, options?: WaitOptions): Promise<Bucket>;
  /** Appends a record; resolves with its sequence number once it is durable and ordered. */
  append(stream: string, data: Uint8Array, options?: WaitOptions): Promise<number>;
  /** The sequence of the stream's last record as the store sees it now (0: empty or absent). */
  lastSequence(stream: string, options?: WaitOptions): Promise<number>;
  /** Records from `fromSequence` on, in order, then live ones. Resume with last seen seq + 1. */
  consume(stream: string, fromSequence: number, options?: WaitOptions): Promise<Subscription<StreamRecord>>;
  /** Fire and forget: every subscriber reachable now gets it at most once; nothing is stored. */
  publish(subject: string, data: Uint8Array): void;
  /** Messages published on subjects matching `subject` from now on. Resolves once the interest is registered. */
  subscribe(subject: string, options?: WaitOptions): Promise<Subscription<Message>>;
  /**
   * Sends a request to one server of `subject` and waits for its reply.
   * Rejects with `SubstrateError` code `request_timeout`, `no_responders` or `handler_error`.
   */
  request(subject: string, data: Uint8Array, options: RequestOptions): Promise<Uint8Array>;
  /**
   * Calls `listener` when this PoP loses its link to the store and when it is
   * back; answers a function that stops it. A PoP that cannot tell it is cut
   * off (no error yet) reports nothing: this is a hint, not a failure detector.
   */
  onConnectionChange(listener: (status: ConnectionStatus) => void): () => void;
  /** Answers requests on `subject`; with several servers, each request goes to one. Resolves once registered. */
  serve(subject: string, handler: RequestHandler, options?: WaitOptions): Promise<Closeable>;
}

/** Options of `Substrate.forPop`. */
export interface PopOptions {
  /** The region the PoP stands in; defaults to the PoP's name. */
  region?: string;
}

/** A backend. One view per PoP; closing the substrate closes every view. */
export interface Substrate extends Closeable {
  readonly kind: "embedded" | "nats";
  /** The view of PoP `pop` (the same view for the same name until it is closed). */
  forPop(pop: string, options?: PopOptions): SubstrateView;
}

/** In partition calls, the name of the node holding buckets and streams (the JetStream servers under NATS). */
export const STORE_NODE = "store";
