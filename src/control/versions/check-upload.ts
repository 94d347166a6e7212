/**
 * @module What an upload must be before it becomes a version: a config of
 * the right shape (known binding kinds, valid routes and crons), and a bundle
 * that starts in a real isolate and exports a handler. A refused upload
 * changes nothing: the running version keeps serving.
 */
import { z } from "zod";
import { bindingPlugins } from "../../bindings/registry.js";
import { checkCrons } from "../../cron/schedule.js";
import { defaultLimits } from "../../limits.js";
import { createEgress } from "../../pop/egress/index.js";
import { Router } from "../../pop/router.js";
import { createRuntimeHost, WorkerRuntime, type RuntimeHost } from "../../runtime/index.js";
import { ControlError } from "../errors.js";
import { MAX_BUNDLE_BYTES, type VersionConfig } from "../store/version-store.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const KINDS = bindingPlugins.map((plugin) => plugin.kind);

const configSchema = z.strictObject({
  vars: z.record(z.string(), z.string()).default({}),
  cpuMs: z.number().int().min(1).max(300_000).optional(),
  bindings: z.array(z.strictObject({ name: z.string(), kind: z.string(), config: z.unknown() })).default([]),
  routes: z.array(z.string()).default([]),
  crons: z.array(z.string()).default([]),
  compatibilityDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD").optional(),
});

const uploadSchema = z.strictObject({ code: z.string().min(1, "the bundle is empty"), config: configSchema });

/** Parses and checks an upload's JSON body; answers the code and config to store. */
export function parseUpload(body: unknown): { code: string; config: VersionConfig } {
  const parsed = uploadSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ControlError("invalid_upload", `The upload's ${issue.path.join(".") || "body"} is invalid: ${issue.message}`);
  }
  const { code, config } = parsed.data;
  const bytes = Buffer.byteLength(code);
  if (bytes > MAX_BUNDLE_BYTES) throw new ControlError("bundle_too_large", `The bundle is ${bytes} bytes: over the ${MAX_BUNDLE_BYTES} byte limit`);
  const names = new Set<string>(Object.keys(config.vars));
  for (const binding of config.bindings) {
    if (!KINDS.includes(binding.kind)) throw new ControlError("invalid_upload", `Binding "${binding.name}" has an unknown kind "${binding.kind}": known kinds are ${KINDS.join(", ")}`);
    if (!IDENTIFIER.test(binding.name)) throw new ControlError("invalid_upload", `A binding name is a JavaScript identifier: received ${JSON.stringify(binding.name)}`);
    if (names.has(binding.name)) throw new ControlError("invalid_upload", `The name "${binding.name}" is bound twice (bindings and vars share env)`);
    names.add(binding.name);
  }
  for (const pattern of config.routes) {
    try {
      new Router([{ pattern, target: null }]);
    } catch (error) {
      throw new ControlError("invalid_upload", (error as Error).message);
    }
  }
  try {
    checkCrons(config.crons);
  } catch (error) {
    throw new ControlError("invalid_upload", (error as Error).message);
  }
  return { code, config };
}

/** Starts bundles in isolates of their own, to refuse those that cannot start before they are stored. */
export class UploadChecker {
  #host: RuntimeHost | null = null;

  /** Resolves when `code` starts and exports a handler; rejects with `invalid_upload` and the reason. */
  async check(worker: string, code: string, config: VersionConfig): Promise<void> {
    // Bindings are left out: the check runs the module's top level, not its handlers.
    this.#host ??= createRuntimeHost({ pop: "control", egress: createEgress({}), poolSize: 1 });
    const runtime = new WorkerRuntime({ name: worker, version: "upload-check", code, limits: defaultLimits({ cpuMs: config.cpuMs }), env: { ...config.vars } }, this.#host);
    try {
      await runtime.load();
    } catch (error) {
      throw new ControlError("invalid_upload", `The bundle of "${worker}" cannot start: ${(error as Error).message}`, { cause: error });
    } finally {
      runtime.dispose();
    }
  }

  close(): void {
    this.#host?.pool.close();
    this.#host = null;
  }
}
