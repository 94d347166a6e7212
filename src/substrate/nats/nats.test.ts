/** @module The conformance suite on a real nats-server (restart = kill -9 and a new process on the same store). */
import { describeSubstrateConformance } from "../conformance.js";
import { natsBackend } from "./testing.js";

describeSubstrateConformance("nats (nats-server, kill -9 restarts)", () => natsBackend());
