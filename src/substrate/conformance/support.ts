/** @module Helpers of the conformance suite: bytes, bounded reads of subscriptions, timing. */
import assert from "node:assert/strict";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of `text`. */
export const bytes = (text: string): Uint8Array => encoder.encode(text);
/** `data` decoded as UTF-8. */
export const text = (data: Uint8Array): string => decoder.decode(data);

const TIMEOUT = Symbol("timeout");

/** `promise`, or TIMEOUT after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `promise` has not settled after `ms` (it keeps running). */
export async function stillPending(promise: Promise<unknown>, ms: number): Promise<boolean> {
  promise.catch(() => undefined);
  return (await within(promise, ms)) === TIMEOUT;
}

/** Reads a subscription with deadlines, never losing an item to a timeout. */
export interface Reader<T> {
  /** The next `count` items, failing the test if they do not arrive within `ms`. */
  take(count: number, ms?: number): Promise<T[]>;
  /** Fails the test if an item arrives within `ms`. */
  nothing(ms: number): Promise<void>;
  /** Resolves with how the iteration ended: the string "done", or the error it threw. Fails after `ms`. */
  end(ms?: number): Promise<unknown>;
}

/** A Reader over `source`. */
export function reader<T>(source: AsyncIterable<T>): Reader<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  const next = async (ms: number): Promise<IteratorResult<T> | typeof TIMEOUT> => {
    if (!pending) {
      pending = iterator.next();
      pending.catch(() => undefined);
    }
    const result = await within(pending, ms);
    if (result !== TIMEOUT) pending = undefined;
    return result;
  };
  return {
    async take(count, ms = 3000) {
      const deadline = performance.now() + ms;
      const items: T[] = [];
      while (items.length < count) {
        const result = await next(Math.max(0, deadline - performance.now()));
        assert.notEqual(result, TIMEOUT, `expected ${count} items within ${ms} ms, got ${items.length}`);
        assert.ok(result !== TIMEOUT && !result.done, `subscription ended after ${items.length} of ${count} items`);
        items.push(result.value);
      }
      return items;
    },
    async nothing(ms) {
      const result = await next(ms);
      assert.equal(result, TIMEOUT, `expected nothing within ${ms} ms, got ${JSON.stringify(result)}`);
    },
    async end(ms = 3000) {
      try {
        const result = await next(ms);
        assert.notEqual(result, TIMEOUT, `expected the subscription to end within ${ms} ms`);
        assert.ok(result !== TIMEOUT && result.done, "expected the end, got an item");
        return "done";
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        return error;
      }
    },
  };
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
