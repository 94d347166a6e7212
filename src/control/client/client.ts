/**
 * @module `ControlClient`: the control API's calls (docs/control-api.md) as
 * typed methods, for the `verge` commands that change what runs.
 */
import { VergeError } from "../../errors.js";
import { notAnApi, unreachable } from "./errors.js";
import { call, open, type Connection } from "./http.js";
import { eventData } from "./events.js";
import type { Deployment, DeployRequest, RequestLog, SecretInfo, TailFilters, Uploaded, VersionConfig, VersionMeta, Whoami } from "./types.js";

const segment = encodeURIComponent;

/**
 * One API endpoint and token. Every method throws a VergeError: a
 * `ControlApiError` carrying the API's code when the API refused, `unreachable`
 * when it did not answer.
 *
 * @example
 * const client = new ControlClient({ base: "http://127.0.0.1:8786", token });
 * const { version } = await client.upload("hello", code, config);
 * await client.deploy("hello", { version: version.id, percent: 10 });
 */
export class ControlClient {
  constructor(readonly connection: Connection) {}

  async whoami(): Promise<Whoami> {
    return (await call<Whoami>(this.connection, "GET", "whoami")).body;
  }

  /** Stores a version; `created` is false when the same bundle and config were uploaded before. */
  async upload(worker: string, code: string, config: VersionConfig): Promise<Uploaded> {
    const { status, body } = await call<{ version: VersionMeta }>(this.connection, "POST", `workers/${segment(worker)}/versions`, { code, config });
    return { version: body.version, created: status === 201 };
  }

  /** The worker's versions, newest first (at most 100). */
  async versions(worker: string): Promise<VersionMeta[]> {
    return (await call<{ versions: VersionMeta[] }>(this.connection, "GET", `workers/${segment(worker)}/versions`)).body.versions;
  }

  /** What serves the worker now; null before its first deploy. */
  async deployment(worker: string): Promise<Deployment | null> {
    return (await call<{ deployment: Deployment | null }>(this.connection, "GET", `workers/${segment(worker)}/deployment`)).body.deployment;
  }

  async deploy(worker: string, request: DeployRequest): Promise<Deployment> {
    return this.#change(worker, "deployments", request);
  }

  /** The new version of a split, at 100%. */
  async promote(worker: string): Promise<Deployment> {
    return this.#change(worker, "promote", {});
  }

  /** `version` (default: the one before) at 100%, at once. */
  async rollback(worker: string, version?: string): Promise<Deployment> {
    return this.#change(worker, "rollback", version === undefined ? {} : { version });
  }

  async putSecret(worker: string, name: string, value: string): Promise<void> {
    await call(this.connection, "PUT", `workers/${segment(worker)}/secrets/${segment(name)}`, { value });
  }

  async secrets(worker: string): Promise<SecretInfo[]> {
    return (await call<{ secrets: SecretInfo[] }>(this.connection, "GET", `workers/${segment(worker)}/secrets`)).body.secrets;
  }

  async deleteSecret(worker: string, name: string): Promise<void> {
    await call(this.connection, "DELETE", `workers/${segment(worker)}/secrets/${segment(name)}`);
  }

  /**
   * The worker's requests at every PoP from now on, until `signal` aborts (the iteration
   * then ends quietly) or the API ends the stream. `onOpen` is called once
   * the API has accepted the tail.
   */
  async *tail(worker: string, options: { filters?: TailFilters; signal: AbortSignal; onOpen?: () => void }): AsyncGenerator<RequestLog> {
    const { signal } = options;
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(options.filters ?? {})) if (value !== undefined) query.set(key, String(value));
    const path = `workers/${segment(worker)}/tail${query.size > 0 ? `?${query}` : ""}`;
    try {
      const response = await open(this.connection, path, signal);
      options.onOpen?.();
      for await (const raw of eventData(response.body ?? new ReadableStream())) yield parseLog(this.connection.base, raw);
    } catch (error) {
      if (signal.aborted) return;
      // The stream broke off (the control plane stopped): said as for any call that got no answer.
      throw error instanceof VergeError ? error : unreachable(this.connection.base, `the tail of ${worker}`, error);
    }
  }

  async #change(worker: string, action: string, body: unknown): Promise<Deployment> {
    return (await call<{ deployment: Deployment }>(this.connection, "POST", `workers/${segment(worker)}/${action}`, body)).body.deployment;
  }
}

function parseLog(base: string, raw: string): RequestLog {
  try {
    return JSON.parse(raw) as RequestLog;
  } catch {
    throw notAnApi(base, "an event of the tail", 200, raw);
  }
}
