/**
 * @module Worker secrets in the substrate bucket `verge-secrets`, encrypted
 * with AES-256-GCM; the key (`<worker>/s/<NAME>`) is the additional
 * authenticated data, so a ciphertext moved to another name fails to open.
 * The control plane writes them; PoPs read them into the worker's `env`.
 * Nothing here answers a value except `values()`, which only PoPs call.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Bucket, BucketChange, Subscription, SubstrateView } from "../../substrate/types.js";
import { ControlError } from "../errors.js";
import { readNameIndex, updateNameIndex } from "../store/name-index.js";
import { checkWorkerName } from "../store/names.js";

export const SECRETS_BUCKET = "verge-secrets";
/** A secret's value at most (Workers' limit). */
export const MAX_SECRET_BYTES = 5 * 1024;
/** Secrets per worker at most. */
export const MAX_SECRETS = 128;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface SecretInfo {
  name: string;
  updatedAt: number;
}

interface SealedSecret extends SecretInfo {
  iv: string;
  tag: string;
  data: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function checkSecretName(name: unknown): string {
  if (typeof name !== "string" || !SECRET_NAME.test(name)) {
    throw new ControlError("invalid_secret", `Invalid secret name: received ${JSON.stringify(name)}; expected 1 to 64 characters of A-Z a-z 0-9 _, not starting with a digit`);
  }
  return name;
}

export class SecretStore {
  readonly #bucket: Bucket;
  readonly #key: Buffer | null;

  private constructor(bucket: Bucket, key: Buffer | null) {
    this.#bucket = bucket;
    this.#key = key;
  }

  /** `key` null: names can be listed, values neither written nor read. */
  static async open(view: SubstrateView, key: Buffer | null): Promise<SecretStore> {
    return new SecretStore(await view.bucket(SECRETS_BUCKET), key);
  }

  async put(worker: string, name: string, value: string, now = Date.now()): Promise<void> {
    checkWorkerName(worker);
    checkSecretName(name);
    if (typeof value !== "string") throw new ControlError("invalid_secret", `The value of secret ${name} is a string: received ${typeof value}`);
    const bytes = Buffer.byteLength(value);
    if (bytes > MAX_SECRET_BYTES) throw new ControlError("invalid_secret", `The value of secret ${name} is ${bytes} bytes: over the ${MAX_SECRET_BYTES} byte limit`);
    const names = await readNameIndex(this.#bucket, `${worker}/index`);
    if (!names.includes(name) && names.length >= MAX_SECRETS) throw new ControlError("invalid_secret", `Worker "${worker}" has ${names.length} secrets: the limit is ${MAX_SECRETS}`);
    const key = `${worker}/s/${name}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#need(), iv).setAAD(Buffer.from(key));
    const data = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
    const sealed: SealedSecret = { name, updatedAt: now, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
    await this.#bucket.put(key, encoder.encode(JSON.stringify(sealed)));
    await updateNameIndex(this.#bucket, `${worker}/index`, (known) => (known.includes(name) ? known : [...known, name].sort()));
  }

  /** Names and update times of the worker's secrets; never their values. */
  async list(worker: string): Promise<SecretInfo[]> {
    const sealed = await this.#sealed(worker);
    return sealed.map(({ name, updatedAt }) => ({ name, updatedAt }));
  }

  /** Deletes a secret; answers false when the worker had none of that name. */
  async delete(worker: string, name: string): Promise<boolean> {
    checkWorkerName(worker);
    checkSecretName(name);
    if (!(await this.#bucket.get(`${worker}/s/${name}`))) return false;
    await this.#bucket.delete(`${worker}/s/${name}`);
    await updateNameIndex(this.#bucket, `${worker}/index`, (known) => known.filter((other) => other !== name));
    return true;
  }

  /** The worker's secrets, decrypted: for the PoPs that give them to the worker in `env`. */
  async values(worker: string): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    for (const sealed of await this.#sealed(worker)) values[sealed.name] = this.#open(worker, sealed);
    return values;
  }

  /** Every change of a secret; the worker is the key's first part. */
  watch(): Promise<Subscription<BucketChange>> {
    return this.#bucket.watch("");
  }

  async #sealed(worker: string): Promise<SealedSecret[]> {
    checkWorkerName(worker);
    const names = await readNameIndex(this.#bucket, `${worker}/index`);
    const entries = await Promise.all(names.map((name) => this.#bucket.get(`${worker}/s/${name}`)));
    return entries.flatMap((entry) => (entry ? [JSON.parse(decoder.decode(entry.value)) as SealedSecret] : []));
  }

  #need(): Buffer {
    if (!this.#key) throw new ControlError("secrets_key", "No secrets key was given (--secrets-key-file or VERGE_SECRETS_KEY): secrets cannot be read or written");
    return this.#key;
  }

  #open(worker: string, sealed: SealedSecret): string {
    const key = this.#need();
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64")).setAAD(Buffer.from(`${worker}/s/${sealed.name}`));
      decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
    } catch (cause) {
      throw new ControlError("secrets_key", `Secret ${sealed.name} of "${worker}" cannot be decrypted: the secrets key differs from the one it was written with, or the record is corrupt`, { cause });
    }
  }

  async close(): Promise<void> {
    await this.#bucket.close();
  }
}
