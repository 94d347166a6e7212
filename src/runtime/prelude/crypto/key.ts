/** @module CryptoKey: a key the host made, kept sealed in a private field, with its public fields copied. */
import type { WireKey, WireKeyRef } from "../../host-ops/crypto/wire.js";

const token = Symbol("CryptoKey");
// Set by CryptoKey's static block: private fields can be read only by the class's own code,
// and neither these functions nor the fields are reachable from tenant code.
let sealedOf: (key: unknown) => Uint8Array | undefined;
let isExtractable: (key: CryptoKey) => boolean;

/** A key: `type`, `extractable`, `algorithm` and `usages`, as WebCrypto defines them. */
export class CryptoKey {
  readonly #sealed: Uint8Array;
  readonly #type: KeyType;
  readonly #extractable: boolean;
  readonly #algorithm: Record<string, unknown>;
  readonly #usages: KeyUsage[];

  static {
    sealedOf = (key) => (typeof key === "object" && key !== null && #sealed in key ? key.#sealed : undefined);
    isExtractable = (key) => key.#extractable;
  }

  constructor(key?: symbol, wire?: WireKey) {
    if (key !== token || !wire) throw new TypeError("Illegal constructor: CryptoKeys come from crypto.subtle");
    this.#sealed = wire.sealed;
    this.#type = wire.type;
    this.#extractable = wire.extractable;
    this.#algorithm = wire.algorithm;
    this.#usages = wire.usages as KeyUsage[];
  }
  get type(): KeyType { return this.#type; }
  get extractable(): boolean { return this.#extractable; }
  get algorithm(): Record<string, unknown> { return this.#algorithm; }
  get usages(): KeyUsage[] { return this.#usages; }
  get [Symbol.toStringTag](): string { return "CryptoKey"; }
}

/** The isolate's CryptoKey for a key the host made. */
export function keyFromWire(wire: WireKey): CryptoKey {
  return new CryptoKey(token, wire);
}

/** `key` as the host takes it; TypeError naming `what` when it is not a CryptoKey. */
export function keyRef(key: unknown, what: string): WireKeyRef {
  const sealed = sealedOf(key);
  if (sealed === undefined) throw new TypeError(`${what} must be a CryptoKey`);
  return { sealed };
}

/** Whether the key may be exported or wrapped (read from the key itself, not from a getter tenant code can replace). */
export function keyIsExtractable(key: CryptoKey): boolean {
  return isExtractable(key);
}
