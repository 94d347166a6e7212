/**
 * @module The KV namespace object tenant code sees in `env` (Workers KV API).
 * Values become bytes here; the host ops check every limit and write nothing
 * on bad input.
 */
import { opAsync, opSync } from "../../runtime/prelude/core/bridge.js";
import { MAX_VALUE_BYTES, MIN_CACHE_TTL_SECONDS, valueProblem } from "./limits.js";
import type { WireEntry, WireList } from "./wire.js";

type ValueType = "text" | "json" | "arrayBuffer" | "stream";
type GetOptions = ValueType | { type?: ValueType; cacheTtl?: number } | undefined;
interface PutOptions {
  expiration?: number | string;
  expirationTtl?: number | string;
  metadata?: unknown;
}
interface ListOptions {
  prefix?: string | null;
  limit?: number;
  cursor?: string | null;
}

const TYPES = ["text", "json", "arrayBuffer", "stream"];

function typeOf(options: GetOptions, bulk: boolean): ValueType {
  const type = typeof options === "string" ? options : (options?.type ?? "text");
  if (!TYPES.includes(type)) throw new TypeError(`KV get failed: type must be one of text, json, arrayBuffer, stream: received ${JSON.stringify(type)}`);
  if (bulk && type !== "text" && type !== "json") throw new TypeError(`KV get failed: a bulk get returns text or json only: received ${JSON.stringify(type)}`);
  const cacheTtl = typeof options === "object" && options !== null ? options.cacheTtl : undefined;
  if (cacheTtl !== undefined && !(typeof cacheTtl === "number" && cacheTtl >= MIN_CACHE_TTL_SECONDS)) {
    throw new RangeError(`KV get failed: cacheTtl must be at least ${MIN_CACHE_TTL_SECONDS} seconds: received ${String(cacheTtl)}`);
  }
  return type;
}

function decode(bytes: Uint8Array, type: ValueType): unknown {
  if (type === "text") return new TextDecoder().decode(bytes);
  if (type === "json") return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  if (type === "arrayBuffer") return buffer;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(buffer));
      controller.close();
    },
  });
}

const metadataOf = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

async function toBytes(value: unknown): Promise<Uint8Array> {
  if (typeof value === "string") return new TextEncoder().encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  if (value instanceof ReadableStream) {
    const reader = (value as ReadableStream<unknown>).getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      if (!(chunk instanceof Uint8Array)) throw new TypeError("KV put failed: a stream value must yield Uint8Array chunks");
      total += chunk.byteLength;
      if (total > MAX_VALUE_BYTES) {
        await reader.cancel();
        throw new RangeError(`KV put failed: ${valueProblem(total) ?? ""} (the stream was cancelled)`);
      }
      chunks.push(chunk);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) out.set(chunk, (at += chunk.byteLength) - chunk.byteLength);
    return out;
  }
  throw new TypeError(`KV put failed: value must be a string, ArrayBuffer, ArrayBufferView or ReadableStream: received ${value === null ? "null" : typeof value}`);
}

class KVNamespace {
  readonly #id: string;
  constructor(id: string) {
    this.#id = id;
  }

  async get(key: string | string[], options?: GetOptions): Promise<unknown> {
    return this.#get(key, options, false);
  }

  async getWithMetadata(key: string | string[], options?: GetOptions): Promise<unknown> {
    return this.#get(key, options, true);
  }

  async put(key: string, value: unknown, options: PutOptions = {}): Promise<void> {
    const bytes = await toBytes(value);
    const metadata = options.metadata === undefined || options.metadata === null ? null : JSON.stringify(options.metadata);
    if (metadata === undefined) throw new TypeError("KV put failed: metadata must be serializable to JSON");
    await opAsync<null>("kv.put", this.#id, key, bytes, options.expiration ?? null, options.expirationTtl ?? null, metadata);
  }

  async delete(key: string): Promise<void> {
    await opAsync<null>("kv.delete", this.#id, key);
  }

  async list(options: ListOptions = {}): Promise<unknown> {
    const [rows, complete, cursor] = opSync<WireList>("kv.list", this.#id, options.prefix ?? null, options.limit ?? null, options.cursor ?? null);
    const keys = rows.map(([name, expiration, metadata]) => {
      const key: { name: string; expiration?: number; metadata?: unknown } = { name };
      if (expiration !== null) key.expiration = expiration;
      if (metadata !== null) key.metadata = metadataOf(metadata);
      return key;
    });
    return complete ? { keys, list_complete: true, cacheStatus: null } : { keys, list_complete: false, cursor, cacheStatus: null };
  }

  #get(key: string | string[], options: GetOptions, withMetadata: boolean): unknown {
    const type = typeOf(options, Array.isArray(key));
    const shape = (entry: WireEntry) => {
      const value = entry ? decode(entry[0], type) : null;
      return withMetadata ? { value, metadata: entry ? metadataOf(entry[1]) : null, cacheStatus: null } : value;
    };
    if (!Array.isArray(key)) return shape(opSync<WireEntry>("kv.get", this.#id, key));
    const entries = opSync<WireEntry[]>("kv.getMany", this.#id, key);
    return new Map(key.map((name, i) => [name, shape(entries[i])]));
  }
}

/** The shim registered for kind "kv" in src/runtime/prelude/bindings.ts. */
export function kvShim(_name: string, config: unknown): unknown {
  return new KVNamespace((config as { id: string }).id);
}
