/** @module Durable Object ids: deterministic by name, distinct across namespaces, unique ids round-trip, bad strings refused. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkObjectId } from "./directory/keys.js";
import { DurableObjectId, idFromName, idFromString, newUniqueId, ObjectIdError, type ObjectIdErrorCode } from "./ids.js";

const NS = "chat-ChatRoom";
const OTHER = "chat-Counter";

function refused(run: () => unknown, code: ObjectIdErrorCode, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ObjectIdError);
    assert.equal(error.code, code);
    assert.equal(error.message, message);
    return true;
  });
}

test("idFromName is deterministic within a namespace and differs across namespaces", () => {
  const a = idFromName(NS, "lobby");
  assert.match(a.toString(), /^[0-9a-f]{64}$/);
  assert.equal(checkObjectId(a.toString()), a.toString());
  assert.equal(a.toString(), idFromName(NS, "lobby").toString());
  assert.ok(a.equals(idFromName(NS, "lobby")));
  assert.equal(a.name, "lobby");
  assert.equal(a.namespaceId, NS);
  assert.equal(a.jurisdiction, undefined);
  assert.notEqual(a.toString(), idFromName(OTHER, "lobby").toString());
  assert.notEqual(a.toString(), idFromName(NS, "Lobby").toString());
  assert.equal(idFromName(NS, "").toString().length, 64);
});

test("unique ids are distinct, round-trip through idFromString and keep their jurisdiction", () => {
  const ids = Array.from({ length: 1000 }, () => newUniqueId(NS).toString());
  assert.equal(new Set(ids).size, ids.length);
  const id = newUniqueId(NS, { jurisdiction: "eu" });
  const back = idFromString(NS, id.toString());
  assert.ok(back.equals(id));
  assert.equal(back.jurisdiction, "eu");
  assert.equal(back.name, undefined);
  assert.equal(back.toString(), id.toString());
  assert.equal(String(back), id.toString());
});

test("ids made by name round-trip through idFromString without their name, as in Workers", () => {
  const back = idFromString(NS, idFromName(NS, "lobby").toString());
  assert.ok(back.equals(idFromName(NS, "lobby")));
  assert.equal(back.name, undefined);
  assert.ok(!back.equals(idFromName(NS, "hall")));
  assert.ok(back instanceof DurableObjectId);
});

test("malformed, foreign and forged strings are refused naming the value", () => {
  const unique = newUniqueId(NS).toString();
  const foreign = newUniqueId(OTHER).toString();
  const lastFlipped = unique.slice(0, 63) + (unique[63] === "0" ? "1" : "0");
  const bodyFlipped = unique.slice(0, 20) + (unique[20] === "0" ? "1" : "0") + unique.slice(21);
  const expected = "expected 64 lowercase hex digits";
  refused(() => idFromString(NS, "abc"), "invalid_object_id", `Invalid Durable Object id: received "abc"; ${expected}`);
  refused(() => idFromString(NS, unique.toUpperCase()), "invalid_object_id", `Invalid Durable Object id: received "${unique.toUpperCase()}"; ${expected}`);
  refused(() => idFromString(NS, `${unique}0`), "invalid_object_id", `Invalid Durable Object id: received "${unique}0"; ${expected}`);
  refused(() => idFromString(NS, 42 as unknown as string), "invalid_object_id", `Invalid Durable Object id: received 42; ${expected}`);
  refused(() => idFromString(NS, "0".repeat(64)), "invalid_object_id", `Invalid Durable Object id: received "${"0".repeat(64)}"; it is not an id made by idFromName or newUniqueId`);
  refused(() => idFromString(NS, foreign), "foreign_object_id", `Invalid Durable Object id: received "${foreign}"; it belongs to another namespace than "${NS}"`);
  refused(() => idFromString(NS, lastFlipped), "forged_object_id", `Invalid Durable Object id: received "${lastFlipped}"; it does not verify for namespace "${NS}"`);
  refused(() => idFromString(NS, bodyFlipped), "forged_object_id", `Invalid Durable Object id: received "${bodyFlipped}"; it does not verify for namespace "${NS}"`);
});

test("bad namespaces, names and jurisdictions are refused naming the value", () => {
  refused(() => idFromName("chat.Room", "x"), "invalid_namespace", 'Namespace id must be 1 to 128 characters of A-Z a-z 0-9 - _ =: received "chat.Room"');
  refused(() => newUniqueId("a".repeat(129)), "invalid_namespace", `Namespace id must be 1 to 128 characters of A-Z a-z 0-9 - _ =: received "${"a".repeat(76)}...`);
  refused(() => idFromName(NS, 7 as unknown as string), "invalid_name", "Durable Object name must be a string: received 7");
  refused(() => newUniqueId(NS, { jurisdiction: "mars" as "eu" }), "invalid_jurisdiction", 'Jurisdiction must be one of "eu", "fedramp", "fedramp-high": received "mars"');
});
