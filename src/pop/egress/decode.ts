/** @module Response content decoding (gzip, deflate, br), streamed, as Workers' fetch does it. */
import { pipeline, type Readable, type Transform } from "node:stream";
import zlib from "node:zlib";

/** Browsers and undici accept truncated compressed bodies; so do we. */
const ZLIB_LENIENT = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI_LENIENT = {
  flush: zlib.constants.BROTLI_OPERATION_FLUSH,
  finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
};
/** Nobody stacks more codings than this on purpose; more is treated as unknown. */
const MAX_CODINGS = 4;

/**
 * Decoders for a `content-encoding` value, outermost last-applied first, or
 * `null` when a coding is unknown (the body then passes through untouched).
 * `identity` and an empty value need no decoder.
 * @example decodersFor("gzip") // [Gunzip]
 */
export function decodersFor(contentEncoding: string | undefined): Transform[] | null {
  const codings = (contentEncoding ?? "")
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "" && c !== "identity");
  if (codings.length > MAX_CODINGS) return null;
  const decoders: Transform[] = [];
  for (const coding of codings.reverse()) {
    if (coding === "gzip" || coding === "x-gzip") decoders.push(zlib.createGunzip(ZLIB_LENIENT));
    else if (coding === "deflate") decoders.push(zlib.createInflate(ZLIB_LENIENT));
    else if (coding === "br") decoders.push(zlib.createBrotliDecompress(BROTLI_LENIENT));
    else return null;
  }
  return decoders;
}

/**
 * `source` run through `decoders`; destroying the result destroys the source.
 * Decoding errors surface on the returned stream.
 */
export function decode(source: Readable, decoders: Transform[]): Readable {
  if (decoders.length === 0) return source;
  return pipeline([source, ...decoders], () => {
    // Errors reach the consumer through the last stream; nothing else to do here.
  }) as unknown as Readable;
}
