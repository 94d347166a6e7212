/** @module TextEncoder/TextDecoder edge cases and TextEncoderStream/TextDecoderStream, run inside an isolate and compared with Node's own codecs. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { assertError, checksWorker, runChecks, valueOf, type CheckResult } from "./checks.js";

/** Byte sequences whose decoding (with U+FFFD replacement) the isolate must agree with Node on. */
const UTF8_VECTORS = [
  [0x80], [0xc0, 0x80], [0xc2], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80],
  [0xf0, 0x9f, 0x98], [0xf0, 0x9f, 0x98, 0x41], [0xff, 0x41, 0xfe], [0xe2, 0x82, 0x41, 0xe2, 0x82, 0xac],
  [0xef, 0xbb, 0xbf, 0x41], [0x41, 0xef, 0xbb, 0xbf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc1, 0xbf, 0xf5],
];
const TEXT = "a\u00e9\u20ac\u{1F600}b\u{10FFFF}\u4e2d";
const UTF16_BYTES = [0x3d, 0xd8, 0x00, 0xde, 0x41, 0x00, 0x00, 0xdc, 0x42]; // 😀 A <lone low> + odd byte

const checks = `{
  utf8Vectors: async () => ${JSON.stringify(UTF8_VECTORS)}.map((v) => new TextDecoder().decode(new Uint8Array(v))),
  fatalVectors: async () => ${JSON.stringify(UTF8_VECTORS)}.map((v) => { try { new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(v)); return "ok"; } catch (e) { return e.name; } }),
  splitEverywhere: async () => {
    const text = ${JSON.stringify(TEXT)};
    const bytes = enc(text);
    const failures = [];
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const d = new TextDecoder("utf-8", { fatal: true });
        const out = d.decode(bytes.subarray(0, i), { stream: true }) + d.decode(bytes.subarray(i, j), { stream: true }) + d.decode(bytes.subarray(j));
        if (out !== text) failures.push([i, j, out]);
      }
    }
    const byteByByte = new TextDecoder();
    let one = "";
    for (const b of bytes) one += byteByByte.decode(new Uint8Array([b]), { stream: true });
    one += byteByByte.decode();
    return { positions: bytes.length, failures, byteByByte: one === text };
  },
  streamFlushIncomplete: async () => {
    const d = new TextDecoder();
    return [d.decode(new Uint8Array([0xf0, 0x9f]), { stream: true }), d.decode(), d.decode(new Uint8Array([0x41]))];
  },
  bom: async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]);
    const split = new TextDecoder();
    const parts = split.decode(withBom.subarray(0, 2), { stream: true }) + split.decode(withBom.subarray(2));
    return {
      stripped: new TextDecoder().decode(withBom),
      kept: new TextDecoder("utf-8", { ignoreBOM: true }).decode(withBom).length,
      split: parts,
      secondCallStripsAgain: (() => { const d = new TextDecoder(); d.decode(withBom); return d.decode(withBom); })(),
      utf16: new TextDecoder("utf-16le").decode(new Uint8Array([0xff, 0xfe, 0x41, 0x00])),
    };
  },
  utf16le: async () => {
    const bytes = new Uint8Array(${JSON.stringify(UTF16_BYTES)});
    const whole = new TextDecoder("utf-16le").decode(bytes);
    const d = new TextDecoder("utf-16le");
    let streamed = "";
    for (const b of bytes) streamed += d.decode(new Uint8Array([b]), { stream: true });
    streamed += d.decode();
    const fatal = await errorOf(() => new TextDecoder("utf-16le", { fatal: true }).decode(bytes));
    return { whole: [...whole].map((c) => c.codePointAt(0)), streamed: streamed === whole, fatal: fatal.name };
  },
  utf16be: async () => new TextDecoder("utf-16be").decode(new Uint8Array([0xd8, 0x3d, 0xde, 0x00, 0x00, 0x41])),
  windows1252: async () => new TextDecoder("windows-1252").decode(Uint8Array.from({ length: 256 }, (_, i) => i)),
  labels: async () => ["  UTF8 ", "unicode-1-1-utf-8", "latin1", "ascii", "utf-16", "UTF-16BE", "\\tcp1252\\n"].map((l) => new TextDecoder(l).encoding),
  badLabel: async () => errorOf(() => new TextDecoder("utf-7")),
  replacementLabel: async () => errorOf(() => new TextDecoder("iso-2022-kr")),
  encodeLoneSurrogates: async () => [...new TextEncoder().encode("a\\ud800b\\udc00")],
  encodeOwnsBuffer: async () => ["xhiy", "\u00e9\u20ac\ud83d\ude00"].flatMap((s) => { const b = new TextEncoder().encode(s); return [b.length, b.buffer.byteLength]; }),
  encodeInto: async () => {
    const dest = new Uint8Array(5);
    const r = new TextEncoder().encodeInto("ab\u{1F600}c", dest);
    return { read: r.read, written: r.written, bytes: [...dest] };
  },
  decodeInputs: async () => {
    const buf = enc("xhiy").buffer;
    return [new TextDecoder().decode(buf), new TextDecoder().decode(new DataView(buf, 1, 2)), new TextDecoder().decode(), new TextDecoder().decode(new Uint16Array([0x6968]))];
  },
  decodeBadInput: async () => errorOf(() => new TextDecoder().decode("text")),
  decoderStream: async () => {
    const text = ${JSON.stringify(TEXT)};
    const bytes = enc(text);
    const failures = [];
    for (let i = 0; i <= bytes.length; i++) {
      const stream = new ReadableStream({ start(c) { c.enqueue(bytes.slice(0, i)); c.enqueue(bytes.slice(i).buffer); c.close(); } });
      let out = "";
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) out += chunk;
      if (out !== text) failures.push(i);
    }
    const ds = new TextDecoderStream("utf-16le", { fatal: true });
    return { positions: bytes.length, failures, encoding: ds.encoding, fatal: ds.fatal, ignoreBOM: ds.ignoreBOM, tag: Object.prototype.toString.call(ds) };
  },
  decoderStreamIncompleteEnd: async () => {
    const stream = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([0x41, 0xe2, 0x82])); c.close(); } });
    let out = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) out += chunk;
    return out;
  },
  decoderStreamFatal: async () => errorOf(async () => {
    const stream = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([0x41, 0xff])); c.close(); } });
    for await (const _ of stream.pipeThrough(new TextDecoderStream("utf-8", { fatal: true })));
  }),
  decoderStreamNotBytes: async () => errorOf(async () => {
    const stream = new ReadableStream({ start(c) { c.enqueue("text"); c.close(); } });
    for await (const _ of stream.pipeThrough(new TextDecoderStream()));
  }),
  encoderStream: async () => {
    const stream = new ReadableStream({ start(c) { for (const s of ["a\\ud83d", "\\ude00b", "", "\\u20ac", "\\ud83d"]) c.enqueue(s); c.close(); } });
    const chunks = [];
    for await (const chunk of stream.pipeThrough(new TextEncoderStream())) chunks.push([...chunk]);
    return { chunks, isUint8: (await new Response(new Blob(["x"]).stream().pipeThrough(new TextDecoderStream()).pipeThrough(new TextEncoderStream())).arrayBuffer()).byteLength, encoding: new TextEncoderStream().encoding };
  },
}`;

