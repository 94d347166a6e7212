/** @module Public surface of the NATS JetStream backend. */
export { NatsSubstrate, createNatsSubstrate, type NatsOptions } from "./substrate.js";
export type { NatsView } from "./view.js";
export type { ConnectionStatus } from "../types.js";
