/**
 * @module The conformance suite on a real nats-server (restart = kill -9 and a
 * new process on the same store), each PoP connecting through a TCP proxy of
 * its own so that the partition cases run too.
 */
import { FaultProxy } from "../../../test/support/fault-proxy.js";
import { describeSubstrateConformance } from "../conformance.js";
import { proxiedNatsBackend } from "./testing.js";

describeSubstrateConformance("nats (nats-server, kill -9 restarts, a proxy per PoP)", () => proxiedNatsBackend((port) => FaultProxy.start(port)));
