/** @module Bucket keys of objects: within the substrate's key rules, and read back from a key. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkKey } from "../../../substrate/names.js";
import { DirectoryError } from "./errors.js";
import { DirectoryLimits, bucketKey, objectOf } from "./keys.js";

test("object keys are valid bucket keys and read back; other keys are not objects", () => {
  const key = { namespace: "=".repeat(DirectoryLimits.MAX_NAMESPACE_CHARS), id: "f".repeat(64) };
  const k = bucketKey(key);
  assert.doesNotThrow(() => checkKey(k));
  assert.deepEqual(objectOf(k), key);
  for (const other of ["opened.tokyo", "do.ns", "do..abc", `do.ns.${"g".repeat(64)}`]) assert.equal(objectOf(other), null, other);
  assert.throws(() => bucketKey({ namespace: "n".repeat(DirectoryLimits.MAX_NAMESPACE_CHARS + 1), id: key.id }), (error: unknown) => error instanceof DirectoryError && error.code === "invalid_namespace" && error.message.includes("1 to 128"));
});
