/** @module The isolate side of Durable Objects: the namespace shim and the object event handler. */
export { durableObjectShim } from "./namespace.js";
export { dispatchObjectEvent } from "./instances.js";
