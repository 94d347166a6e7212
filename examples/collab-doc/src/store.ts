/**
 * @module A document in `ctx.storage`: its compacted state (the output of
 * `Y.encodeStateAsUpdate`, cut into `state:<n>` chunks, since a value may
 * be 128 KiB at most), plus each update accepted since, under
 * `update:<sequence number>`. Accepting an update writes only that update;
 * once COMPACT_AFTER_UPDATES of them or COMPACT_AFTER_BYTES are stored, one
 * transaction replaces the state with the document's and deletes them. A
 * Yjs update applies the same however often it is applied, so replaying
 * the state and then the updates in order gives the document back.
 */
import type { DurableObjectStorage } from "cloudflare:workers";
import * as Y from "yjs";
import { chunk, DocLimits, join } from "./updates.js";

const STATE = "state:";
const UPDATE = "update:";
/** Keys per storage call, at most. */
const KEYS_PER_CALL = 128;

/** The key of state chunk `n` or of update `seq`: zero-padded, so that key order is their order. */
export const stateKey = (n: number) => `${STATE}${String(n).padStart(4, "0")}`;
export const updateKey = (seq: number) => `${UPDATE}${String(seq).padStart(12, "0")}`;

const bytesOf = (values: Iterable<Uint8Array>) => [...values].reduce((sum, bytes) => sum + bytes.byteLength, 0);

export class DocStore {
  readonly #storage: DurableObjectStorage;
  #stateChunks = 0;
  #stateBytes = 0;
  #updateKeys: string[] = [];
  #updateBytes = 0;
  #next = 0;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
  }

  /** The stored document, rebuilt: the state, then the updates since, in order. */
  async load(): Promise<Y.Doc> {
    const doc = new Y.Doc();
    const chunks = await this.#storage.list<Uint8Array>({ prefix: STATE });
    const state = join([...chunks.values()]);
    if (state.byteLength > 0) Y.applyUpdate(doc, state);
    const updates = await this.#storage.list<Uint8Array>({ prefix: UPDATE });
    for (const update of updates.values()) Y.applyUpdate(doc, update);
    this.#stateChunks = chunks.size;
    this.#stateBytes = state.byteLength;
    this.#updateKeys = [...updates.keys()];
    this.#updateBytes = bytesOf(updates.values());
    const last = this.#updateKeys.at(-1);
    this.#next = last === undefined ? 0 : Number(last.slice(UPDATE.length)) + 1;
    return doc;
  }

  /** Bytes stored: at least the size of the document's encoded state. */
  get storedBytes(): number {
    return this.#stateBytes + this.#updateBytes;
  }

  /** Updates stored one by one since the last compaction. */
  get storedUpdates(): number {
    return this.#updateKeys.length;
  }

  /** Stores `update`, which `doc` has applied; compacts when enough updates are stored. */
  async append(update: Uint8Array, doc: Y.Doc): Promise<void> {
    const key = updateKey(this.#next++);
    await this.#storage.put(key, update);
    this.#updateKeys.push(key);
    this.#updateBytes += update.byteLength;
    if (this.#updateKeys.length >= DocLimits.COMPACT_AFTER_UPDATES || this.#updateBytes >= DocLimits.COMPACT_AFTER_BYTES) await this.compact(doc);
  }

  /** Replaces the stored state with `doc`'s and deletes the updates, in one transaction. */
  async compact(doc: Y.Doc): Promise<void> {
    const state = Y.encodeStateAsUpdate(doc);
    const chunks = chunk(state);
    const stale = Array.from({ length: Math.max(0, this.#stateChunks - chunks.length) }, (_, i) => stateKey(chunks.length + i));
    const drop = [...stale, ...this.#updateKeys];
    await this.#storage.transaction(async (txn) => {
      for (let i = 0; i < chunks.length; i += KEYS_PER_CALL) {
        await txn.put(Object.fromEntries(chunks.slice(i, i + KEYS_PER_CALL).map((bytes, j) => [stateKey(i + j), bytes])));
      }
      for (let i = 0; i < drop.length; i += KEYS_PER_CALL) await txn.delete(drop.slice(i, i + KEYS_PER_CALL));
    });
    this.#stateChunks = chunks.length;
    this.#stateBytes = state.byteLength;
    this.#updateKeys = [];
    this.#updateBytes = 0;
  }
}
