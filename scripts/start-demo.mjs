// `npm start`: the edge-middleware demo. Starts its origin and a `verge dev`
// PoP serving the example, prints their URLs, and stops both on Ctrl-C.
import { spawn } from "node:child_process";

const children = [
  spawn(process.execPath, ["--import", "tsx", "examples/edge-middleware/origin/main.ts"], { stdio: "inherit" }),
  spawn(process.execPath, ["bin/verge.js", "dev", "examples/edge-middleware", "--allow-local-fetch", ...process.argv.slice(2)], { stdio: "inherit" }),
];
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stop(signal));
for (const child of children) child.on("exit", (code) => {
  stop("SIGTERM");
  if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code ?? 0);
});
