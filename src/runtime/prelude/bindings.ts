/**
 * @module In-isolate binding shims by kind: each turns a binding descriptor
 * into the object tenant code sees in `env`. Each binding adds one line.
 */
import { kvShim } from "../../bindings/kv/shim.js";

export type BindingShim = (name: string, config: unknown) => unknown;

export const bindingShims: Record<string, BindingShim> = { kv: kvShim };
