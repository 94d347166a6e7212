/** @module The journal's cases on the embedded substrate (latency scale 0: asynchronous, no delay). */
import { createEmbeddedSubstrate } from "../../../substrate/embedded/index.js";
import { journalCases } from "./cases.js";

journalCases("embedded (latency scale 0)", async () => {
  const substrate = createEmbeddedSubstrate({ latencyScale: 0 });
  return { substrate, close: () => substrate.close() };
});
