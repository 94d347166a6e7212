/**
 * @module The `crypto` global: Web Crypto's getRandomValues, randomUUID and subtle.
 */
import { getRandomValues, randomUUID } from "./random.js";

export class Crypto {
  getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    return getRandomValues(array);
  }
  randomUUID(): string {
    return randomUUID();
  }
  get [Symbol.toStringTag](): string {
    return "Crypto";
  }
}
