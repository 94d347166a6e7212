/**
 * @module A room's last messages in `ctx.storage`: one key per message,
 * `message:<sequence number>` zero-padded so that key order is arrival
 * order, and each new message deletes the one that fell out of the last
 * BACKLOG_MESSAGES. One key per message, not one list under one key: a
 * hundred messages of 1,000 characters may exceed a value's 128 KiB.
 */
import type { DurableObjectStorage } from "cloudflare:workers";
import { ChatLimits, type ChatMessage } from "./protocol.js";

const PREFIX = "message:";

/**
 * The storage key of message number `seq` (from 0).
 * @example messageKey(42) // "message:000000000042"
 */
export const messageKey = (seq: number) => `${PREFIX}${String(seq).padStart(12, "0")}`;

/** The sequence number in a key written by `messageKey`. */
export const seqOf = (key: string) => Number(key.slice(PREFIX.length));

export class Backlog {
  readonly #storage: DurableObjectStorage;
  readonly #keep: number;
  /** The next sequence number; read from storage once per life of the object. */
  #next: number | null = null;

  constructor(storage: DurableObjectStorage, keep: number = ChatLimits.BACKLOG_MESSAGES) {
    this.#storage = storage;
    this.#keep = keep;
  }

  /** The last messages, oldest first. */
  async recent(): Promise<ChatMessage[]> {
    const newest = await this.#storage.list<ChatMessage>({ prefix: PREFIX, reverse: true, limit: this.#keep });
    return [...newest.values()].reverse();
  }

  /** Stores `entry` and drops the message it pushes out. */
  async append(entry: ChatMessage): Promise<void> {
    if (this.#next === null) {
      const [last] = (await this.#storage.list({ prefix: PREFIX, reverse: true, limit: 1 })).keys();
      this.#next = last === undefined ? 0 : seqOf(last) + 1;
    }
    const seq = this.#next++;
    await this.#storage.put(messageKey(seq), entry);
    if (seq >= this.#keep) await this.#storage.delete(messageKey(seq - this.#keep));
  }
}
