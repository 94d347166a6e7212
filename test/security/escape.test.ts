import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";

// Attempts to reach the host from tenant code, or another tenant. Every probe
// runs inside a worker and reports what it found; none may find anything.
const probes = `
  const found = {};
  const probe = (name, fn) => { try { found[name] = fn(); } catch (e) { found[name] = "threw " + e.name; } };
  probe("nodeGlobals", () => ["process", "require", "Buffer", "module", "global", "setImmediate", "__dirname", "__filename", "exports"].filter((n) => typeof globalThis[n] !== "undefined"));
  probe("functionConstructorGlobal", () => {
    const g = (function () {}).constructor("return this")();
    return [g === globalThis, typeof g.process, typeof g.require];
  });
  probe("asyncFunctionConstructor", () => typeof (async function () {}).constructor("return process")().then);
  probe("internalGlobals", () => Object.getOwnPropertyNames(globalThis).filter((n) => /verge|ivm|isolated|host|entry/i.test(n) && n !== "__verge_worker"));
  probe("prepareStackTrace", () => {
    const seen = [];
    Error.prepareStackTrace = (error, frames) => {
      for (const frame of frames) {
        let self; try { self = frame.getThis(); } catch { self = undefined; }
        let fn; try { fn = frame.getFunction(); } catch { fn = undefined; }
        for (const value of [self, fn]) if (value && typeof value === "object" || typeof value === "function") {
          try { if (value.process || (value.constructor && value.constructor("return typeof process")() !== "undefined")) seen.push(String(frame)); } catch {}
        }
      }
      return "custom";
    };
    const stack = new Error("x").stack;
    delete Error.prepareStackTrace;
    return { stack, hostReached: seen };
  });
  probe("constructorChain", () => {
    const values = [fetch, Response, console.log, setTimeout, crypto.getRandomValues];
    return values.map((v) => { try { return v.constructor.constructor("return typeof process")(); } catch (e) { return "threw"; } });
  });
`;

let pop: TestPop;
before(async () => {
  pop = await startTestPop([
    {
      name: "attacker",
      routes: ["attacker.test/*"],
      source: `
        export default {
          fetch(request) {
            const path = new URL(request.url).pathname;
            if (path === "/pollute") {
              Object.prototype.polluted = "yes";
              Array.prototype.push = () => "hijacked";
              JSON.stringify = () => "hijacked";
              globalThis.sharedSecret = "attacker's global";
              return new Response("polluted");
            }
            ${probes}
            return new Response(JSON.stringify(found));
          },
        };`,
    },
    {
      name: "victim",
      routes: ["victim.test/*"],
      source: `
        export default {
          fetch() {
            const list = [];
            list.push(1);
            return Response.json({ polluted: ({}).polluted ?? null, push: list.length, json: JSON.stringify({ a: 1 }), secret: typeof globalThis.sharedSecret });
          },
        };`,
    },
  ]);
});
after(() => pop.close());

test("tenant code sees no Node global, host object or isolated-vm object", async () => {
  const found = (await (await pop.fetch("/", { host: "attacker.test" })).json()) as Record<string, unknown>;
  assert.deepEqual(found.nodeGlobals, []);
  assert.deepEqual(found.functionConstructorGlobal, [true, "undefined", "undefined"]);
  assert.equal(found.asyncFunctionConstructor, "function", "the async Function constructor runs in the isolate, where process is a ReferenceError caught by the promise");
  assert.deepEqual(found.internalGlobals, []);
  assert.deepEqual((found.prepareStackTrace as { hostReached: string[] }).hostReached, []);
  assert.deepEqual(found.constructorChain, ["undefined", "undefined", "undefined", "undefined", "undefined"]);
});

test("polluting built-ins in one worker does not leak into another", async () => {
  assert.equal(await (await pop.fetch("/pollute", { host: "attacker.test" })).text(), "polluted");
  const victim = await (await pop.fetch("/", { host: "victim.test" })).json();
  assert.deepEqual(victim, { polluted: null, push: 1, json: '{"a":1}', secret: "undefined" });
});

test("a worker that wrecked its own built-ins cannot crash the PoP", async () => {
  const res = await pop.fetch("/", { host: "attacker.test" });
  assert.ok(res.status === 200 || res.status === 500, `status ${res.status}`);
  await res.arrayBuffer();
  const victim = await pop.fetch("/", { host: "victim.test" });
  assert.equal(victim.status, 200);
});
