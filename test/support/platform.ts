/**
 * @module Test support: the platform in one process, as `verge start` runs
 * it: a control plane and PoPs following it, on one embedded substrate, all
 * on loopback. PoPs run in dev mode, so `x-verge-client-ip` sets the client
 * address a split hashes.
 */
import { randomBytes } from "node:crypto";
import { ControlPlane } from "../../src/control/control-plane.js";
import { followControlPlane, type PopFollower } from "../../src/control/follower/pop-follower.js";
import type { CronRunReport } from "../../src/cron/index.js";
import { Pop, type PopOptions, type RequestLog } from "../../src/pop/server.js";
import { createEmbeddedSubstrate, type EmbeddedSubstrate } from "../../src/substrate/embedded/index.js";
import { fetchWithHost } from "./http.js";
import { bundleTestWorker } from "./pop.js";

export interface Platform {
  api: string;
  adminToken: string;
  pops: Record<string, Pop>;
  control: ControlPlane;
  substrate: EmbeddedSubstrate;
  /** Every request record of every PoP, as the PoPs' listeners get them. */
  logs: RequestLog[];
  cronRuns: CronRunReport[];
  errors: string[];
  /** A control API call; answers the status and the parsed JSON (null for an empty body), which tests read field by field. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; json: any }>;
  /** Bundles `source`, uploads it as a version of `worker`; answers the version id. */
  upload(worker: string, source: string, config?: Partial<UploadConfig>): Promise<string>;
  close(): Promise<void>;
}

export interface UploadConfig {
  vars: Record<string, string>;
  bindings: unknown[];
  routes: string[];
  crons: string[];
  cpuMs?: number;
}

export async function startPlatform(names: string[], options: { latencyScale?: number; pop?: Partial<PopOptions> } = {}): Promise<Platform> {
  const substrate = createEmbeddedSubstrate({ latencyScale: options.latencyScale ?? 0, home: "virginia" });
  const secretsKey = randomBytes(32);
  const pops: Record<string, Pop> = {};
  const followers: PopFollower[] = [];
  const logs: RequestLog[] = [];
  const cronRuns: CronRunReport[] = [];
  const errors: string[] = [];
  const control = await ControlPlane.start({ view: substrate.forPop("control", { region: "virginia" }), port: 0, secretsKey });
  for (const name of names) {
    const pop = await Pop.start({ name, region: name, substrate: substrate.forPop(name, { region: name }), port: 0, dev: true, poolSize: 1, ...options.pop });
    pop.onRequest((log) => logs.push(log));
    pops[name] = pop;
    followers.push(await followControlPlane(pop, { secretsKey, onError: (message) => errors.push(message), onCron: (run) => cronRuns.push(run) }));
  }
  const adminToken = (await control.bootstrapToken())!;
  const call = async (method: string, path: string, body?: unknown, token: string | null = adminToken) => {
    const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
    const res = await fetch(`${control.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text === "" ? null : JSON.parse(text) };
  };
  return {
    api: control.url,
    adminToken,
    pops,
    control,
    substrate,
    logs,
    cronRuns,
    errors,
    call,
    async upload(worker, source, config = {}) {
      const code = await bundleTestWorker({ name: worker, source });
      const { status, json } = await call("POST", `/v1/workers/${worker}/versions`, { code, config: { vars: {}, bindings: [], routes: [], crons: [], ...config } });
      if (status !== 201 && status !== 200) throw new Error(`upload of ${worker}: ${status} ${JSON.stringify(json)}`);
      return json.version.id as string;
    },
    async close() {
      await Promise.all(followers.map((follower) => follower.close()));
      await control.close();
      await Promise.all(Object.values(pops).map((pop) => pop.close(1000)));
      await substrate.close();
    },
  };
}

/** What a PoP answers for `path`; a `host` header is sent as given (fetch would replace it). */
export async function fetchFrom(pop: Pop, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const { host, ...rest } = headers;
  const res = host ? await fetchWithHost(`${pop.url}${path}`, host, { headers: rest }) : await fetch(`${pop.url}${path}`, { headers: rest });
  return { status: res.status, text: await res.text() };
}
