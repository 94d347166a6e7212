/**
 * @module Streams that cross the bridge. Isolate streams (a response body the
 * host sends, a request body the host uploads) are pulled by the host one
 * chunk at a time with entry `pull`, which gives backpressure for free. Host
 * streams (an incoming request body, a fetched response body) are read by the
 * isolate with the async op `stream.read`.
 */
import { Op } from "../../bridge/protocol.js";
import { ReadableStream, toUint8Array } from "../web/streams.js";
import { currentRequest, opAsyncFor, opSyncFor, toWireError } from "./bridge.js";

interface ExportedStream {
  reader: ReadableStreamDefaultReader<Uint8Array>;
  requestId: number;
}

const isolateStreams = new Map<number, ExportedStream>();
let nextStreamId = 1;

/** Registers a stream for the host to pull; returns its id. */
export function exportStream(stream: ReadableStream<Uint8Array>): number {
  const id = nextStreamId++;
  isolateStreams.set(id, { reader: stream.getReader(), requestId: currentRequest() });
  return id;
}

/** Entry `pull`: read one chunk and hand it to the host with op stream.chunk. */
export function pullStream(id: number): void {
  const exported = isolateStreams.get(id);
  if (!exported) return;
  const { reader, requestId } = exported;
  const opSync = (name: string, ...args: unknown[]) => opSyncFor(requestId, name, ...args);
  reader.read().then(
    ({ done, value }) => {
      if (done) {
        isolateStreams.delete(id);
        opSync(Op.StreamChunk, id, null, null);
        return;
      }
      let chunk: Uint8Array;
      try {
        chunk = toUint8Array(value);
      } catch (error) {
        isolateStreams.delete(id);
        void reader.cancel(error);
        opSync(Op.StreamChunk, id, null, toWireError(error));
        return;
      }
      opSync(Op.StreamChunk, id, chunk, null);
    },
    (error: unknown) => {
      isolateStreams.delete(id);
      opSync(Op.StreamChunk, id, null, toWireError(error));
    },
  );
}

/** Entry `cancel-stream`: the host no longer wants it. */
export function cancelExportedStream(id: number): void {
  const exported = isolateStreams.get(id);
  isolateStreams.delete(id);
  if (exported) void exported.reader.cancel(new Error("The receiver closed the stream")).catch(() => {});
}

/** An ended request's streams are cancelled: the host will not pull them again. */
export function cancelRequestStreams(requestId: number): void {
  for (const [id, exported] of isolateStreams) if (exported.requestId === requestId) cancelExportedStream(id);
}

/**
 * A byte stream over a host stream id. An abort of `signal` errors the stream
 * with the signal's reason and cancels the host stream.
 */
export function importStream(id: number, signal?: AbortSignal): ReadableStream<Uint8Array> {
  // The stream belongs to the request it was made for, wherever it is read from.
  const owner = currentRequest();
  let finished = false;
  let onAbort: (() => void) | undefined;
  const finish = () => {
    finished = true;
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  };
  return new ReadableStream({
    type: "bytes",
    start(controller) {
      if (!signal) return;
      onAbort = () => {
        if (finished) return;
        finish();
        controller.error(signal.reason);
        opSyncFor(owner, Op.StreamCancel, id);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      // A zero-length chunk enqueues nothing, and a byte stream would not pull again: read on.
      for (;;) {
        let chunk: Uint8Array | null;
        try {
          chunk = await opAsyncFor<Uint8Array | null>(owner, Op.StreamRead, id);
        } catch (error) {
          finish();
          throw error;
        }
        if (finished) return;
        if (chunk === null) {
          finish();
          controller.close();
          return;
        }
        if (chunk.byteLength > 0) return controller.enqueue(chunk);
      }
    },
    cancel() {
      if (finished) return;
      finish();
      opSyncFor(owner, Op.StreamCancel, id);
    },
  });
}
