/**
 * @module The prelude: the code that runs first in every isolate. It installs
 * the Web API globals and leaves one entry function for the host to take.
 */
import "./core/bridge.js";
import "./web/install-encoding.js";
import { ENTRY_GLOBAL } from "../bridge/protocol.js";
import { entry } from "./core/entry.js";
import { installGlobals } from "./globals.js";

installGlobals();
Object.defineProperty(globalThis, ENTRY_GLOBAL, { value: entry, configurable: true, writable: true });
