/** @module The bindings of the counter worker. */
import type { Counter } from "./counter.js";

/** The part of a Durable Object id this worker uses. */
export type DurableObjectId = object;

/** The part of the Durable Object namespace binding this worker uses. */
export interface DurableObjectNamespace<Stub> {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): Stub;
}

/** A stub of a Counter: its RPC methods, each answering a promise. */
export type CounterStub = Pick<Counter, "increment" | "read" | "reset">;

export interface Env {
  /** `durable_objects.bindings`: one Counter per name (`idFromName`). */
  COUNTERS: DurableObjectNamespace<CounterStub>;
}

/** A Request as a worker receives it: with `cf`. */
export type EdgeRequest = Request & { cf?: { colo?: string } };
