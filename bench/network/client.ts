/**
 * @module The network benchmarks' HTTP client: one keep-alive connection to
 * one PoP, requests in sequence, each timed from sending it to the last byte
 * of the answer. Polling (until a value shows, until every PoP has it) and
 * alternating requests of several kinds are built on it.
 */
import { Agent, request, type IncomingHttpHeaders } from "node:http";
import { sleep } from "../stats.js";

/** One answer, with the client-side time it took. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  ms: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Requests to one base URL over one kept-alive connection. */
export class Client {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(readonly baseUrl: string) {}

  request(path: string, options: RequestOptions = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request(new URL(path, this.baseUrl), { agent: this.#agent, method: options.method ?? "GET", headers: options.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(options.body);
    });
  }

  /** The answer, which must be `status`; anything else fails with what came back. */
  async expect(path: string, status: number, options: RequestOptions = {}): Promise<Answer> {
    const answer = await this.request(path, options);
    if (answer.status !== status) throw new Error(`${options.method ?? "GET"} ${this.baseUrl}${path} answered ${answer.status} ${JSON.stringify(answer.body.slice(0, 200))}, expected ${status}`);
    return answer;
  }

  close(): void {
    this.#agent.destroy();
  }
}

/**
 * Checks `done` every `intervalMs` (0: back to back) until it is true; answers
 * `performance.now()` at the first true check. Fails after `timeoutMs`.
 */
export async function pollUntil(done: () => Promise<boolean> | boolean, what: string, options: { intervalMs?: number; timeoutMs?: number } = {}): Promise<number> {
  const { intervalMs = 1, timeoutMs = 10_000 } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await done()) return performance.now();
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    if (intervalMs > 0) await sleep(intervalMs);
  }
}

/**
 * `warmup + rounds` rounds of one request of each kind, in sequence, the order
 * turned by one each round so that no kind always follows another; answers
 * each kind's client-side ms over the measured rounds. A kind checks its own
 * answer (and throws on a wrong one); anything timed in `ms` will do, a
 * WebSocket round trip too.
 */
export async function alternate<K extends string>(kinds: Record<K, () => Promise<Pick<Answer, "ms">>>, rounds: number, warmup: number): Promise<Record<K, number[]>> {
  const names = Object.keys(kinds) as K[];
  const times = Object.fromEntries(names.map((kind) => [kind, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < warmup + rounds; i++) {
    for (let j = 0; j < names.length; j++) {
      const kind = names[(i + j) % names.length];
      const answer = await kinds[kind]();
      if (i >= warmup) times[kind].push(answer.ms);
    }
  }
  return times;
}
