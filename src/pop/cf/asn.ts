/** @module ASN ranges from @ip-location-db/asn numeric CSVs, held in typed arrays and binary-searched. */
import { readFile } from "node:fs/promises";
import { setImmediate as nextTurn } from "node:timers/promises";

/** Rows parsed between two turns of the event loop while loading. */
const ROWS_PER_TURN = 50_000;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * Inclusive address ranges, each boundary stored as `words` big-endian uint32
 * words (1 for IPv4, 4 for IPv6), sorted by start.
 */
export interface AsnTable {
  words: number;
  count: number;
  starts: Uint32Array;
  ends: Uint32Array;
  asns: Uint32Array;
  /** Index into `orgs` for each row. */
  orgIds: Uint32Array;
  /** Each organisation name once. */
  orgs: string[];
}

/** An AS number and its organisation. */
export interface AsnEntry {
  asn: number;
  organization: string;
}

/**
 * Load a `asn-ipv4-num.csv` (words = 1) or `asn-ipv6-num.csv` (words = 4) file.
 * Rows: `start,end,asn,organisation` with decimal addresses; the organisation may be quoted.
 */
export async function loadAsnTable(path: string, words: 1 | 4): Promise<AsnTable> {
  const buf = await readFile(path);
  let lines = 0;
  for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, i + 1)) lines++;
  if (buf.length > 0 && buf[buf.length - 1] !== NEWLINE) lines++;
  const t: AsnTable = {
    words,
    count: 0,
    starts: new Uint32Array(lines * words),
    ends: new Uint32Array(lines * words),
    asns: new Uint32Array(lines),
    orgIds: new Uint32Array(lines),
    orgs: [],
  };
  const orgIndex = new Map<string, number>();
  let pos = 0;
  while (pos < buf.length) {
    for (let n = 0; n < ROWS_PER_TURN && pos < buf.length; n++) {
      let end = buf.indexOf(NEWLINE, pos);
      if (end === -1) end = buf.length;
      const c1 = buf.indexOf(COMMA, pos);
      const c2 = buf.indexOf(COMMA, c1 + 1);
      const c3 = buf.indexOf(COMMA, c2 + 1);
      if (c1 !== -1 && c3 !== -1 && c3 < end) {
        const row = t.count++;
        writeAddress(buf, pos, c1, t.starts, row * words, words);
        writeAddress(buf, c1 + 1, c2, t.ends, row * words, words);
        t.asns[row] = Number(buf.toString("latin1", c2 + 1, c3));
        const org = readField(buf, c3 + 1, end);
        let id = orgIndex.get(org);
        if (id === undefined) orgIndex.set(org, (id = t.orgs.push(org) - 1));
        t.orgIds[row] = id;
      }
      pos = end + 1;
    }
    await nextTurn();
  }
  return t;
}

/** Write a decimal address from `buf[from, to)` as `words` big-endian uint32 words. */
function writeAddress(buf: Buffer, from: number, to: number, out: Uint32Array, at: number, words: number): void {
  if (words === 1) {
    out[at] = Number(buf.toString("latin1", from, to));
    return;
  }
  let v = BigInt(buf.toString("latin1", from, to));
  for (let w = words - 1; w >= 0; w--) {
    out[at + w] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
}

/** A CSV field, unquoting `"a ""b"""` when quoted. */
function readField(buf: Buffer, from: number, to: number): string {
  if (to > from && buf[to - 1] === 0x0d) to--;
  if (buf[from] !== QUOTE) return buf.toString("utf8", from, to);
  return buf.toString("utf8", from + 1, to - 1).replaceAll('""', '"');
}

/** -1, 0 or 1 comparing `key` with the boundary at `at`. */
function compare(key: Uint32Array, arr: Uint32Array, at: number, words: number): number {
  for (let w = 0; w < words; w++) {
    const a = key[w];
    const b = arr[at + w];
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/**
 * The entry whose range holds `key` (an address as big-endian uint32 words), or `null`.
 * @example lookupAsn(table, Uint32Array.of(0x08080808)) // { asn: 15169, organization: "Google LLC" }
 */
export function lookupAsn(t: AsnTable, key: Uint32Array): AsnEntry | null {
  const w = t.words;
  let lo = 0;
  let hi = t.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(key, t.starts, mid * w, w) >= 0) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found === -1 || compare(key, t.ends, found * w, w) > 0) return null;
  return { asn: t.asns[found], organization: t.orgs[t.orgIds[found]] };
}
