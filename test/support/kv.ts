/**
 * @module Test support for the KV binding: real PoPs over HTTP sharing one
 * embedded substrate, each hosting a worker that exposes KV calls as routes.
 */
import { startTestPop, type TestPop } from "./pop.js";
import { createEmbeddedSubstrate, type EmbeddedSubstrate } from "../../src/substrate/embedded/index.js";

/** The worker: `/<op>?ns=…&args=<JSON array>` calls `env.<ns>.<op>(...args)` and answers its result as JSON. */
export const KV_WORKER = `
async function body(value) {
  if (value instanceof Map) return { map: Object.fromEntries(value) };
  if (value instanceof ArrayBuffer) return { bytes: [...new Uint8Array(value)] };
  if (value instanceof ReadableStream) return { text: await new Response(value).text() };
  if (value && typeof value === "object" && "value" in value && value.value instanceof ArrayBuffer) return { ...value, value: [...new Uint8Array(value.value)] };
  return value === undefined ? null : value;
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const op = url.pathname.slice(1);
    const args = JSON.parse(url.searchParams.get("args") ?? "[]");
    if (url.searchParams.get("stream") === "1") args[1] = new Blob([args[1]]).stream();
    if (url.searchParams.get("bytes") === "1") args[1] = new Uint8Array(args[1]);
    if (url.searchParams.get("huge") === "1") args[1] = new Uint8Array(25 * 1024 * 1024 + 1);
    try {
      const result = await env.KV[op](...args);
      return Response.json({ ok: true, result: await body(result) });
    } catch (error) {
      return Response.json({ ok: false, name: error.constructor.name, message: error.message }, { status: 400 });
    }
  },
};`;

export interface KvNetwork {
  substrate: EmbeddedSubstrate;
  pops: Record<string, TestPop>;
  /** Calls `env.KV[op](...args)` at `pop`. */
  call(pop: string, op: string, args: unknown[], query?: string): Promise<{ ok: boolean; result?: unknown; name?: string; message?: string }>;
  close(): Promise<void>;
}

export async function startKvNetwork(names: string[], latencyScale: number): Promise<KvNetwork> {
  const substrate = createEmbeddedSubstrate({ latencyScale, home: "virginia" });
  const pops: Record<string, TestPop> = {};
  for (const name of names) {
    const worker = { name: "kv", source: KV_WORKER, bindings: [{ name: "KV", kind: "kv", config: { id: "flags" } }] };
    pops[name] = await startTestPop([worker], { name, region: name, substrate: substrate.forPop(name, { region: name }) });
  }
  return {
    substrate,
    pops,
    async call(pop, op, args, query = "") {
      const response = await pops[pop].fetch(`/${op}?args=${encodeURIComponent(JSON.stringify(args))}${query}`);
      return (await response.json()) as { ok: boolean; result?: unknown };
    },
    async close() {
      await Promise.all(Object.values(pops).map((pop) => pop.close()));
      await substrate.close();
    },
  };
}
