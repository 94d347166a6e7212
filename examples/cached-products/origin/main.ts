/**
 * Runs the product origin for `verge dev examples/cached-products --pops …`:
 *   node --import tsx examples/cached-products/origin/main.ts [port] [purge-url]
 */
import { startProductOrigin } from "./server.js";

const port = Number(process.argv[2] ?? 8790);
const purgeUrl = process.argv[3] ?? "http://127.0.0.1:8787/__verge/purge";
const origin = await startProductOrigin(port, purgeUrl);
console.log(`product origin at ${origin.url}, purging through ${purgeUrl}`);
