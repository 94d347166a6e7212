/**
 * @module The global scope tenant code sees: the WinterTC minimum common API.
 * Node globals (process, require, Buffer, module, global, setImmediate,
 * __dirname) are never defined, as in workerd.
 */
import { Cache, CacheStorage, createCaches } from "../../bindings/cache/shim.js";
import { installClock } from "./core/clock.js";
import { installConsole } from "./core/console.js";
import { installTimers } from "./core/timers.js";
import { addEventListener } from "./core/worker.js";
import { Crypto, CryptoKey, SubtleCrypto } from "./crypto/index.js";
import { fetch } from "./fetch/fetch.js";
import { Headers } from "./fetch/headers.js";
import { Request } from "./fetch/request.js";
import { Response } from "./fetch/response.js";
import { AbortController, AbortSignal } from "./web/abort.js";
import { atob, btoa } from "./web/base64.js";
import { Blob, File } from "./web/blob.js";
import { CompressionStream, DecompressionStream } from "./web/compression.js";
import { DOMException } from "./web/dom-exception.js";
import { TextDecoder, TextEncoder } from "./web/encoding.js";
import { TextDecoderStream, TextEncoderStream } from "./web/encoding-streams.js";
import { CustomEvent, Event, EventTarget } from "./web/events.js";
import { FormData } from "./web/form-data.js";
import * as streams from "./web/streams.js";
import { markUncloneable, structuredClone } from "./web/structured-clone.js";
import { lazyUrlGlobals } from "./web/url.js";
import { CloseEvent, ErrorEvent, MessageEvent, WebSocket, WebSocketPair } from "./web/websocket.js";
import { installWebAssembly } from "./web/wasm.js";

/** Defines a global as the platform does: writable, configurable, not enumerable. */
export function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

export function installGlobals(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const staged: Record<string, unknown> = {};
  installClock(staged);
  installTimers(staged);
  installConsole(staged);
  const { isDisturbed: _d, isLocked: _l, streamOfBytes: _s, readAll: _r, toUint8Array: _t, ...streamClasses } = streams;
  Object.assign(staged, streamClasses, {
    DOMException, Event, CustomEvent, EventTarget, AbortController, AbortSignal,
    TextEncoder, TextDecoder, TextEncoderStream, TextDecoderStream, CompressionStream, DecompressionStream,
    atob, btoa, structuredClone,
    Blob, File, FormData, Headers, Request, Response, fetch,
    Crypto, crypto: new Crypto(), SubtleCrypto, CryptoKey, addEventListener,
    Cache, CacheStorage, caches: createCaches(),
    navigator: Object.freeze({ userAgent: "Verge/0.1", hardwareConcurrency: 1, language: "en" }),
    self: globalThis,
  });
  Object.assign(staged, { WebSocket, WebSocketPair, MessageEvent, CloseEvent, ErrorEvent });
  // Every class installed here is a platform object that structuredClone refuses, except DOMException.
  markUncloneable(Object.values(staged).filter((value) => value !== DOMException && value !== staged.Date));
  installWebAssembly();
  for (const [name, value] of Object.entries(staged)) define(g, name, value);
  for (const [name, load] of Object.entries(lazyUrlGlobals)) defineLazy(g, name, load);
}

/** A global whose value is loaded on first access (or replaced by an assignment first). */
function defineLazy(target: Record<string, unknown>, name: string, load: () => unknown): void {
  Object.defineProperty(target, name, {
    get() {
      const value = load();
      markUncloneable([value]);
      define(target, name, value);
      return value;
    },
    set(value: unknown) {
      define(target, name, value);
    },
    configurable: true,
    enumerable: false,
  });
}
