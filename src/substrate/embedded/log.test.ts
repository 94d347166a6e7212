/** @module Tests of the durable log: replay, a torn tail cut on open, refusal after close. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { SubstrateError } from "../errors.js";
import { Log } from "./log.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verge-log-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const texts = (log: Log): string[] => log.read(1).map((record) => new TextDecoder().decode(record.data));

test("records are replayed in order, a torn last record is cut, and appends continue after it", { timeout: 5000 }, async () => {
  const file = path.join(dir, "streams", "a.log");
  const log = await Log.open(file);
  assert.deepEqual(await Promise.all(["one", "two", "three"].map((text) => log.append(bytes(text)))), [1, 2, 3]);
  await log.close();
  const intact = fs.statSync(file).size;
  fs.appendFileSync(file, Buffer.from([9, 0, 0, 0, 1, 2])); // a record whose write was cut short
  const reopened = await Log.open(file);
  assert.deepEqual(texts(reopened), ["one", "two", "three"]);
  assert.equal(fs.statSync(file).size, intact);
  assert.equal(await reopened.append(bytes("four")), 4);
  await reopened.close();
  assert.deepEqual(texts(await Log.open(file)), ["one", "two", "three", "four"]);
});

test("a corrupt record ends the replay there", { timeout: 5000 }, async () => {
  const file = path.join(dir, "streams", "b.log");
  const log = await Log.open(file);
  await log.append(bytes("good"));
  await log.append(bytes("flipped"));
  await log.close();
  const content = fs.readFileSync(file);
  content[content.length - 6] ^= 0xff; // inside the second payload
  fs.writeFileSync(file, content);
  const reopened = await Log.open(file);
  assert.deepEqual(texts(reopened), ["good"]);
  await reopened.close();
  await assert.rejects(reopened.append(bytes("late")), (error: unknown) => error instanceof SubstrateError && error.code === "closed");
});
