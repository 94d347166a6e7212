/** @module The throughput workloads: which worker module, which request, and what a correct answer looks like. */
import { fileURLToPath } from "node:url";

/** One request shape, served by the same worker module on every target. */
export interface Workload {
  name: "hello" | "echo";
  /** Absolute path of the worker module (bundled for Verge, embedded for workerd). */
  entry: string;
  /** Host header of every request; Verge routes `<host>/*` to the worker. */
  host: string;
  method: "GET" | "POST";
  body?: string;
  /** The body every target must answer with. */
  expected: string;
}

const workerPath = (file: string) => fileURLToPath(new URL(`./workers/${file}`, import.meta.url));

/** A deterministic JSON document of about `bytes` bytes: nested objects, arrays, numbers, strings. */
export function echoDocument(bytes = 1024): string {
  const items: unknown[] = [];
  const doc = { id: "bench-0001", kind: "order", createdAt: "2026-01-01T00:00:00.000Z", tags: ["edge", "bench", "json"], items };
  for (let i = 0; JSON.stringify(doc).length < bytes - 80; i++) {
    items.push({ sku: `SKU-${1000 + i}`, name: `Item number ${i}`, qty: (i % 5) + 1, price: 9.99 + i, ok: i % 2 === 0 });
  }
  return JSON.stringify(doc);
}

const ECHO_BODY = echoDocument();

export const WORKLOADS: readonly Workload[] = [
  { name: "hello", entry: workerPath("hello.js"), host: "hello.bench", method: "GET", expected: "Hello World!" },
  { name: "echo", entry: workerPath("echo.js"), host: "echo.bench", method: "POST", body: ECHO_BODY, expected: ECHO_BODY },
];

export const DISPATCH_WORKER = workerPath("dispatch.js");

/** Source of the N-th cold-start worker: hello world with its own constant, so every bundle differs. */
export function coldWorkerSource(n: number): string {
  return `const ID = "w${n}";\nexport default {\n  fetch() {\n    return new Response("Hello from " + ID);\n  },\n};\n`;
}

export const coldWorkerBody = (n: number) => `Hello from w${n}`;
export const coldWorkerHost = (n: number) => `w${n}.bench`;
