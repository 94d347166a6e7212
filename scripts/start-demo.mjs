// `npm start`: the platform with the edge-middleware demo on it. Starts the
// demo's origin (8780) and `verge start` (control plane and dashboard on 8786,
// PoPs tokyo 8787, frankfurt 8788, virginia 8789, data in .verge); on the
// first start of the data directory, deploys examples/edge-middleware with the
// admin token it printed. Ctrl-C stops both.
import { spawn, spawnSync } from "node:child_process";

const verge = ["bin/verge.js", "start", "--allow-local-fetch", ...process.argv.slice(2)];
const children = [
  spawn(process.execPath, ["--import", "tsx", "examples/edge-middleware/origin/main.ts"], { stdio: "inherit" }),
  spawn(process.execPath, verge, { stdio: ["ignore", "pipe", "inherit"] }),
];
const platform = children[1];
let output = "";
let deployed = false;
platform.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  output += chunk;
  if (deployed || !output.includes("verge start: ready")) return;
  deployed = true;
  const url = /export VERGE_API_URL=(\S+)/.exec(output)?.[1];
  const token = /export VERGE_API_TOKEN=(\S+)/.exec(output)?.[1];
  if (!url || !token) {
    console.log("npm start: not the first start of .verge: what was deployed before serves again");
    return;
  }
  const deploy = spawnSync(process.execPath, ["bin/verge.js", "deploy", "examples/edge-middleware", "--api", url, "--token", token], { stdio: "inherit" });
  if (deploy.status === 0) console.log("npm start: edge-middleware deployed; try: curl -i http://127.0.0.1:8787/");
});

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
