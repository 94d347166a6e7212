/** @module A rough throughput figure, printed and never asserted: 1,000 single-key puts, each committed and journaled on its own, in memory and on a file. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ObjectStorage } from "./index.js";

const directory = mkdtempSync(join(tmpdir(), "verge-do-throughput-"));
after(() => rmSync(directory, { recursive: true, force: true }));

const PUTS = 1000;

for (const where of ["memory", "file"] as const) {
  test(`${PUTS} single-key puts committed one by one (${where}): timing printed, not asserted`, (t) => {
    let journaled = 0;
    const onCommit = (record: { bytes: Uint8Array }) => void (journaled += record.bytes.byteLength);
    const storage = where === "memory" ? new ObjectStorage(":memory:", { onCommit }) : ObjectStorage.open(directory, "throughput", { onCommit });
    const value = new Uint8Array(100).fill(7);
    storage.put("warm-up", value);
    const start = process.hrtime.bigint();
    for (let i = 0; i < PUTS; i++) storage.put(`key:${i}`, value);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    storage.close();
    t.diagnostic(`${where}: ${PUTS} puts in ${ms.toFixed(1)} ms = ${Math.round((PUTS / ms) * 1000)} commits/s, ${((ms * 1000) / PUTS).toFixed(1)} µs each; ${journaled} journal bytes`);
  });
}
