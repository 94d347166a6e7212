/**
 * @module A KV mutation and its compact encoding as one record of the
 * namespace's stream: a kind byte, the timestamp and expiration as float64,
 * then pop, key and metadata with length prefixes, and the value as the rest.
 */

export interface KvMutation {
  kind: "put" | "delete";
  key: string;
  /** The bytes written (empty for a delete). */
  value: Uint8Array;
  /** Metadata as JSON text, or null. */
  metadata: string | null;
  /** Seconds since the epoch, or null: never. */
  expiration: number | null;
  /** Milliseconds (a hybrid clock, see namespace.ts); with `pop`, the last-writer-wins order. */
  ts: number;
  pop: string;
}

const PUT = 1;
const DELETE = 2;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeMutation(m: KvMutation): Uint8Array {
  const pop = encoder.encode(m.pop);
  const key = encoder.encode(m.key);
  const metadata = encoder.encode(m.metadata ?? "");
  if (pop.length > 0xff || key.length > 0xffff || metadata.length > 0xffff) throw new RangeError("KV mutation fields too long to encode");
  const head = 1 + 8 + 8 + 1 + pop.length + 2 + key.length + 2 + metadata.length;
  const out = new Uint8Array(head + m.value.length);
  const view = new DataView(out.buffer);
  out[0] = m.kind === "put" ? PUT : DELETE;
  view.setFloat64(1, m.ts);
  view.setFloat64(9, m.expiration ?? 0);
  let at = 17;
  out[at++] = pop.length;
  out.set(pop, at);
  at += pop.length;
  view.setUint16(at, key.length);
  out.set(key, (at += 2));
  at += key.length;
  view.setUint16(at, metadata.length);
  out.set(metadata, (at += 2));
  out.set(m.value, at + metadata.length);
  return out;
}

/** Decodes a record; throws a RangeError on a record this version cannot read. */
export function decodeMutation(data: Uint8Array): KvMutation {
  if (data.length < 22 || (data[0] !== PUT && data[0] !== DELETE)) throw new RangeError(`Not a KV mutation record (${data.length} bytes)`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const ts = view.getFloat64(1);
  const expiration = view.getFloat64(9);
  let at = 17;
  const popLength = data[at++];
  const pop = decoder.decode(data.subarray(at, (at += popLength)));
  const keyLength = view.getUint16(at);
  const key = decoder.decode(data.subarray((at += 2), (at += keyLength)));
  const metadataLength = view.getUint16(at);
  const metadata = decoder.decode(data.subarray((at += 2), (at += metadataLength)));
  if (at > data.length) throw new RangeError(`Truncated KV mutation record (${data.length} bytes)`);
  return {
    kind: data[0] === PUT ? "put" : "delete",
    key,
    value: data.slice(at),
    metadata: metadataLength === 0 ? null : metadata,
    expiration: expiration === 0 ? null : expiration,
    ts,
    pop,
  };
}
