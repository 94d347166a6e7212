/**
 * @module Worker versions in the substrate bucket `verge-versions`: an
 * immutable bundle and the config it runs with, named by the hash of both
 * (uploading the same content twice gives the same version). A bundle is
 * stored in chunks, since a bucket value must fit NATS' payload limit
 * (1 MiB); the version's record is written after its chunks, so a record
 * names a complete bundle. Each worker has an index of its last versions,
 * newest last, updated by compare-and-set.
 *
 * Keys: `<worker>/<id>/meta`, `<worker>/<id>/<chunk>`, `<worker>/index`,
 * `<worker>/retired` (versions out of the index, deleted by `prune` once
 * nothing serves them), and `workers` (the names of the workers with versions).
 */
import { createHash } from "node:crypto";
import type { BindingDescriptor } from "../../bindings/types.js";
import type { Bucket, SubstrateView } from "../../substrate/types.js";
import { ControlError } from "../errors.js";
import { readNameIndex, updateNameIndex } from "./name-index.js";
import { checkVersionId, checkWorkerName } from "./names.js";

export const VERSIONS_BUCKET = "verge-versions";
/** Bundles over this are refused (Workers' limit for paid plans). */
export const MAX_BUNDLE_BYTES = 10 * 1024 * 1024;
/** Versions each worker's index keeps (rollback reaches any of them). */
export const KEPT_VERSIONS = 100;
const CHUNK_BYTES = 512 * 1024;
const WORKERS_KEY = "workers";

/** What a version runs with besides its code. Secrets are not part of it: they are set per worker. */
export interface VersionConfig {
  vars: Record<string, string>;
  /** Per-request CPU limit, when the config sets one. */
  cpuMs?: number;
  bindings: BindingDescriptor[];
  routes: string[];
  crons: string[];
  compatibilityDate?: string;
}

/** A version's record. */
export interface VersionMeta {
  id: string;
  worker: string;
  /** When it was first uploaded (ms since the epoch). */
  createdAt: number;
  /** Bundle size in bytes, and the SHA-256 of the bundle (hex). */
  bytes: number;
  codeSha256: string;
  chunks: number;
  config: VersionConfig;
}

export interface Version {
  meta: VersionMeta;
  code: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

/** The id of a bundle and config: the first 20 hex digits of the SHA-256 of both. */
export function versionIdOf(code: string, config: VersionConfig): string {
  return createHash("sha256").update(code).update("\0").update(canonicalJson(config)).digest("hex").slice(0, 20);
}

export class VersionStore {
  readonly #bucket: Bucket;

  private constructor(bucket: Bucket) {
    this.#bucket = bucket;
  }

  static async open(view: SubstrateView): Promise<VersionStore> {
    return new VersionStore(await view.bucket(VERSIONS_BUCKET));
  }

