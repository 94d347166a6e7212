/**
 * @module API tokens in the substrate bucket `verge-tokens`. A token is
 * `verge_<id>_<secret>`; only the SHA-256 of the secret is stored, under the
 * id, so a leaked bucket gives no working token. A token is an admin's (every
 * worker, token management) or scoped to one worker.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Bucket, SubstrateView } from "../../substrate/types.js";
import { ControlError } from "../errors.js";
import { readNameIndex, updateNameIndex } from "../store/name-index.js";
import { checkWorkerName } from "../store/names.js";

export const TOKENS_BUCKET = "verge-tokens";
/** Created once per network, by whoever creates the first admin token. */
const BOOTSTRAP_KEY = "bootstrap";
const INDEX_KEY = "index";
const TOKEN = /^verge_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const NAME = /^[\x20-\x7e]{1,64}$/;

export interface TokenRecord {
  id: string;
  name: string;
  /** null: an admin token. */
  worker: string | null;
  createdAt: number;
}

interface StoredToken extends TokenRecord {
  sha256: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const digest = (secret: string) => createHash("sha256").update(secret).digest();

export class TokenStore {
  readonly #bucket: Bucket;

  private constructor(bucket: Bucket) {
    this.#bucket = bucket;
  }

  static async open(view: SubstrateView): Promise<TokenStore> {
    return new TokenStore(await view.bucket(TOKENS_BUCKET));
  }

  /** Creates a token; answers its record and the token itself (shown once, never stored). */
  async create(name: string, worker: string | null, now = Date.now()): Promise<{ record: TokenRecord; token: string }> {
    if (typeof name !== "string" || !NAME.test(name)) throw new ControlError("bad_request", `A token name is 1 to 64 printable ASCII characters: received ${JSON.stringify(name)}`);
    if (worker !== null) checkWorkerName(worker);
    const id = randomBytes(8).toString("hex");
    const secret = randomBytes(32).toString("base64url");
    const record: TokenRecord = { id, name, worker, createdAt: now };
    const stored: StoredToken = { ...record, sha256: digest(secret).toString("hex") };
    await this.#bucket.put(`token/${id}`, encoder.encode(JSON.stringify(stored)));
    await updateNameIndex(this.#bucket, INDEX_KEY, (ids) => [...ids, id]);
    return { record, token: `verge_${id}_${secret}` };
  }

  /**
   * The first admin token of the network, or null when one was made before
   * (by this or another control plane): the claim is a create-only write.
   */
  async bootstrap(): Promise<{ record: TokenRecord; token: string } | null> {
    const claim = await this.#bucket.compareAndSet(BOOTSTRAP_KEY, encoder.encode(String(Date.now())), null);
    return claim.ok ? this.create("admin (first start)", null) : null;
  }

  /** The token's record when it is valid, else null. Constant time in the secret. */
  async verify(token: string): Promise<TokenRecord | null> {
    const match = TOKEN.exec(token);
    if (!match) return null;
    const stored = await this.#read(match[1]);
    if (!stored) return null;
    const expected = Buffer.from(stored.sha256, "hex");
    const actual = digest(match[2]);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const { sha256: _hash, ...record } = stored;
    return record;
  }

  async list(): Promise<TokenRecord[]> {
    const records = await Promise.all((await readNameIndex(this.#bucket, INDEX_KEY)).map((id) => this.#read(id)));
    return records.filter((stored): stored is StoredToken => stored !== null).map(({ sha256: _hash, ...record }) => record);
  }

  /** Deletes a token; answers false when there was none with that id. */
  async delete(id: string): Promise<boolean> {
    if (!/^[0-9a-f]{16}$/.test(id) || !(await this.#read(id))) return false;
    await this.#bucket.delete(`token/${id}`);
    await updateNameIndex(this.#bucket, INDEX_KEY, (ids) => ids.filter((known) => known !== id));
    return true;
  }

  async #read(id: string): Promise<StoredToken | null> {
    const entry = await this.#bucket.get(`token/${id}`);
    return entry && (JSON.parse(decoder.decode(entry.value)) as StoredToken);
  }

  async close(): Promise<void> {
    await this.#bucket.close();
  }
}
