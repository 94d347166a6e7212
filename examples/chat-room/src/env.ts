/** @module The bindings of the chat-room worker. */

/** The part of a Durable Object id this worker uses. */
export type DurableObjectId = object;

/** A stub of a ChatRoom: the worker only forwards WebSocket upgrades to it. */
export interface ChatRoomStub {
  fetch(request: Request): Promise<Response>;
}

/** The part of the Durable Object namespace binding this worker uses. */
export interface DurableObjectNamespace<Stub> {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): Stub;
}

export interface Env {
  /** `durable_objects.bindings`: one ChatRoom per room name (`idFromName`). */
  ROOMS: DurableObjectNamespace<ChatRoomStub>;
}
