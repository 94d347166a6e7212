/** @module The bindings of the collab-doc worker. */
import type { CollabDoc } from "./document.js";

/** The part of a Durable Object id this worker uses. */
export type DurableObjectId = object;

/** A stub of a CollabDoc: WebSocket upgrades go to its `fetch`, and `read()` is called over RPC. */
export type CollabDocStub = Pick<CollabDoc, "read"> & { fetch(request: Request): Promise<Response> };

/** The part of the Durable Object namespace binding this worker uses. */
export interface DurableObjectNamespace<Stub> {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): Stub;
}

export interface Env {
  /** `durable_objects.bindings`: one CollabDoc per document name (`idFromName`). */
  DOCS: DurableObjectNamespace<CollabDocStub>;
}

/** A Request as a worker receives it: with `cf`. */
export type EdgeRequest = Request & { cf?: { colo?: string } };
