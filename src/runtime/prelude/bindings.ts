/**
 * @module In-isolate binding shims by kind: each turns a binding descriptor
 * into the object tenant code sees in `env`. Each binding adds one line.
 */
import { dispatchObjectEvent, durableObjectShim } from "../../bindings/durable-objects/shim/index.js";
import { kvShim } from "../../bindings/kv/shim.js";

export type BindingShim = (name: string, config: unknown) => unknown;

export const bindingShims: Record<string, BindingShim> = { kv: kvShim, durable_object: durableObjectShim };

/** Handles entry `binding` (a: a header whose first item is the binding kind, b: its payload). */
export type BindingEventHandler = (requestId: number, header: never, payload: never) => void;

export const bindingEventHandlers: Record<string, BindingEventHandler> = { durable_object: dispatchObjectEvent };
