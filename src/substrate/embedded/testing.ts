/** @module A conformance backend over the embedded substrate, in a fresh temp directory so that restarts keep data. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ConformanceBackend } from "../conformance.js";
import { EmbeddedSubstrate, type EmbeddedOptions } from "./substrate.js";

/**
 * A fresh embedded backend for the conformance suite. `restart()` closes the
 * substrate and opens a new one on the same directory.
 *
 * @example describeSubstrateConformance("embedded", () => embeddedBackend({ latencyScale: 0.02 }));
 */
export async function embeddedBackend(options: Omit<EmbeddedOptions, "dir"> = {}): Promise<ConformanceBackend> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "verge-substrate-"));
  let current = new EmbeddedSubstrate({ ...options, dir });
  return {
    get substrate() {
      return current;
    },
    async restart() {
      await current.close();
      current = new EmbeddedSubstrate({ ...options, dir });
      return current;
    },
    faults: {
      partition: (a, b) => current.partition(a, b),
      heal: () => current.heal(),
    },
    async close() {
      await current.close();
      await fs.promises.rm(dir, { recursive: true, force: true });
    },
  };
}
