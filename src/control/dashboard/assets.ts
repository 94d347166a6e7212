/** @module The dashboard's assets by name: the page, its style and its script modules, as bytes with their content type. */
import { PAGE_HTML } from "./page.js";
import { STYLE_CSS } from "./style.js";
import { API_JS } from "./client/api.js";
import { APP_JS } from "./client/app.js";
import { DOM_JS } from "./client/dom.js";
import { FORMAT_JS } from "./client/format.js";
import { POPS_JS } from "./client/pops.js";
import { TAIL_JS } from "./client/tail.js";
import { WORKERS_JS } from "./client/workers.js";

/** One asset: its content type and its bytes. */
export interface Asset {
  type: string;
  body: Buffer;
}

const JS = "text/javascript; charset=utf-8";
/** A dot on a globe's grid, so the browser does not ask the API for /favicon.ico. */
const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="none" stroke="#2858c7" stroke-width="1.5"/><path d="M1 8h14M8 1v14" stroke="#2858c7"/><circle cx="11" cy="5" r="2" fill="#2858c7"/></svg>`;

/** Every asset, by its name under `/dashboard/` (`index.html` is served at `/`). */
export const DASHBOARD_ASSETS: ReadonlyMap<string, Asset> = new Map(
  Object.entries({
    "index.html": ["text/html; charset=utf-8", PAGE_HTML],
    "style.css": ["text/css; charset=utf-8", STYLE_CSS],
    "favicon.svg": ["image/svg+xml", FAVICON],
    "api.js": [JS, API_JS],
    "app.js": [JS, APP_JS],
    "dom.js": [JS, DOM_JS],
    "format.js": [JS, FORMAT_JS],
    "pops.js": [JS, POPS_JS],
    "tail.js": [JS, TAIL_JS],
    "workers.js": [JS, WORKERS_JS],
  }).map(([name, [type, text]]) => [name, { type, body: Buffer.from(text) }]),
);