let pop: TestPop;
let results: Record<string, CheckResult>;
before(async () => {
  pop = await startTestPop([{ name: "encoding", source: checksWorker(checks) }]);
  results = await runChecks(pop, "/");
});
after(() => pop.close());

const nodeDecode = (bytes: number[], label = "utf-8") => new TextDecoder(label).decode(new Uint8Array(bytes));

test("invalid UTF-8 decodes to U+FFFD exactly as Node's decoder does", () => {
  assert.deepEqual(valueOf(results, "utf8Vectors"), UTF8_VECTORS.map((v) => nodeDecode(v)));
});

test("fatal UTF-8 throws TypeError on every invalid vector and accepts the valid ones", () => {
  const expected = UTF8_VECTORS.map((v) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(v));
      return "ok";
    } catch {
      return "TypeError";
    }
  });
  assert.deepEqual(valueOf(results, "fatalVectors"), expected);
});

test("streaming decode is right when 2-, 3- and 4-byte characters are split at every position", () => {
  const value = valueOf(results, "splitEverywhere") as { positions: number; failures: unknown[]; byteByByte: boolean };
  assert.equal(value.positions, Buffer.byteLength(TEXT));
  assert.deepEqual(value.failures, []);
  assert.equal(value.byteByByte, true);
  assert.deepEqual(valueOf(results, "streamFlushIncomplete"), ["", "\ufffd", "A"]);
});

