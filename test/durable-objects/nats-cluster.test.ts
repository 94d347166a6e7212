/**
 * Durable Objects across three `verge pop` processes on a real nats-server:
 * exact counts under concurrency, racing claims, and `kill -9` of the owner
 * after N acknowledged writes (all N are found at another PoP, in one
 * instance).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { startCluster, type Cluster } from "../support/cluster.js";

const WORKER = fileURLToPath(new URL("../fixtures/do-cluster", import.meta.url));
const LEASE_MS = 1500;

interface Counted {
  n: number;
  instance: string;
}

describe("Durable Objects on NATS (three verge pop processes)", () => {
  let cluster: Cluster;
  const call = async (pop: string, path: string): Promise<Counted> => {
    const response = await fetch(`${cluster.pops[pop].url}${path}`);
    const body = (await response.json()) as Counted;
    assert.equal(response.status, 200, `${pop} ${path}: ${JSON.stringify(body)}`);
    return body;
  };

  before(async () => {
    cluster = await startCluster(["tokyo", "frankfurt", "virginia"], { worker: WORKER, args: ["--object-lease", String(LEASE_MS)] });
  });
  after(() => cluster.close());

  it("counts 1,000 concurrent increments arriving through three PoPs exactly, in one instance", async () => {
    const pops = ["tokyo", "frankfurt", "virginia"];
    const instances = new Set<string>();
    const running = new Set<Promise<void>>();
    for (let i = 0; i < 1000; i++) {
      const p = call(pops[i % 3], "/increment?name=thousand").then((body) => void instances.add(body.instance));
      const tracked = p.finally(() => running.delete(tracked));
      running.add(tracked);
      if (running.size >= 60) await Promise.race(running);
    }
    await Promise.all(running);
    assert.equal((await call("virginia", "/read?name=thousand")).n, 1000);
    assert.equal(instances.size, 1);
  });

  it("ends PoPs racing to create one id with one instance", async () => {
    const answers = await Promise.all(["tokyo", "frankfurt", "virginia"].flatMap((pop) => [call(pop, "/increment?name=race"), call(pop, "/increment?name=race")]));
    assert.equal(new Set(answers.map((a) => a.instance)).size, 1);
    assert.deepEqual(answers.map((a) => a.n).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
  });

  it("keeps every acknowledged write when the owner PoP is killed with SIGKILL", async () => {
    const N = 40;
    let before: Counted | undefined;
    for (let i = 1; i <= N; i++) before = await call("tokyo", "/increment?name=survivor");
    assert.equal(before?.n, N);
    await cluster.kill9("tokyo");
    const started = Date.now();
    const [fromFrankfurt, fromVirginia] = await Promise.all([call("frankfurt", "/read?name=survivor"), call("virginia", "/read?name=survivor")]);
    assert.equal(fromFrankfurt.n, N, "all N acknowledged writes are there");
    assert.equal(fromVirginia.instance, fromFrankfurt.instance, "one instance");
    assert.notEqual(fromFrankfurt.instance, before?.instance, "a new instance, rebuilt from the journal");
    assert.ok(Date.now() - started < LEASE_MS * 2 + 5000, "re-homed once the lease ran out");
    assert.equal((await call("virginia", "/increment?name=survivor")).n, N + 1);
  });
});