  /** Stores a version of `worker` (or finds the same content stored before); answers its record. */
  async upload(worker: string, code: string, config: VersionConfig, now = Date.now()): Promise<VersionMeta> {
    checkWorkerName(worker);
    const bytes = Buffer.from(code);
    if (bytes.length > MAX_BUNDLE_BYTES) throw new ControlError("bundle_too_large", `The bundle of "${worker}" is ${bytes.length} bytes: over the ${MAX_BUNDLE_BYTES} byte limit`);
    const id = versionIdOf(code, config);
    const existing = await this.meta(worker, id).catch(() => null);
    if (existing) {
      await this.#index(worker, id);
      return existing;
    }
    const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
    await Promise.all(Array.from({ length: chunks }, (_, n) => this.#bucket.put(`${worker}/${id}/${n}`, bytes.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES))));
    const meta: VersionMeta = { id, worker, createdAt: now, bytes: bytes.length, codeSha256: createHash("sha256").update(bytes).digest("hex"), chunks, config };
    await this.#bucket.put(`${worker}/${id}/meta`, json(meta));
    if (!(await readNameIndex(this.#bucket, WORKERS_KEY)).includes(worker)) await updateNameIndex(this.#bucket, WORKERS_KEY, (names) => (names.includes(worker) ? names : [...names, worker].sort()));
    await this.#index(worker, id);
    return meta;
  }

  /** Puts `id` last in the worker's index; versions pushed out of it are retired, to be pruned once nothing serves them. */
  async #index(worker: string, id: string): Promise<void> {
    let retired: string[] = [];
    await updateNameIndex(this.#bucket, `${worker}/index`, (ids) => {
      const next = [...ids.filter((known) => known !== id), id];
      retired = next.slice(0, -KEPT_VERSIONS);
      return next.slice(-KEPT_VERSIONS);
    });
    const known = await readNameIndex(this.#bucket, `${worker}/retired`);
    if (retired.length > 0 || known.includes(id)) await updateNameIndex(this.#bucket, `${worker}/retired`, (ids) => [...new Set([...ids, ...retired])].filter((other) => other !== id));
  }

  /**
   * Deletes the worker's retired versions (out of its last KEPT_VERSIONS)
   * except those in `inUse` (deployed now); answers the ids deleted.
   */
  async prune(worker: string, inUse: ReadonlySet<string>): Promise<string[]> {
    const doomed = (await readNameIndex(this.#bucket, `${worker}/retired`)).filter((id) => !inUse.has(id));
    for (const id of doomed) {
      const meta = await this.meta(worker, id).catch(() => null);
      // The record first: a version without it is not found, never half there.
      await this.#bucket.delete(`${worker}/${id}/meta`);
      await Promise.all(Array.from({ length: meta?.chunks ?? 0 }, (_, n) => this.#bucket.delete(`${worker}/${id}/${n}`)));
    }
    if (doomed.length > 0) await updateNameIndex(this.#bucket, `${worker}/retired`, (ids) => ids.filter((id) => !doomed.includes(id)));
    return doomed;
  }

  async meta(worker: string, id: string): Promise<VersionMeta> {
    checkWorkerName(worker);
    checkVersionId(id);
    const entry = await this.#bucket.get(`${worker}/${id}/meta`);
    if (!entry) throw new ControlError("version_not_found", `Worker "${worker}" has no version "${id}"`);
    try {
      return JSON.parse(decoder.decode(entry.value)) as VersionMeta;
    } catch (cause) {
      throw new ControlError("corrupt_record", `The record of version "${id}" of "${worker}" could not be decoded`, { cause });
    }
  }

  /** The version with its bundle, checked against the hash in its record. */
  async get(worker: string, id: string): Promise<Version> {
    // The record and the first chunk at once: most bundles are one chunk, so a PoP loads a version in one round trip.
    const [meta, first] = await Promise.all([this.meta(worker, id), this.#bucket.get(`${worker}/${id}/0`)]);
    const rest = await Promise.all(Array.from({ length: meta.chunks - 1 }, (_, n) => this.#bucket.get(`${worker}/${id}/${n + 1}`)));
    const parts = [first, ...rest];
    const bytes = Buffer.concat(parts.map((part) => part?.value ?? new Uint8Array(0)));
    if (parts.some((part) => part === null) || createHash("sha256").update(bytes).digest("hex") !== meta.codeSha256) {
      throw new ControlError("corrupt_record", `The bundle of version "${id}" of "${worker}" is incomplete or does not match its hash`);
    }
    return { meta, code: bytes.toString("utf8") };
  }

  /** The names of the workers with an uploaded version. */
  workers(): Promise<string[]> {
    return readNameIndex(this.#bucket, WORKERS_KEY);
  }

  /** The worker's last versions (at most KEPT_VERSIONS), newest first. */
  async list(worker: string): Promise<VersionMeta[]> {
    checkWorkerName(worker);
    const ids = await readNameIndex(this.#bucket, `${worker}/index`);
    return Promise.all(ids.reverse().map((id) => this.meta(worker, id)));
  }

  async close(): Promise<void> {
    await this.#bucket.close();
  }
}

/** JSON with object keys sorted, so equal configs hash equally. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : inner,
  );
}
