/**
 * @module The Counter Durable Object: one instance per counter name, reached
 * from every PoP. Its methods are called over JS RPC (`await stub.increment()`).
 * Each is a read and a write of `ctx.storage` with nothing else awaited in
 * between, so concurrent calls never lose an increment: the object handles
 * one storage operation at a time (its input gate).
 */
import { DurableObject } from "cloudflare:workers";

export class Counter extends DurableObject {
  /** Adds one and answers the new count. */
  async increment(): Promise<number> {
    const count = (await this.read()) + 1;
    await this.ctx.storage.put("count", count);
    return count;
  }

  /** The count; 0 for a counter never incremented (or reset). */
  async read(): Promise<number> {
    return (await this.ctx.storage.get<number>("count")) ?? 0;
  }

  /** Back to 0, and the object's storage is empty again. */
  async reset(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
