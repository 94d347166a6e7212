/** @module CompressionStream / DecompressionStream inside an isolate, checked against node:zlib in both directions. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import zlib from "node:zlib";
import { startTestPop, type TestPop } from "../support/pop.js";
import { assertError, checksWorker, runChecks, valueOf, type CheckResult } from "./checks.js";

const FORMATS = ["gzip", "deflate", "deflate-raw"] as const;
type Format = (typeof FORMATS)[number];
const compressors: Record<Format, (data: Uint8Array) => Buffer> = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, "deflate-raw": zlib.deflateRawSync };
const decompressors: Record<Format, (data: Uint8Array) => Buffer> = { gzip: zlib.gunzipSync, deflate: zlib.inflateSync, "deflate-raw": zlib.inflateRawSync };

/** Compressible text and incompressible bytes, 300 KB in all (several deflate blocks). */
function sample(): Uint8Array {
  const text = Buffer.from("The quick brown fox jumps over the lazy dog. \u00e9\u20ac ".repeat(4000));
  let seed = 7;
  const noise = Buffer.from(Array.from({ length: 100_000 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
  return Buffer.concat([text, noise, text]);
}

/** The checks of checksWorker, plus /compress and /decompress routes that stream a POSTed body through. */
const worker = checksWorker(`{
  unknownFormat: async () => errorOf(() => new CompressionStream("brotli")),
  unknownFormatDecompress: async () => errorOf(() => new DecompressionStream("zip")),
  missingFormat: async () => errorOf(() => new CompressionStream()),
  roundTrips: async () => {
    const input = enc("hello hello hello ".repeat(5000) + "\\u{1F600}");
    const out = {};
    for (const format of ["gzip", "deflate", "deflate-raw"]) {
      const compressed = new Uint8Array(await new Response(new Blob([input]).stream().pipeThrough(new CompressionStream(format))).arrayBuffer());
      const pieces = new ReadableStream({ start(c) { for (let i = 0; i < compressed.length; i += 3) c.enqueue(compressed.slice(i, i + 3)); c.close(); } });
      const back = new Uint8Array(await new Response(pieces.pipeThrough(new DecompressionStream(format))).arrayBuffer());
      out[format] = { smaller: compressed.length < input.length / 10, same: dec(back) === dec(input) };
    }
    return out;
  },
  empty: async () => {
    const compressed = await new Response(new ReadableStream({ start(c) { c.close(); } }).pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
    const back = await new Response(new Blob([compressed]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    return [compressed.byteLength > 0, back.byteLength];
  },
  notBytes: async () => errorOf(async () => {
    const s = new ReadableStream({ start(c) { c.enqueue("text"); c.close(); } });
    await new Response(s.pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
  }),
  shape: async () => {
    const cs = new CompressionStream("deflate");
    return [cs.readable instanceof ReadableStream, cs.writable instanceof WritableStream, Object.prototype.toString.call(new DecompressionStream("gzip"))];
  },
}`).replace("export default {", "const checksHandler = {") + `
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/checks") return checksHandler.fetch(request, env, ctx);
    const format = url.searchParams.get("format");
    const size = Number(url.searchParams.get("chunk") ?? 65536);
    const body = new Uint8Array(await request.arrayBuffer());
    const chunks = new ReadableStream({ start(c) { for (let i = 0; i < body.length; i += size) c.enqueue(body.slice(i, i + size)); c.close(); } });
    const Stream = url.pathname === "/compress" ? CompressionStream : DecompressionStream;
    try {
      return new Response(await new Response(chunks.pipeThrough(new Stream(format))).arrayBuffer());
    } catch (error) {
      return Response.json({ name: error.name, message: error.message, isTypeError: error instanceof TypeError }, { status: 422 });
    }
  },
};
`;

let pop: TestPop;
let results: Record<string, CheckResult>;
before(async () => {
  // Compressing a few hundred KB in JavaScript takes more than the default 50 ms of CPU.
  pop = await startTestPop([{ name: "compression", source: worker, limits: { cpuMs: 5000 } }]);
  results = await runChecks(pop, "/checks");
});
after(() => pop.close());

async function post(path: string, body: Uint8Array): Promise<Response> {
  return pop.fetch(path, { method: "POST", body });
}

test("an unknown format is a TypeError naming the value", () => {
  assertError(results, "unknownFormat", "TypeError", /"brotli"/);
  assertError(results, "unknownFormatDecompress", "TypeError", /"zip"/);
  assertError(results, "missingFormat", "TypeError", /"undefined"/);
});

test("round trips inside the isolate for every format, fed 3 bytes at a time", () => {
  const expected = Object.fromEntries(FORMATS.map((format) => [format, { smaller: true, same: true }]));
  assert.deepEqual(valueOf(results, "roundTrips"), expected);
  assert.deepEqual(valueOf(results, "empty"), [true, 0]);
  assertError(results, "notBytes", "TypeError", /ArrayBuffer/);
  assert.deepEqual(valueOf(results, "shape"), [true, true, "[object DecompressionStream]"]);
});

for (const format of FORMATS) {
  test(`${format}: what the isolate compresses, node:zlib decompresses`, async () => {
    const data = sample();
    const res = await post(`/compress?format=${format}&chunk=7919`, data);
    assert.equal(res.status, 200);
    const compressed = new Uint8Array(await res.arrayBuffer());
    assert.ok(compressed.length < data.length);
    assert.ok(Buffer.from(decompressors[format](compressed)).equals(Buffer.from(data)));
  });

  test(`${format}: what node:zlib compresses, the isolate decompresses in chunks of any size`, async () => {
    const data = sample();
    const compressed = compressors[format](data);
    for (const chunk of [1 << 20, 1000, 13]) {
      const res = await post(`/decompress?format=${format}&chunk=${chunk}`, compressed);
      assert.equal(res.status, 200, await res.clone().text());
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(data)), `chunk size ${chunk}`);
    }
  });

  test(`${format}: truncated, corrupt and padded input error the stream with a TypeError`, async () => {
    const compressed = compressors[format](sample());
    const cases: Record<string, Uint8Array> = {
      truncated: compressed.subarray(0, compressed.length - 3),
      cutInHalf: compressed.subarray(0, compressed.length >> 1),
      garbage: new Uint8Array(64).fill(0xff),
      padded: Buffer.concat([compressed, Buffer.from("junk")]),
    };
    if (format !== "deflate-raw") cases.badChecksum = Buffer.concat([compressed.subarray(0, -(format === "gzip" ? 8 : 1)), Buffer.alloc(format === "gzip" ? 8 : 1, 0x5a)]);
    for (const [name, input] of Object.entries(cases)) {
      const res = await post(`/decompress?format=${format}&chunk=4096`, input);
      assert.equal(res.status, 422, `${name} was accepted`);
      const error = (await res.json()) as { name: string; message: string; isTypeError: boolean };
      assert.equal(error.isTypeError, true, `${name}: ${JSON.stringify(error)}`);
      assert.match(error.message, new RegExp(format), name);
      if (name === "badChecksum") assert.match(error.message, /incorrect data check/);
      if (name === "padded") assert.match(error.message, /junk/);
    }
  });
}

test("gzip headers with FEXTRA, FNAME, FCOMMENT and FHCRC are skipped", async () => {
  const data = Buffer.from("header fields ".repeat(100));
  const header = Buffer.from([0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3, 3, 0, 1, 2, 3]);
  const crc = Buffer.alloc(8);
  crc.writeUInt32LE(zlib.crc32(data), 0);
  crc.writeUInt32LE(data.length, 4);
  const gz = Buffer.concat([header, Buffer.from("name.txt\0comment\0"), Buffer.from([0xaa, 0xbb]), zlib.deflateRawSync(data), crc]);
  const res = await post("/decompress?format=gzip&chunk=5", gz);
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(await res.text(), data.toString());
});