test("the BOM is stripped once per stream unless ignoreBOM", () => {
  assert.deepEqual(valueOf(results, "bom"), { stripped: "hi", kept: 3, split: "hi", secondCallStripsAgain: "hi", utf16: "A" });
});

test("UTF-16LE and UTF-16BE: surrogate pairs, lone surrogates, odd trailing byte, fatal", () => {
  const value = valueOf(results, "utf16le") as { whole: number[]; streamed: boolean; fatal: string };
  assert.deepEqual(value.whole, [...nodeDecode(UTF16_BYTES, "utf-16le")].map((c) => c.codePointAt(0)));
  assert.equal(value.streamed, true);
  assert.equal(value.fatal, "TypeError");
  assert.equal(valueOf(results, "utf16be"), "\u{1F600}A");
});

test("windows-1252 maps 0x80-0x9F as the Encoding Standard does", () => {
  // Node 20 decodes windows-1252 as Latin-1, so the expected table is the Encoding Standard's own (index-windows-1252).
  const high = [0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
    0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178];
  const expected = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i >= 0x80 && i < 0xa0 ? high[i - 0x80] : i)).join("");
  assert.equal(valueOf(results, "windows1252"), expected);
});

test("labels are case-insensitive and trimmed; unknown labels are RangeErrors", () => {
  assert.deepEqual(valueOf(results, "labels"), ["utf-8", "utf-8", "windows-1252", "windows-1252", "utf-16le", "utf-16be", "windows-1252"]);
  assertError(results, "badLabel", "RangeError", /utf-7/);
  assertError(results, "replacementLabel", "RangeError");
});

test("TextEncoder: lone surrogates become U+FFFD, encodeInto stops before a character that does not fit", () => {
  assert.deepEqual(valueOf(results, "encodeLoneSurrogates"), [...Buffer.from("a\ufffdb\ufffd")]);
  assert.deepEqual(valueOf(results, "encodeInto"), { read: 2, written: 2, bytes: [0x61, 0x62, 0, 0, 0] });
  assert.deepEqual(valueOf(results, "encodeOwnsBuffer"), [4, 4, 9, 9]);
});

test("decode accepts ArrayBuffer, any view, and nothing; a string is a TypeError", () => {
  assert.deepEqual(valueOf(results, "decodeInputs"), ["xhiy", "hi", "", "hi"]);
  assertError(results, "decodeBadInput", "TypeError");
});

test("TextDecoderStream decodes chunks split at every position and flushes an incomplete end", () => {
  const value = valueOf(results, "decoderStream") as Record<string, unknown>;
  assert.deepEqual(value, { positions: Buffer.byteLength(TEXT), failures: [], encoding: "utf-16le", fatal: true, ignoreBOM: false, tag: "[object TextDecoderStream]" });
  assert.equal(valueOf(results, "decoderStreamIncompleteEnd"), "A\ufffd");
  assertError(results, "decoderStreamFatal", "TypeError");
  assertError(results, "decoderStreamNotBytes", "TypeError", /ArrayBuffer/);
});

test("TextEncoderStream joins a surrogate pair split across chunks and ends a dangling one with U+FFFD", () => {
  const value = valueOf(results, "encoderStream") as { chunks: number[][]; isUint8: number; encoding: string };
  assert.deepEqual(value.chunks.flat(), [...Buffer.from("a\u{1F600}b\u20ac\ufffd")]);
  assert.deepEqual(value.chunks[0], [0x61]);
  assert.equal(value.isUint8, 1);
  assert.equal(value.encoding, "utf-8");
});
