/** @module Tests of egress bodies against real servers on 127.0.0.1: a 50 MB stream, cancel, content decoding, POST streaming. */
import assert from "node:assert/strict";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import v8 from "node:v8";
import vm from "node:vm";
import zlib from "node:zlib";
import { createEgress } from "./index.js";
import { get, serve, text, type TestServer } from "./testing.js";

const MB = 2 ** 20;

/** A full garbage collection, so memory samples show what is retained rather than not yet collected. */
function collect(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

describe("egress bodies (allowLocal)", () => {
  const egress = createEgress({ allowLocal: true });
  let server: TestServer;
  const sent = { bytes: 0 };
  const posts: { chunks: number; firstChunkSeen?: () => void } = { chunks: 0 };
  before(async () => {
    server = await serve(async (req, res) => {
      switch (req.url) {
        case "/big": {
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(50 * MB) });
          for (sent.bytes = 0; sent.bytes < 50 * MB; sent.bytes += chunk.length) {
            if (!res.write(chunk)) await once(res, "drain");
          }
          return res.end();
        }
        case "/gzip":
          return res.writeHead(200, { "content-encoding": "gzip" }).end(zlib.gzipSync("hello gzip ".repeat(1000)));
        case "/deflate":
          return res.writeHead(200, { "content-encoding": "deflate" }).end(zlib.deflateSync("hello deflate"));
        case "/br":
          return res.writeHead(200, { "content-encoding": "br" }).end(zlib.brotliCompressSync("hello br"));
        case "/unknown-coding":
          return res.writeHead(200, { "content-encoding": "zz" }).end("raw bytes");
        case "/stream-in": {
          for await (const chunk of req) {
            posts.chunks += (chunk as Buffer).length > 0 ? 1 : 0;
            posts.firstChunkSeen?.();
          }
          return res.end(`got ${posts.chunks} chunks`);
        }
      }
      res.writeHead(404).end();
    });
  });
  after(async () => {
    await egress.close();
    await server.close();
  });

  it("streams a 50 MB response with backpressure and bounded memory", async () => {
    collect();
    const base = process.memoryUsage();
    const used = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers;
    const res = await egress.fetch(get(`${server.origin}/big`));
    const it = res.body![Symbol.asyncIterator]();
    let total = ((await it.next()).value as Uint8Array).length;
    await sleep(300); // the reader stalls: the server must stall too
    const ahead = sent.bytes;
    assert.ok(ahead < 20 * MB, `server ran ahead of a stalled reader by ${ahead} bytes`);
    let retained = 0;
    let peak = 0;
    for (let r = await it.next(), n = 0; !r.done; r = await it.next(), n++) {
      total += r.value.length;
      peak = Math.max(peak, used(process.memoryUsage()));
      if (n % 100 === 0) {
        collect();
        retained = Math.max(retained, used(process.memoryUsage()));
      }
    }
    assert.equal(total, 50 * MB);
    const f = (n: number) => (n / MB).toFixed(1);
    console.log(`# 50 MB response: server ${f(ahead)} MB ahead of a stalled reader; retained ≤ ${f(retained)} MB, peak before GC ${f(peak)} MB`);
    assert.ok(retained < 16 * MB, `memory retained while streaming: ${retained} bytes`);
  });

  it("cancels a body half way, releasing the connection", async () => {
    const res = await egress.fetch(get(`${server.origin}/big`));
    const it = res.body![Symbol.asyncIterator]();
    await it.next();
    res.body!.cancel?.();
    const rest = await it.next().then(
      (r) => (r.done ? "done" : "more"),
      () => "error",
    );
    assert.notEqual(rest, "more", "nothing is read after cancel");
    assert.equal(await text((await egress.fetch(get(`${server.origin}/br`))).body), "hello br");
  });

  it("decodes gzip and br, dropping content-encoding and content-length", async () => {
    const res = await egress.fetch(get(`${server.origin}/gzip`));
    assert.equal(await text(res.body), "hello gzip ".repeat(1000));
    assert.ok(!res.headers.some(([n]) => n === "content-encoding" || n === "content-length"));
    assert.equal(await text((await egress.fetch(get(`${server.origin}/br`))).body), "hello br");
    assert.equal(await text((await egress.fetch(get(`${server.origin}/deflate`))).body), "hello deflate");
    const raw = await egress.fetch(get(`${server.origin}/unknown-coding`));
    assert.deepEqual(raw.headers.find(([n]) => n === "content-encoding"), ["content-encoding", "zz"]);
    assert.equal(await text(raw.body), "raw bytes");
  });

  it("streams a POST body: the server sees the first chunk before the second is produced", async () => {
    posts.chunks = 0;
    const first = new Promise<void>((resolve) => (posts.firstChunkSeen = resolve));
    async function* body() {
      yield new TextEncoder().encode("one,");
      await first; // would never resolve if the client buffered the whole body
      yield new TextEncoder().encode("two");
    }
    const res = await egress.fetch({ ...get(`${server.origin}/stream-in`), method: "post", body: body() });
    assert.match(await text(res.body), /^got [12] chunks$/);
  });
});
