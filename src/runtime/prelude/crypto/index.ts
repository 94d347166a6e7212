/**
 * @module The `crypto` global: Web Crypto's getRandomValues, randomUUID and subtle.
 */
import { getRandomValues, randomUUID } from "./random.js";
import { subtle, type SubtleCrypto } from "./subtle.js";

export { CryptoKey } from "./key.js";
export { SubtleCrypto, type CryptoKeyPair } from "./subtle.js";

export class Crypto {
  getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    return getRandomValues(array);
  }
  randomUUID(): string {
    return randomUUID();
  }
  /** The SubtleCrypto interface (the same object every time). */
  get subtle(): SubtleCrypto {
    return subtle;
  }
  get [Symbol.toStringTag](): string {
    return "Crypto";
  }
}
