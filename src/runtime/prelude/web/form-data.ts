/**
 * @module FormData (XHR standard): an ordered list of string and File entries.
 * Its wire forms are in multipart.ts.
 */
import { Blob, File } from "./blob.js";

export type FormDataEntryValue = string | File;

function toEntry(name: unknown, value: unknown, filename?: unknown): [string, FormDataEntryValue] {
  const key = String(name);
  if (value instanceof Blob) {
    const fileName = filename !== undefined ? String(filename) : value instanceof File ? value.name : "blob";
    if (value instanceof File && filename === undefined) return [key, value];
    const file = new File([value], fileName, { type: value.type, lastModified: value instanceof File ? value.lastModified : undefined });
    return [key, file];
  }
  return [key, String(value)];
}

/** FormData: entries in insertion order; Blob values become Files. */
export class FormData {
  #entries: [string, FormDataEntryValue][] = [];

  constructor(form?: unknown) {
    if (form !== undefined) throw new TypeError("FormData constructor: form elements are not supported in Workers");
  }

  append(name: string, value: string | Blob, filename?: string): void {
    this.#entries.push(toEntry(name, value, filename));
  }
  set(name: string, value: string | Blob, filename?: string): void {
    const entry = toEntry(name, value, filename);
    const index = this.#entries.findIndex(([key]) => key === entry[0]);
    if (index === -1) {
      this.#entries.push(entry);
      return;
    }
    this.#entries[index] = entry;
    this.#entries = this.#entries.filter(([key], i) => i <= index || key !== entry[0]);
  }
  delete(name: string): void {
    const key = String(name);
    this.#entries = this.#entries.filter(([k]) => k !== key);
  }
  get(name: string): FormDataEntryValue | null {
    const key = String(name);
    return this.#entries.find(([k]) => k === key)?.[1] ?? null;
  }
  getAll(name: string): FormDataEntryValue[] {
    const key = String(name);
    return this.#entries.filter(([k]) => k === key).map(([, v]) => v);
  }
  has(name: string): boolean {
    const key = String(name);
    return this.#entries.some(([k]) => k === key);
  }
  forEach(callback: (value: FormDataEntryValue, key: string, parent: FormData) => void, thisArg?: unknown): void {
    for (const [key, value] of this.#entries) callback.call(thisArg, value, key, this);
  }
  *entries(): IterableIterator<[string, FormDataEntryValue]> {
    yield* this.#entries.map((e) => [e[0], e[1]] as [string, FormDataEntryValue]);
  }
  *keys(): IterableIterator<string> {
    for (const [key] of this.#entries) yield key;
  }
  *values(): IterableIterator<FormDataEntryValue> {
    for (const [, value] of this.#entries) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, FormDataEntryValue]> {
    return this.entries();
  }
  get [Symbol.toStringTag](): string {
    return "FormData";
  }
}
