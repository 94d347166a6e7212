/**
 * `ctx.storage` through the isolate: key-value calls with single keys and
 * arrays, list options, transactions (commit, rollback, conflict retry),
 * deleteAll, alarms and sql.exec cursors, with bad input refused and storage
 * left unchanged.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";

const SOURCE = `
import { DurableObject } from "cloudflare:workers";
export class Store extends DurableObject {
  async run(script) {
    const s = this.ctx.storage;
    const out = {};
    switch (script) {
      case "kv": {
        await s.put("a", 1); await s.put({ b: { nested: [1, 2] }, c: new Date(7), d: "text" });
        out.one = await s.get("a");
        out.many = [...(await s.get(["a", "b", "zz"])).entries()];
        out.missing = await s.get("zz");
        out.deleted = await s.delete("a");
        out.deletedMany = await s.delete(["b", "c", "nope"]);
        out.left = [...(await s.list()).keys()];
        break;
      }
      case "list": {
        for (const k of ["p:1", "p:2", "p:3", "q:1"]) await s.put(k, k);
        out.prefix = [...(await s.list({ prefix: "p:" })).keys()];
        out.range = [...(await s.list({ start: "p:2", end: "q:1" })).keys()];
        out.reverse = [...(await s.list({ reverse: true, limit: 2 })).keys()];
        break;
      }
      case "transaction": {
        await s.put("x", 1);
        out.committed = await s.transaction(async (txn) => { await txn.put("x", 2); await txn.put("y", 3); return (await txn.get("x")); });
        await s.transaction(async (txn) => { await txn.put("x", 100); txn.rollback(); });
        try { await s.transaction(async (txn) => { await txn.put("x", 200); throw new Error("inside"); }); } catch (e) { out.thrown = e.message; }
        out.after = [await s.get("x"), await s.get("y")];
        break;
      }
      case "sql": {
        s.sql.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, name TEXT)");
        const inserted = s.sql.exec("INSERT INTO t (name) VALUES (?), (?)", "a", "b");
        out.written = inserted.rowsWritten;
        const cursor = s.sql.exec("SELECT id, name FROM t ORDER BY id");
        out.columns = cursor.columnNames;
        out.rows = cursor.toArray();
        out.one = s.sql.exec("SELECT count(*) AS n FROM t").one();
        out.raw = [...s.sql.exec("SELECT name FROM t ORDER BY id").raw()];
        out.size = s.sql.databaseSize > 0;
        break;
      }
      case "deleteAll": {
        await s.put("k", 1); await s.setAlarm(Date.now() + 60_000);
        await s.deleteAll();
        out.keys = [...(await s.list()).keys()];
        out.alarm = await s.getAlarm();
        break;
      }
      case "bad": {
        await s.put("keep", "kept");
        const attempts = {
          bigValue: () => s.put("big", "x".repeat(200_000)),
          bigKey: () => s.put("k".repeat(3000), 1),
          tooMany: () => s.get(Array.from({ length: 129 }, (_, i) => "k" + i)),
          badSql: () => s.sql.exec("SELEC nonsense"),
          reserved: () => s.sql.exec("SELECT * FROM _verge_kv"),
          badAlarm: () => s.setAlarm("tomorrow"),
          uncloneable: () => s.put("fn", () => 1),
          badList: () => s.list({ limit: -1 }),
        };
        for (const [label, run] of Object.entries(attempts)) {
          try { await run(); out[label] = "no error"; } catch (e) { out[label] = e.name + ": " + e.message; }
        }
        out.left = [...(await s.list()).keys()];
        break;
      }
    }
    return out;
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const stub = env.STORE.getByName(url.searchParams.get("name"));
    return Response.json(await stub.run(url.searchParams.get("script")));
  },
};
`;

describe("ctx.storage through the isolate", () => {
  let pop: TestPop;
  const run = async (script: string) => (await (await pop.fetch(`/?name=${script}&script=${script}`)).json()) as Record<string, unknown>;
  before(async () => {
    pop = await startTestPop([{ name: "store", source: SOURCE, bindings: [{ name: "STORE", kind: "durable_object", config: { className: "Store", namespaceId: "store-Store" } }] }]);
  });
  after(() => pop.close());

  it("gets, puts and deletes single keys and arrays", async () => {
    assert.deepEqual(await run("kv"), { one: 1, many: [["a", 1], ["b", { nested: [1, 2] }]], deleted: true, deletedMany: 2, left: ["d"] });
  });

  it("lists with prefix, range, reverse and limit", async () => {
    assert.deepEqual(await run("list"), { prefix: ["p:1", "p:2", "p:3"], range: ["p:2", "p:3"], reverse: ["q:1", "p:3"] });
  });

  it("commits a transaction, and drops one rolled back or thrown", async () => {
    assert.deepEqual(await run("transaction"), { committed: 2, thrown: "inside", after: [2, 3] });
  });

  it("runs sql.exec with cursors and row counts", async () => {
    assert.deepEqual(await run("sql"), {
      written: 2,
      columns: ["id", "name"],
      rows: [{ id: 1, name: "a" }, { id: 2, name: "b" }],
      one: { n: 2 },
      raw: [["a"], ["b"]],
      size: true,
    });
  });

  it("deletes every key and the alarm with deleteAll", async () => {
    assert.deepEqual(await run("deleteAll"), { keys: [], alarm: null });
  });

  it("refuses bad input with a message naming it, and writes nothing", async () => {
    const out = await run("bad");
    assert.match(String(out.bigValue), /^RangeError: Durable Object storage put\(\) failed: value of "big" is \d+ bytes, over the limit of 131072/);
    assert.match(String(out.bigKey), /^RangeError: .*key .*3000 bytes.*2048/);
    assert.match(String(out.tooMany), /^RangeError: .*129 keys.*128/);
    assert.match(String(out.badSql), /^TypeError: .*sql.*syntax error/i);
    assert.match(String(out.reserved), /_verge_/);
    assert.match(String(out.badAlarm), /^TypeError: .*alarm.*"tomorrow"/i);
    assert.match(String(out.uncloneable), /could not be cloned/);
    assert.match(String(out.badList), /limit.*-1/);
    assert.deepEqual(out.left, ["keep"]);
  });
});
