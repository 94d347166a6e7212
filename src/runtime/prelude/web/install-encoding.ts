/**
 * @module Defines TextEncoder and TextDecoder before any other module
 * evaluates: whatwg-url creates its codecs at load time.
 */
import { TextDecoder, TextEncoder } from "./encoding.js";

Object.assign(globalThis, { TextEncoder, TextDecoder });
