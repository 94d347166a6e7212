/** @module Public surface of the embedded backend. */
export { EmbeddedSubstrate, createEmbeddedSubstrate, type EmbeddedOptions } from "./substrate.js";
