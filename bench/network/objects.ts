/**
 * @module What the Durable Objects benchmarks share: calls to the object
 * routes of bench/workers/objects (`GET /object/read`, `POST
 * /object/increment`), each answer checked: status 200, and, when the caller
 * knows it, the one instance that must have answered.
 */
import type { Answer, Client } from "./client.js";

/** An object route's answer: the count and the instance that answered. */
export interface ObjectAnswer extends Answer {
  n: number;
  instance: string;
}

/** `read`: one `await stub.read()`, no write. `increment`: one storage write, answered once it is durable. */
export type ObjectCall = "read" | "increment";

/** The object every benchmark uses, unless told otherwise. */
const OBJECT_NAME = "bench";

/** Calls the object through the worker at `client`'s PoP; fails unless `instance` (when given) answered. */
export async function callObject(client: Client, call: ObjectCall, instance?: string): Promise<ObjectAnswer> {
  const answer = await client.expect(`/object/${call}?name=${OBJECT_NAME}`, 200, { method: call === "read" ? "GET" : "POST" });
  const body = JSON.parse(answer.body) as { n: number; instance: string };
  if (instance !== undefined && body.instance !== instance) throw new Error(`${call} at ${client.baseUrl} was answered by instance ${body.instance}, not ${instance}: the object has two instances or moved`);
  return { ...answer, n: body.n, instance: body.instance };
}
