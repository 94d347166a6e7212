/**
 * @module The control stores' cases, run on each substrate backend
 * (embedded.test.ts, nats.test.ts): versions round-trip whole (in chunks),
 * are content-addressed and indexed newest first; bad names, oversized and
 * corrupted bundles, unknown versions and bad splits get errors naming them;
 * racing deployments end with one winner; PoPs see deployments by watching.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Substrate, SubstrateView } from "../../substrate/types.js";
import { ControlError, type ControlErrorCode } from "../errors.js";
import { DeploymentStore, KEPT_VERSIONS, MAX_BUNDLE_BYTES, VersionStore, VERSIONS_BUCKET, decodeDeployment, type Deployment, type VersionConfig } from "./index.js";

const CONFIG: VersionConfig = { vars: { GREETING: "hello" }, bindings: [], routes: ["example.com/*"], crons: [], cpuMs: 50 };
const code = (n: number) => `export default { fetch() { return new Response("v${n}"); } };`;

function rejectsWith(code: ControlErrorCode, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ControlError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

/** A substrate for the cases, and how to stop it (and its server). */
export interface StoreBackend {
  substrate: Substrate;
  close(): Promise<void>;
}

export function storeCases(backend: string, make: () => Promise<StoreBackend>): void {
  describe(`control stores (${backend})`, () => {
    let backendUnderTest: StoreBackend;
    let view: SubstrateView;
    let versions: VersionStore;
    let deployments: DeploymentStore;
    before(async () => {
      backendUnderTest = await make();
      view = backendUnderTest.substrate.forPop("control", { region: "virginia" });
      versions = await VersionStore.open(view);
      deployments = await DeploymentStore.open(view);
    });
    after(async () => {
      await versions.close();
      await deployments.close();
      await backendUnderTest.close();
    });

    it("stores a version whole, in chunks, named by its content", async () => {
      const big = `${code(1)}\n//${"é".repeat(700_000)}`; // 1.4 MB: three chunks
      const meta = await versions.upload("shop", big, CONFIG, 1000);
      assert.match(meta.id, /^[0-9a-f]{20}$/);
      assert.equal(meta.chunks, 3);
      const back = await versions.get("shop", meta.id);
      assert.equal(back.code, big);
      assert.deepEqual(back.meta.config, CONFIG);
      // The same content again is the same version, first upload time kept.
      assert.deepEqual(await versions.upload("shop", big, { ...CONFIG }, 2000), meta);
      // Another config is another version.
      assert.notEqual((await versions.upload("shop", big, { ...CONFIG, vars: { GREETING: "hi" } })).id, meta.id);
    });

    it("lists a worker's last versions newest first, keeping the last 100", async () => {
      const ids: string[] = [];
      for (let n = 0; n < KEPT_VERSIONS + 2; n++) ids.push((await versions.upload("many", code(n), CONFIG)).id);
      const listed = await versions.list("many");
      assert.equal(listed.length, KEPT_VERSIONS);
      assert.deepEqual(listed.map((meta) => meta.id), ids.slice(2).reverse());
      assert.deepEqual(await versions.list("nobody"), []);
      // The two pushed out are pruned, except one still deployed; re-uploading the kept one indexes it again.
      assert.deepEqual(await versions.prune("many", new Set([ids[1]])), [ids[0]]);
      await assert.rejects(versions.get("many", ids[0]), rejectsWith("version_not_found", new RegExp(ids[0])));
      assert.equal((await versions.get("many", ids[1])).meta.id, ids[1]);
      assert.equal((await versions.upload("many", code(1), CONFIG)).id, ids[1]);
      assert.equal((await versions.list("many"))[0].id, ids[1]);
      assert.deepEqual(await versions.prune("many", new Set()), [ids[2]], "the version the re-upload pushed out, and not the re-uploaded one");
    });

    it("refuses bad names, oversized bundles and unknown versions, naming them", async () => {
      await assert.rejects(versions.upload("bad name", code(0), CONFIG), rejectsWith("invalid_worker_name", /received "bad name"/));
      await assert.rejects(versions.upload("-dash", code(0), CONFIG), rejectsWith("invalid_worker_name", /received "-dash"/));
      await assert.rejects(versions.upload("My_Worker", code(0), CONFIG), rejectsWith("invalid_worker_name", /received "My_Worker"; a worker name must be 1 to 63 lower-case letters/));
      await assert.rejects(versions.upload("huge", "x".repeat(MAX_BUNDLE_BYTES + 1), CONFIG), rejectsWith("bundle_too_large", /10485761 bytes: over the 10485760 byte limit/));
      await assert.rejects(versions.get("shop", "0".repeat(20)), rejectsWith("version_not_found", /no version "0{20}"/));
      await assert.rejects(versions.get("shop", "latest"), rejectsWith("invalid_version_id", /received "latest"/));
      assert.deepEqual(await versions.list("huge"), [], "nothing of the refused bundle was stored");
    });

    it("detects a bundle that does not match its record", async () => {
      const meta = await versions.upload("tampered", code(7), CONFIG);
      const raw = await view.bucket(VERSIONS_BUCKET);
      await raw.put(`tampered/${meta.id}/0`, new TextEncoder().encode(code(8)));
      await raw.close();
      await assert.rejects(versions.get("tampered", meta.id), rejectsWith("corrupt_record", /does not match its hash/));
    });

    it("lets one of two racing deployments win, and PoPs see it by watching", async () => {
      const [a, b] = await Promise.all([versions.upload("race", code(1), CONFIG), versions.upload("race", code(2), CONFIG)]);
      const deploy = (version: string): Deployment => ({ worker: "race", shares: [{ version, percent: 100 }], sticky: "ip", routes: [], autoRollback: null, rolledBack: null, deployedAt: Date.now() });
      const first = await deployments.set(deploy(a.id), null);
      assert.equal(typeof first, "number");
      // A PoP watching from before the race ends at the winner (a watch may skip a key's intermediate values, never its last).
      const watch = await deployments.watch();
      const results = await Promise.all([deployments.set(deploy(a.id), first), deployments.set(deploy(b.id), first)]);
      assert.equal(results.filter((revision) => revision !== null).length, 1, "exactly one wins");
      const stored = await deployments.get("race");
      assert.equal(stored?.revision, results.find((revision) => revision !== null));
      const seen: [revision: number, version: string][] = [];
      const changes = watch[Symbol.asyncIterator]();
      const deadline = Date.now() + 5000;
      while (seen.at(-1)?.[0] !== stored!.revision && Date.now() < deadline) {
        const next = await Promise.race([changes.next(), new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now()))]);
        if (next === null || next.done) break;
        if (next.value.op === "put") seen.push([next.value.revision, decodeDeployment(next.value.value).shares[0].version]);
      }
      await watch.close();
      assert.deepEqual(seen.at(-1), [stored!.revision, stored!.deployment.shares[0].version], `the watch reached the winner within 5 s: saw ${JSON.stringify(seen)}`);
      assert.equal(await deployments.get("nobody"), null);
    });

    it("refuses deployments that do not split 100 between one or two versions", async () => {
      const id = "a".repeat(20);
      const other = "b".repeat(20);
      const bad: [Partial<Deployment>, RegExp][] = [
        [{ shares: [] }, /one or two versions: received \[\]/],
        [{ shares: [{ version: id, percent: 50 }] }, /add up to 100/],
        [{ shares: [{ version: id, percent: 90 }, { version: id, percent: 10 }] }, /two different versions/],
        [{ shares: [{ version: id, percent: 0 }, { version: other, percent: 100 }] }, /whole percentage from 1 to 100/],
        [{ shares: [{ version: id, percent: 10.5 }, { version: other, percent: 89.5 }] }, /whole percentage/],
        [{ shares: [{ version: id, percent: 34 }, { version: other, percent: 33 }, { version: "c".repeat(20), percent: 33 }] }, /one or two versions/],
        [{ sticky: "cookie" }, /received "cookie"/],
        [{ routes: "example.com/*" as unknown as string[] }, /Routes are a list of patterns: received "example.com\/\*"/],
        [{ autoRollback: { windowSeconds: 1, marginPercent: 5, minRequests: 20 } }, /windowSeconds is a whole number from 5 to 3600: received .*"windowSeconds":1/],
        [{ autoRollback: { windowSeconds: 60, marginPercent: -1, minRequests: 20 } }, /marginPercent is from 0 to 100/],
        [{ autoRollback: { windowSeconds: 60, marginPercent: 5, minRequests: 0 } }, /minRequests is a whole number/],
      ];
      for (const [change, pattern] of bad) {
        const deployment: Deployment = { worker: "split", shares: [{ version: id, percent: 100 }], sticky: "ip", routes: [], autoRollback: null, rolledBack: null, deployedAt: 0, ...change };
        await assert.rejects(deployments.set(deployment, null), rejectsWith("invalid_split", pattern));
      }
      await assert.rejects(deployments.set({ worker: "split", shares: [{ version: "zz", percent: 100 }], sticky: "ip", routes: [], autoRollback: null, rolledBack: null, deployedAt: 0 }, null), rejectsWith("invalid_version_id", /received "zz"/));
      assert.equal(await deployments.get("split"), null, "nothing was written");
    });
  });
}
