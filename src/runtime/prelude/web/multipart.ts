/**
 * @module The wire forms of FormData: multipart/form-data both ways (RFC 7578,
 * escaped as the HTML standard does) and application/x-www-form-urlencoded.
 */
import { Blob, File, blobBytes } from "./blob.js";
import { decodeUtf8, utf8Encode } from "./encoding.js";
import { FormData } from "./form-data.js";
import { newURLSearchParams } from "./url.js";

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

/** A parameter of a header value such as `form-data; name="a"` (quoted or token). */
function parameter(header: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i").exec(header);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2];
}

/** Parses a request or response body as FormData, per its Content-Type. */
export function parseFormData(bytes: Uint8Array, contentType: string): FormData {
  const essence = contentType.split(";")[0].trim().toLowerCase();
  if (essence === "application/x-www-form-urlencoded") {
    const form = new FormData();
    for (const [name, value] of newURLSearchParams(decodeUtf8(bytes).text)) form.append(name, value);
    return form;
  }
  if (essence === "multipart/form-data") {
    const boundary = parameter(contentType.slice(contentType.indexOf(";")), "boundary");
    if (!boundary) throw new TypeError(`Invalid multipart/form-data: no boundary in Content-Type: "${contentType}"`);
    return parseMultipart(bytes, boundary);
  }
  throw new TypeError(`Unrecognized Content-Type for formData(): "${contentType}"`);
}

/** Index of `needle` in `haystack` from `from`, or -1; the first byte is found natively. */
function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(needle[0], from); i !== -1 && i <= last; i = haystack.indexOf(needle[0], i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

function parseMultipart(bytes: Uint8Array, boundary: string): FormData {
  const form = new FormData();
  const delimiter = utf8Encode(`\r\n--${boundary}`);
  const headerEnd = utf8Encode("\r\n\r\n");
  // The first delimiter may open the body without a preceding CRLF.
  const opening = utf8Encode(`--${boundary}`);
  let position = indexOf(bytes, opening, 0);
  if (position === -1) throw new TypeError("Invalid multipart/form-data: the boundary was not found in the body");
  position += opening.length;
  for (;;) {
    if (bytes[position] === 0x2d && bytes[position + 1] === 0x2d) return form;
    const lineEnd = indexOf(bytes, utf8Encode("\r\n"), position);
    if (lineEnd === -1) throw new TypeError("Invalid multipart/form-data: a delimiter line is not terminated");
    position = lineEnd + 2;
    const headersEnd = indexOf(bytes, headerEnd, position - 2);
    if (headersEnd === -1) throw new TypeError("Invalid multipart/form-data: a part's headers are not terminated");
    const next = indexOf(bytes, delimiter, headersEnd + 2);
    if (next === -1) throw new TypeError("Invalid multipart/form-data: a part is not terminated by the boundary");
    const head = decodeUtf8(bytes.subarray(position, headersEnd)).text;
    const content = bytes.subarray(headersEnd + 4, next);
    const disposition = /(?:^|\r\n)content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? "";
    const name = parameter(disposition, "name");
    if (name === undefined) throw new TypeError("Invalid multipart/form-data: a part has no name in its Content-Disposition");
    const starred = parameter(disposition, "filename\\*");
    const filename = starred !== undefined ? decodeExtended(starred) : parameter(disposition, "filename");
    if (filename !== undefined) {
      const type = /(?:^|\r\n)content-type:([^\r\n]*)/i.exec(head)?.[1]?.trim() || "application/octet-stream";
      form.append(name, new File([content.slice()], filename, { type }));
    } else {
      form.append(name, decodeUtf8(content).text);
    }
    position = next + delimiter.length;
  }
}

/** An RFC 8187 extended value (`UTF-8''na%C3%AFve.txt`). */
function decodeExtended(value: string): string {
  const quote = value.indexOf("''");
  const encoded = quote === -1 ? value : value.slice(quote + 2);
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}
