/** @module The control stores' cases on the embedded substrate, with the latency model at 0.02. */
import { embeddedBackend } from "../../substrate/embedded/testing.js";
import { storeCases } from "./cases.js";

storeCases("embedded", () => embeddedBackend({ latencyScale: 0.02 }));
