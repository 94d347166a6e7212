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

test("catchUp waits until a new replica has applied every record the stream held", async () => {
  const substrate = createEmbeddedSubstrate({ latencyScale: 0.05 });
  const writer = new KvNamespace("catch", "tokyo", substrate.forPop("tokyo"), undefined);
  for (let i = 0; i < 20; i++) await writer.write({ kind: "put", key: `k${i}`, value: bytes(`v${i}`), metadata: null, expiration: null });
  const reader = new KvNamespace("catch", "sydney", substrate.forPop("sydney"), undefined);
  await reader.catchUp();
  assert.equal(reader.replica.appliedSeq, 20);
  assert.equal(new TextDecoder().decode(reader.replica.get("k19")?.value), "v19");
  const aborted = new AbortController();
  aborted.abort(new Error("gave up"));
  await assert.rejects(reader.catchUp({ signal: aborted.signal }), /gave up/);
  await Promise.all([writer.close(), reader.close()]);
  await substrate.close();
});
