// `npm start`: the edge-middleware demo. Starts its origin (8780) and
// `verge dev` with three PoPs serving the example on consecutive ports from
// 8787 (tokyo 8787, frankfurt 8788, virginia 8789), prints their URLs, and
// stops both on Ctrl-C.
import { spawn } from "node:child_process";

const children = [
  spawn(process.execPath, ["--import", "tsx", "examples/edge-middleware/origin/main.ts"], { stdio: "inherit" }),
  spawn(process.execPath, ["bin/verge.js", "dev", "examples/edge-middleware", "--pops", "tokyo,frankfurt,virginia", "--allow-local-fetch", ...process.argv.slice(2)], { stdio: "inherit" }),
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
