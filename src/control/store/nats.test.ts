/** @module The control stores' cases on a real nats-server (JetStream). */
import { natsBackend } from "../../substrate/nats/testing.js";
import { storeCases } from "./cases.js";

storeCases("nats (nats-server)", () => natsBackend());
