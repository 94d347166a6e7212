/**
 * `verge dev --data-dir`: the embedded network keeps its data on disk, so a
 * `verge dev` killed with SIGKILL restarts with every acknowledged KV write,
 * at every PoP.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { startVerge, type VergeProcess } from "../support/cli.js";
import { until } from "../support/network.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/kv-cluster", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "verge-dev-data-"));
let dev: VergeProcess | undefined;
after(async () => {
  await dev?.stop("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

const start = async () => {
  dev = await startVerge(["dev", FIXTURE, "--pops", "tokyo,frankfurt", "--port", "0", "--quiet", "--no-watch", "--data-dir", dataDir]);
  const urls = [...dev.output().matchAll(/at (http:\/\/[\d.]+:\d+) \(pop/g)].map((match) => match[1]);
  assert.equal(urls.length, 2, dev.output());
  return urls;
};

test("a verge dev killed with SIGKILL restarts with every acknowledged KV write, at every PoP", { timeout: 60_000 }, async () => {
  const [tokyo] = await start();
  const keys = Array.from({ length: 20 }, (_, i) => `acked-${i}`);
  for (const key of keys) {
    const response = await fetch(`${tokyo}/kv/${key}`, { method: "PUT", body: `value of ${key}` });
    assert.equal(response.status, 200, await response.text());
  }
  assert.equal(await dev!.stop("SIGKILL"), null);
  const urls = await start();
  for (const url of urls) {
    for (const key of keys) {
      await until(async () => {
        const response = await fetch(`${url}/kv/${key}`);
        return response.status === 200 && (await response.text()) === `value of ${key}`;
      }, `${key} at ${url}`, 10_000);
    }
  }
});
