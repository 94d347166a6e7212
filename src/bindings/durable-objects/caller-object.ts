/**
 * @module The object an op from an object's instance names by its key
 * (`<namespace>/<id>`): it must be of a namespace bound to the calling
 * worker and owned by this PoP.
 */
import { OpArgumentError, type OpContext } from "../../runtime/ops.js";
import type { ObjectHost } from "./host/object-host.js";
import type { OwnedObject } from "./host/owned-object.js";
import { KIND } from "./wire.js";

export function callerObject(host: ObjectHost, context: OpContext, objectKey: unknown, what: string): OwnedObject {
  if (typeof objectKey !== "string") throw new OpArgumentError(`Bad ${what} call`);
  const namespaceId = objectKey.slice(0, objectKey.indexOf("/"));
  if (!context.bindings.some((b) => b.kind === KIND && (b.config as { namespaceId?: unknown }).namespaceId === namespaceId)) {
    throw new OpArgumentError(`${what} of namespace "${namespaceId}" is not this worker's`);
  }
  const owner = host.owned(objectKey);
  if (!owner) throw new Error(`${what} is unavailable: the object moved to another PoP and this instance is being reset`);
  return owner;
}
