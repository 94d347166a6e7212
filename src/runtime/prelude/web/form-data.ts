/**
 * @module FormData, and its two wire forms: multipart/form-data (both ways)
 * and application/x-www-form-urlencoded (parsing).
 */
import { Blob, File, blobBytes } from "./blob.js";
import { decodeUtf8, utf8Encode } from "./encoding.js";

export type FormDataEntryValue = string | File;

function toEntry(name: unknown, value: unknown, filename?: unknown): [string, FormDataEntryValue] {
  const key = String(name);
  if (value instanceof Blob) {
    const fileName = filename !== undefined ? String(filename) : value instanceof File ? value.name : "blob";
    const file = value instanceof File && filename === undefined ? value : new File([value], fileName, { type: value.type });
    return [key, file];
  }
  return [key, String(value)];
}

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

const escapeName = (name: string) => name.replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/"/g, "%22");
const normalizeNewlines = (text: string) => text.replace(/\r(?!\n)|(?<!\r)\n/g, "\r\n");

/** Serializes as multipart/form-data with a random boundary. */
export function encodeFormData(form: FormData): { bytes: Uint8Array; contentType: string } {
  const random = crypto.getRandomValues(new Uint8Array(16));
  const boundary = `----VergeFormBoundary${Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  const parts: Uint8Array[] = [];
  for (const [name, value] of form) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(normalizeNewlines(name))}"`;
    if (typeof value === "string") {
      parts.push(utf8Encode(`${head}\r\n\r\n${normalizeNewlines(value)}\r\n`));
    } else {
      head += `; filename="${escapeName(value.name)}"\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n\r\n`;
      parts.push(utf8Encode(head), blobBytes(value), utf8Encode("\r\n"));
    }
  }
  parts.push(utf8Encode(`--${boundary}--\r\n`));
  return { bytes: blobBytes(new Blob(parts)), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Parses a request or response body as FormData, per its Content-Type. */
export function parseFormData(bytes: Uint8Array, contentType: string): FormData {
  const essence = contentType.split(";")[0].trim().toLowerCase();
  if (essence === "application/x-www-form-urlencoded") {
    const form = new FormData();
    for (const [name, value] of new URLSearchParams(decodeUtf8(bytes).text)) form.append(name, value);
    return form;
  }
  if (essence === "multipart/form-data") {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    if (!boundary) throw new TypeError(`Invalid multipart/form-data: no boundary in Content-Type: "${contentType}"`);
    return parseMultipart(bytes, boundary[1] ?? boundary[2]);
  }
  throw new TypeError(`Unrecognized Content-Type for formData(): "${contentType}"`);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function parseMultipart(bytes: Uint8Array, boundary: string): FormData {
  const form = new FormData();
  const delimiter = utf8Encode(`--${boundary}`);
  const headerEnd = utf8Encode("\r\n\r\n");
  let position = indexOf(bytes, delimiter, 0);
  if (position === -1) throw new TypeError("Invalid multipart/form-data: the boundary was not found in the body");
  for (;;) {
    position += delimiter.length;
    if (bytes[position] === 0x2d && bytes[position + 1] === 0x2d) return form;
    position += 2;
    const headersEnd = indexOf(bytes, headerEnd, position);
    const next = indexOf(bytes, delimiter, position);
    if (headersEnd === -1 || next === -1) throw new TypeError("Invalid multipart/form-data: a part is not terminated");
    const head = decodeUtf8(bytes.subarray(position, headersEnd)).text;
    const content = bytes.subarray(headersEnd + 4, next - 2);
    const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? "";
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new TypeError("Invalid multipart/form-data: a part has no name");
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (filename !== undefined) {
      const type = /content-type:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim() ?? "application/octet-stream";
      form.append(name, new File([content.slice()], filename, { type }));
    } else {
      form.append(name, decodeUtf8(content).text);
    }
    position = next;
  }
}
