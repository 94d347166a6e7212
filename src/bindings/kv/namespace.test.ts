/** @module A namespace replica under a data directory: it survives a restart and resumes the stream where it stopped. */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createEmbeddedSubstrate } from "../../substrate/embedded/index.js";
import { KvNamespace } from "./namespace.js";

const bytes = (text: string) => new TextEncoder().encode(text);

test("a replica under a data dir keeps its entries and its stream position across a restart", async () => {
  const dir = mkdtempSync(join(tmpdir(), "verge-kv-"));
  const substrate = createEmbeddedSubstrate({ latencyScale: 0 });
  const view = substrate.forPop("virginia");
  const first = new KvNamespace("persist", "virginia", view, dir);
  first.start();
  await first.write({ kind: "put", key: "k", value: bytes("v1"), metadata: '{"a":1}', expiration: null });
  while (first.replica.appliedSeq < 1) await new Promise((resolve) => setTimeout(resolve, 5));
  await first.close();
  await view.append("kv-persist", new Uint8Array([9, 9, 9])); // an unreadable record is skipped, not fatal
  const second = new KvNamespace("persist", "virginia", view, dir);
  assert.equal(second.replica.appliedSeq, 1);
  assert.deepEqual(second.replica.get("k")?.metadata, '{"a":1}');
  second.start();
  while (second.replica.appliedSeq < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  await second.close();
  await substrate.close();
});
