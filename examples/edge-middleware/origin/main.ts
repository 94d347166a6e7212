/** @module Runs the demo origin standalone: `node --import tsx origin/main.ts` (PORT, default 8780). */
import { DEFAULT_ORIGIN_PORT, startOrigin } from "./server.js";

const port = process.env.PORT === undefined ? DEFAULT_ORIGIN_PORT : Number(process.env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number: received ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}
const origin = await startOrigin({ port });
console.log(`edge-middleware origin listening on ${origin.url} (try ${origin.url}/token?sub=alice)`);

function shutdown(): void {
  origin.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error("origin: close failed:", error);
      process.exit(1);
    },
  );
}
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
