/** @module Public surface of the NATS JetStream backend. */
export { NatsSubstrate, createNatsSubstrate, type NatsOptions } from "./substrate.js";
