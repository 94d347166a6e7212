/** @module KV isolation: a worker reaches only the namespaces it is bound to, whatever its code constructs. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../../../test/support/pop.js";
import { createEmbeddedSubstrate, type EmbeddedSubstrate } from "../../substrate/embedded/index.js";

let substrate: EmbeddedSubstrate;
let pop: TestPop;
before(async () => {
  substrate = createEmbeddedSubstrate({ latencyScale: 0, home: "virginia" });
  pop = await startTestPop(
    [
      {
        name: "owner",
        routes: ["owner.test/*"],
        bindings: [{ name: "SECRETS", kind: "kv", config: { id: "owner-secrets" } }],
        source: `export default { async fetch(request, env) { await env.SECRETS.put("token", "s3cret"); return new Response(await env.SECRETS.get("token")); } }`,
      },
      {
        name: "intruder",
        routes: ["intruder.test/*"],
        bindings: [{ name: "MINE", kind: "kv", config: { id: "intruder-data" } }],
        source: `
          export default {
            async fetch(request, env) {
              const Namespace = env.MINE.constructor;
              const results = {};
              for (const attempt of ["get", "list", "put"]) {
                try {
                  const forged = new Namespace("owner-secrets");
                  results[attempt] = attempt === "put" ? await forged.put("token", "stolen") : attempt === "list" ? await forged.list() : await forged.get("token");
                } catch (error) {
                  results[attempt] = error.name + ": " + error.message;
                }
              }
              return Response.json(results);
            },
          };`,
      },
    ],
    { name: "virginia", region: "virginia", substrate: substrate.forPop("virginia", { region: "virginia" }) },
  );
});
after(async () => {
  await pop.close();
  await substrate.close();
});

test("a worker cannot read or write another worker's namespace by constructing a KV object for its id", async () => {
  assert.equal(await (await pop.fetch("/", { host: "owner.test" })).text(), "s3cret");
  const results = (await (await pop.fetch("/", { host: "intruder.test" })).json()) as Record<string, string>;
  for (const attempt of ["get", "list", "put"]) assert.match(String(results[attempt]), /namespace "owner-secrets" is not bound to this worker/, attempt);
  assert.equal(await (await pop.fetch("/", { host: "owner.test" })).text(), "s3cret", "the owner's value is unchanged");
});
