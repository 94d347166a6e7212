/**
 * @module `verge kv --dev-url` against a real `verge dev --pops tokyo,frankfurt`
 * process: writes at the first PoP reach a worker at the second, metadata and
 * expiration round trip, list and delete, and bad input stores nothing.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runVerge, startVerge, type VergeProcess } from "../support/cli.js";
import { until } from "../support/network.js";

const WORKER = `export default { async fetch(request, env) {
  const key = new URL(request.url).searchParams.get("key");
  return Response.json(await env.FLAGS.getWithMetadata(key));
} }`;

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("verge kv --dev-url against verge dev --pops tokyo,frankfurt", () => {
  let dev: VergeProcess;
  const urls: Record<string, string> = {};
  const kv = (args: string[], at = "tokyo") => runVerge(["kv", ...args, "--namespace", "flags", "--dev-url", urls[at]]);
  const atFrankfurt = async (key: string) => (await (await fetch(`${urls.frankfurt}/?key=${encodeURIComponent(key)}`)).json()) as { value: string | null; metadata: unknown };

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "verge-kv-cli-"));
    writeFileSync(join(dir, "index.js"), WORKER);
    writeFileSync(join(dir, "wrangler.toml"), `name = "kv-cli"\nmain = "index.js"\nkv_namespaces = [{ binding = "FLAGS", id = "flags" }]\n`);
    dev = await startVerge(["dev", dir, "--pops", "tokyo,frankfurt", "--port", "0", "--quiet", "--no-watch"]);
    for (const match of dev.output().matchAll(/at (http:\/\/[\d.]+:\d+) \(pop (\w+)\)/g)) urls[match[2]] = match[1];
    assert.ok(urls.tokyo && urls.frankfurt, dev.output());
  });
  after(async () => {
    assert.equal(await dev.stop(), 0);
  });

  test("a put at tokyo with metadata and a TTL reaches a worker at frankfurt; get prints the value and its metadata", async () => {
    const put = await kv(["put", "beta", "on", "--metadata", '{"owner":"ops"}', "--expiration-ttl", "3600"]);
    assert.equal(put.code, 0, put.stderr);
    assert.equal(put.stdout.length, 0);
    await until(async () => (await atFrankfurt("beta")).value === "on", "the write at frankfurt");
    assert.deepEqual((await atFrankfurt("beta")).metadata, { owner: "ops" });
    const got = await kv(["get", "beta"]);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout.toString(), "on", "the value alone, no newline");
    const described = JSON.parse((await kv(["get", "beta", "--metadata"])).stdout.toString()) as { name: string; expiration: number; metadata: unknown };
    assert.equal(described.name, "beta");
    assert.deepEqual(described.metadata, { owner: "ops" });
    assert.ok(Math.abs(described.expiration - (Date.now() / 1000 + 3600)) < 60, `expiration ${described.expiration}`);
  });

  test("a binary file round trips byte for byte under a key with a slash, and an absolute expiration is kept", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "verge-kv-file-")), "blob.bin");
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    writeFileSync(file, bytes);
    const expiration = Math.floor(Date.now() / 1000) + 7200;
    assert.equal((await kv(["put", "files/blob.bin", "--path", file, "--expiration", String(expiration)])).code, 0);
    assert.deepEqual((await kv(["get", "files/blob.bin"])).stdout, bytes);
    assert.deepEqual(JSON.parse((await kv(["get", "files/blob.bin", "--metadata"])).stdout.toString()), { name: "files/blob.bin", expiration });
  });

  test("list pages with prefix, limit and cursor; delete removes the key everywhere and get then exits 1", async () => {
    for (const put of await Promise.all(["user:1", "user:2", "user:3"].map((key) => kv(["put", key, key])))) assert.equal(put.code, 0, put.stderr);
    const first = JSON.parse((await kv(["list", "--prefix", "user:", "--limit", "2"])).stdout.toString()) as { keys: { name: string }[]; list_complete: boolean; cursor: string };
    assert.deepEqual(first.keys.map((k) => k.name), ["user:1", "user:2"]);
    assert.equal(first.list_complete, false);
    const rest = JSON.parse((await kv(["list", "--prefix", "user:", "--cursor", first.cursor])).stdout.toString()) as unknown;
    assert.deepEqual(rest, { keys: [{ name: "user:3" }], list_complete: true });

    assert.equal((await kv(["delete", "user:2"])).code, 0);
    const missing = await kv(["get", "user:2"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'verge kv: Key "user:2" not found in namespace "flags"\n');
    await until(async () => (await atFrankfurt("user:2")).value === null, "the deletion at frankfurt");
  });

  test("a namespace no worker binds is created on demand at a PoP and caught up before it is read", async () => {
    assert.equal((await runVerge(["kv", "put", "k", "v", "--namespace", "unbound", "--dev-url", urls.tokyo])).code, 0);
    const got = await runVerge(["kv", "get", "k", "--namespace", "unbound", "--dev-url", urls.frankfurt]);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout.toString(), "v");
  });

  test("bad input exits non-zero with one line naming the problem and the value, and stores nothing", async () => {
    const long = "bad-" + "k".repeat(509);
    const cases: [string[], number, RegExp][] = [
      [["frob", "bad-x", "--namespace", "flags"], 2, /^verge kv: Unknown subcommand: received "frob" \(expected get, put, delete or list\)$/],
      [["put", "bad-ns", "v"], 2, /^verge kv: --namespace is required/],
      [["put", "bad-ns", "v", "--namespace", "a b"], 2, /^verge kv: --namespace must be 1 to 61 characters .*: received "a b"$/],
      [["put", long, "v", "--namespace", "flags"], 2, /^verge kv: KV put failed: key is 513 bytes \(UTF-8\), over the limit of 512$/],
      [["put", "bad-ttl", "v", "--namespace", "flags", "--expiration-ttl", "30"], 2, /^verge kv: KV put failed: expirationTtl must be at least 60 seconds: received 30$/],
      [["put", "bad-ttl2", "v", "--namespace", "flags", "--expiration-ttl", "soon"], 2, /^verge kv: KV put failed: expirationTtl must be a number of seconds: received "soon"$/],
      [["put", "bad-exp", "v", "--namespace", "flags", "--expiration", "5"], 2, /^verge kv: KV put failed: expiration must be at least 60 seconds in the future .*: received 5$/],
      [["put", "bad-meta", "v", "--namespace", "flags", "--metadata", "{owner"], 2, /^verge kv: KV put failed: metadata must be JSON: received "\{owner"$/],
      [["put", "bad-meta2", "v", "--namespace", "flags", "--metadata", JSON.stringify({ x: "y".repeat(1100) })], 2, /^verge kv: KV put failed: metadata is 1108 bytes as JSON, over the limit of 1024$/],
      [["put", "bad-none", "--namespace", "flags"], 2, /^verge kv: put needs one value, .*: received neither$/],
      [["list", "--namespace", "flags", "--limit", "1001"], 2, /^verge kv: KV list failed: limit must be an integer from 1 to 1000: received 1001$/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runVerge(["kv", ...args, "--dev-url", urls.tokyo])));
    runs.forEach((run, i) => {
      const [args, code, message] = cases[i];
      assert.equal(run.code, code, `${args.join(" ").slice(0, 60)}: ${run.stderr}`);
      assert.match(run.stderr.trimEnd(), message);
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, "one line");
    });
    const port = await closedPort();
    const unreachable = await runVerge(["kv", "put", "bad-url", "v", "--namespace", "flags", "--dev-url", `http://127.0.0.1:${port}`]);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, new RegExp(`^verge kv: Cannot reach the dev PoP at http://127\\.0\\.0\\.1:${port} .*ECONNREFUSED\\n$`));

    const listed = JSON.parse((await kv(["list", "--prefix", "bad-"])).stdout.toString()) as { keys: unknown[] };
    assert.deepEqual(listed.keys, [], "nothing was stored");
  });
});
