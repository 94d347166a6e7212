/** @module The directory's cases on a real nats-server, each PoP connecting through a TCP proxy that can cut it off. */
import { FaultProxy } from "../../../../test/support/fault-proxy.js";
import { natsTestBackend } from "./backends.js";
import { directoryCases } from "./cases.js";

directoryCases("nats (nats-server, a proxy per PoP)", natsTestBackend((port) => FaultProxy.start(port)));
