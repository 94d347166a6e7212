import { test } from "node:test";
import { startTestPop } from "../support/pop.js";
const wasm = new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,2,127,127,1,127,3,2,1,0,7,7,1,3,97,100,100,0,0,10,9,1,7,0,32,0,32,1,106,11]);
test("probe", async () => {
  const pop = await startTestPop([{ name: "p", files: { "index.js": `
import m from "./add.wasm";
export default { async fetch() {
  const out = {};
  out.types = [typeof process, typeof require, typeof Buffer, typeof module, typeof global, typeof setImmediate, typeof __dirname, typeof exports];
  out.sync = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify([...wasm])}))).exports.add(2,3);
  out.imp = new WebAssembly.Instance(m).exports.add(4,5);
  const t0 = Date.now();
  const r = await WebAssembly.instantiate(new Uint8Array(${JSON.stringify([...wasm])}));
  out.async = r.instance.exports.add(1,1);
  out.t = Date.now() - t0;
  out.stack = new DOMException("x","AbortError").stack.split("\\n")[0];
  out.ts = [typeof Error.captureStackTrace, typeof ArrayBuffer.prototype.resize, typeof structuredClone];
  return Response.json(out);
} }`, "add.wasm": wasm } }]);
  const res = await pop.fetch("/");
  console.log(res.status, await res.text(), JSON.stringify(pop.logs));
  await pop.close();
});
