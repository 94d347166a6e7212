/** @module `durable_objects` and `migrations` parsing: descriptors, namespace ids, and errors naming file, key and value. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { VergeError } from "../../errors.js";
import { checkNamespace } from "./directory/keys.js";
import { durableObjectsFromConfig, namespaceIdOf } from "./config.js";

const FILE = "/w/wrangler.toml";
const bind = (...entries: unknown[]) => ({ bindings: entries });
const room = { name: "ROOMS", class_name: "ChatRoom" };
const v1 = { tag: "v1", new_sqlite_classes: ["ChatRoom"] };

function parse(raw: Record<string, unknown>) {
  return durableObjectsFromConfig({ name: "chat", ...raw }, FILE);
}

test("bindings become durable_object descriptors with a namespace per class", () => {
  assert.deepEqual(parse({ durable_objects: bind(room, { name: "LOBBY", class_name: "ChatRoom", script_name: "chat" }, { name: "COUNTER", class_name: "Counter" }), migrations: [v1, { tag: "v2", new_classes: ["Counter"] }] }), [
    { name: "ROOMS", kind: "durable_object", config: { className: "ChatRoom", namespaceId: "chat-ChatRoom" } },
    { name: "LOBBY", kind: "durable_object", config: { className: "ChatRoom", namespaceId: "chat-ChatRoom" } },
    { name: "COUNTER", kind: "durable_object", config: { className: "Counter", namespaceId: "chat-Counter" } },
  ]);
  assert.deepEqual(parse({}), []);
  assert.deepEqual(parse({ migrations: [v1] }), []);
});

test("a renamed class keeps its namespace; one deleted and introduced again gets a new one", () => {
  const renamed = parse({ durable_objects: bind({ name: "ROOMS", class_name: "Room" }), migrations: [v1, { tag: "v2", renamed_classes: [{ from: "ChatRoom", to: "Room" }] }] });
  assert.deepEqual(renamed[0]?.config, { className: "Room", namespaceId: "chat-ChatRoom" });
  const again = parse({ durable_objects: bind(room), migrations: [v1, { tag: "v2", deleted_classes: ["ChatRoom"] }, { tag: "v3", new_classes: ["ChatRoom"] }] });
  assert.deepEqual(again[0]?.config, { className: "ChatRoom", namespaceId: "chat-ChatRoom=2" });
  const taken = parse({ durable_objects: bind(room, { name: "OLD", class_name: "Old" }), migrations: [v1, { tag: "v2", renamed_classes: [{ from: "ChatRoom", to: "Old" }] }, { tag: "v3", new_classes: ["ChatRoom"] }] });
  assert.deepEqual(taken.map((d) => d.config), [{ className: "ChatRoom", namespaceId: "chat-ChatRoom=2" }, { className: "Old", namespaceId: "chat-ChatRoom" }]);
});

test("namespace ids are directory key segments, also for long or unusual class names", () => {
  const worker = "a".repeat(63);
  const ids = [namespaceIdOf("chat", "ChatRoom"), namespaceIdOf(worker, "C".repeat(200)), namespaceIdOf("chat", "$Room"), namespaceIdOf("chat", "Salle\u00e9"), namespaceIdOf(worker, "X", 1000)];
  for (const id of ids) assert.equal(checkNamespace(id), id);
  assert.equal(new Set(ids).size, ids.length);
  assert.notEqual(namespaceIdOf("chat", "$Room"), namespaceIdOf("chat", "$Room", 2));
  assert.equal(namespaceIdOf("chat", "$Room"), namespaceIdOf("chat", "$Room"));
});

test("bad durable_objects and migrations fail naming file, key and value", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ durable_objects: [] }, "durable_objects must be a table with bindings: received []"],
    [{ durable_objects: { bindings: "x" } }, 'durable_objects.bindings must be an array: received "x"'],
    [{ durable_objects: bind(42) }, "durable_objects.bindings[0] must be a table with name and class_name: received 42"],
    [{ durable_objects: bind({ class_name: "ChatRoom" }), migrations: [v1] }, 'durable_objects.bindings[0].name must be a JavaScript identifier such as "ROOMS": received undefined'],
    [{ durable_objects: bind({ name: "ROOMS" }), migrations: [v1] }, 'durable_objects.bindings[0].class_name must be a class name such as "ChatRoom": received undefined'],
    [{ durable_objects: bind({ name: "ROOMS", class_name: "Chat-Room" }) }, 'durable_objects.bindings[0].class_name must be a class name such as "ChatRoom": received "Chat-Room"'],
    [{ durable_objects: bind(room, room), migrations: [v1] }, 'durable_objects.bindings[1].name names a binding twice: received "ROOMS"'],
    [{ durable_objects: bind(room) }, 'durable_objects.bindings[0].class_name names a class that no migration introduces (add it to new_sqlite_classes of a migration): received "ChatRoom"'],
    [{ durable_objects: bind(room), migrations: [v1, { tag: "v2", deleted_classes: ["ChatRoom"] }] }, 'durable_objects.bindings[0].class_name names a class that migrations[1].deleted_classes deleted: received "ChatRoom"'],
    [{ durable_objects: bind({ ...room, script_name: "other" }), migrations: [v1] }, 'durable_objects.bindings[0].script_name names another worker than "chat"; bindings to another worker\'s classes are not supported yet: received "other"'],
    [{ migrations: { tag: "v1" } }, 'migrations must be an array of tables with a tag: received {"tag":"v1"}'],
    [{ migrations: [{ new_classes: ["A"] }] }, "migrations[0].tag must be a non-empty string: received undefined"],
    [{ migrations: [v1, { ...v1, new_sqlite_classes: ["B"] }] }, 'migrations[1].tag repeats an earlier tag: received "v1"'],
    [{ migrations: [{ tag: "v2", new_classes: ["A"] }, { tag: "v1", new_classes: ["B"] }] }, 'migrations[1].tag is out of order: it follows "v2": received "v1"'],
    [{ migrations: [v1, { tag: "v2", new_classes: ["ChatRoom"] }] }, 'migrations[1].new_classes[0] introduces a class that already exists: received "ChatRoom"'],
    [{ migrations: [{ tag: "v1", new_classes: "A" }] }, 'migrations[0].new_classes must be an array of class names: received "A"'],
    [{ migrations: [{ tag: "v1", new_sqlite_classes: [7] }] }, 'migrations[0].new_sqlite_classes[0] must be a class name such as "ChatRoom": received 7'],
    [{ migrations: [v1, { tag: "v2", renamed_classes: [{ from: "Lobby", to: "Hall" }] }] }, 'migrations[1].renamed_classes[0].from names a class that no earlier migration introduced: received "Lobby"'],
    [{ migrations: [v1, { tag: "v2", new_classes: ["Hall"], renamed_classes: [{ from: "ChatRoom", to: "Hall" }] }] }, 'migrations[1].renamed_classes[0].to names a class that already exists: received "Hall"'],
    [{ migrations: [v1, { tag: "v2", renamed_classes: [{ from: "ChatRoom" }] }] }, 'migrations[1].renamed_classes[0].to must be a class name such as "ChatRoom": received undefined'],
    [{ migrations: [v1, { tag: "v2", deleted_classes: ["Lobby"] }] }, 'migrations[1].deleted_classes[0] names a class that no earlier migration introduced: received "Lobby"'],
    [{ migrations: [{ tag: "v1", transferred_classes: [{ from: "A", from_script: "x", to: "A" }] }] }, "migrations[0].transferred_classes is not supported yet: classes cannot move between workers: received [{"],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => parse(raw), (error: unknown) => {
      assert.ok(error instanceof VergeError);
      assert.equal(error.code, "config_invalid");
      assert.ok(error.message.startsWith(`wrangler.toml: ${message}`), `${error.message}\n  expected: wrangler.toml: ${message}`);
      return true;
    });
  }
});

test("tags in another scheme are applied in the order written, as wrangler does", () => {
  const migrations = [{ tag: "initial", new_classes: ["A"] }, { tag: "v1", new_classes: ["ChatRoom"] }, { tag: "2024-add", new_classes: ["B"] }];
  assert.equal(parse({ durable_objects: bind(room), migrations }).length, 1);
});

test("a config without a worker name cannot bind a class", () => {
  assert.throws(() => durableObjectsFromConfig({ durable_objects: bind(room), migrations: [v1] }, FILE), /^VergeError: wrangler\.toml: name is required for Durable Object bindings: received undefined$/);
});
