/**
 * @module The global scope tenant code sees: the WinterTC minimum common API.
 * Node globals (process, require, Buffer, module) are never defined.
 */
import { installClock } from "./core/clock.js";
import { installConsole } from "./core/console.js";
import { installTimers } from "./core/timers.js";
import { addEventListener } from "./core/worker.js";
import { Crypto } from "./crypto/index.js";
import { fetch } from "./fetch/fetch.js";
import { Headers } from "./fetch/headers.js";
import { Request } from "./fetch/request.js";
import { Response } from "./fetch/response.js";
import { AbortController, AbortSignal } from "./web/abort.js";
import { Blob, File } from "./web/blob.js";
import { DOMException } from "./web/dom-exception.js";
import { TextDecoder, TextEncoder } from "./web/encoding.js";
import { Event, EventTarget } from "./web/events.js";
import { FormData } from "./web/form-data.js";
import * as streams from "./web/streams.js";
import { URL, URLPattern, URLSearchParams } from "./web/url.js";

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
    DOMException, Event, EventTarget, AbortController, AbortSignal,
    TextEncoder, TextDecoder, URL, URLSearchParams, URLPattern,
    Blob, File, FormData, Headers, Request, Response, fetch,
    Crypto, crypto: new Crypto(), addEventListener,
    navigator: Object.freeze({ userAgent: "Verge/0.1", hardwareConcurrency: 1, language: "en" }),
    self: globalThis,
  });
  for (const [name, value] of Object.entries(staged)) define(g, name, value);
}
