/**
 * @module The control API's routes (docs/control-api.md): each names its
 * method, path, whether it acts on a worker (checked against the token's
 * scope) or needs an admin, and its handler.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TokenRecord } from "../auth/token-store.js";
import { ControlError } from "../errors.js";
import { checkVersionId, checkWorkerName } from "../store/names.js";
import { versionIdOf } from "../store/version-store.js";
import { parseUpload } from "../versions/check-upload.js";
import { readJson } from "./http-json.js";
import type { ControlServices } from "./services.js";
import { streamTail } from "./tail-stream.js";

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  token: TokenRecord;
  services: ControlServices;
}

/** What a handler answers: a status and a JSON body, or nothing when it wrote the response itself (the tail). */
export type RouteResult = { status: number; body?: unknown } | void;

export interface Route {
  method: string;
  path: RegExp;
  /** "worker": the `:worker` param must be in the token's scope; "admin": admin tokens only; "any": every valid token. */
  scope: "worker" | "admin" | "any";
  handle(context: RouteContext): Promise<RouteResult>;
}

const WORKER = "(?<worker>[^/]+)";
const path = (pattern: string) => new RegExp(`^/v1${pattern}$`);
const ok = (body: unknown, status = 200) => ({ status, body });

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ControlError("bad_request", `${what} is a JSON object: received ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

export const routes: Route[] = [
  { method: "GET", path: path("/whoami"), scope: "any", handle: async ({ token }) => ok(token) },
  {
    method: "POST",
    path: path("/tokens"),
    scope: "admin",
    async handle({ req, services }) {
      const body = record(await readJson(req), "The body");
      const worker = body.worker === undefined || body.worker === null ? null : checkWorkerName(body.worker);
      const { record: created, token } = await services.tokens.create(body.name as string, worker);
      return ok({ ...created, token }, 201);
    },
  },
  { method: "GET", path: path("/tokens"), scope: "admin", handle: async ({ services }) => ok({ tokens: await services.tokens.list() }) },
  {
    method: "DELETE",
    path: path("/tokens/(?<id>[^/]+)"),
    scope: "admin",
    async handle({ params, services }) {
      if (!(await services.tokens.delete(params.id))) throw new ControlError("not_found", `No token with id ${JSON.stringify(params.id)}`);
      return { status: 204 };
    },
  },
  {
    method: "GET",
    path: path("/workers"),
    scope: "any",
    async handle({ token, services }) {
      const names = token.worker === null ? await services.versions.workers() : [token.worker];
      const workers = await Promise.all(names.map(async (name) => ({ name, deployment: (await services.deployments.get(name))?.deployment ?? null })));
      return ok({ workers });
    },
  },
  {
    method: "POST",
    path: path(`/workers/${WORKER}/versions`),
    scope: "worker",
    async handle({ req, params, services }) {
      const { code, config } = parseUpload(await readJson(req));
      await services.uploads.check(params.worker, code, config);
      const existed = await services.versions.meta(params.worker, versionIdOf(code, config)).then(() => true, () => false);
      const meta = await services.versions.upload(params.worker, code, config);
      await services.rollouts.prune(params.worker);
      return ok({ version: meta }, existed ? 200 : 201);
    },
  },
  { method: "GET", path: path(`/workers/${WORKER}/versions`), scope: "worker", handle: async ({ params, services }) => ok({ versions: await services.versions.list(params.worker) }) },
  {
    method: "GET",
    path: path(`/workers/${WORKER}/versions/(?<id>[^/]+)`),
    scope: "worker",
    handle: async ({ params, services }) => ok({ version: await services.versions.meta(params.worker, checkVersionId(params.id)) }),
  },
  { method: "GET", path: path(`/workers/${WORKER}/deployment`), scope: "worker", handle: async ({ params, services }) => ok({ deployment: (await services.deployments.get(params.worker))?.deployment ?? null }) },
  {
    method: "POST",
    path: path(`/workers/${WORKER}/deployments`),
    scope: "worker",
    async handle({ req, params, services }) {
      const body = record(await readJson(req), "The body");
      const version = checkVersionId(body.version);
      if (body.sticky !== undefined && typeof body.sticky !== "string") throw new ControlError("invalid_split", `sticky is "ip" or "header:<name>": received ${JSON.stringify(body.sticky)}`);
      const deployment = await services.rollouts.deploy(params.worker, { version, percent: body.percent as number | undefined, sticky: body.sticky, autoRollback: body.autoRollback as never });
      await services.rollouts.prune(params.worker);
      return ok({ deployment }, 201);
    },
  },
  { method: "POST", path: path(`/workers/${WORKER}/promote`), scope: "worker", handle: async ({ params, services }) => ok({ deployment: await services.rollouts.promote(params.worker) }) },
  {
    method: "POST",
    path: path(`/workers/${WORKER}/rollback`),
    scope: "worker",
    async handle({ req, params, services }) {
      const body = record(await readJson(req), "The body");
      const version = body.version === undefined ? undefined : checkVersionId(body.version);
      return ok({ deployment: await services.rollouts.rollback(params.worker, version) });
    },
  },
  {
    method: "PUT",
    path: path(`/workers/${WORKER}/routes`),
    scope: "worker",
    handle: async ({ req, params, services }) => ok({ deployment: await services.rollouts.setRoutes(params.worker, record(await readJson(req), "The body").routes) }),
  },
  {
    method: "PUT",
    path: path(`/workers/${WORKER}/secrets/(?<name>[^/]+)`),
    scope: "worker",
    async handle({ req, params, services }) {
      const body = record(await readJson(req), "The body");
      if (typeof body.value !== "string") throw new ControlError("invalid_secret", `The body is {"value": "<text>"}: value is ${body.value === undefined ? "missing" : typeof body.value}`);
      await services.secrets.put(params.worker, params.name, body.value);
      return { status: 204 };
    },
  },
  { method: "GET", path: path(`/workers/${WORKER}/secrets`), scope: "worker", handle: async ({ params, services }) => ok({ secrets: await services.secrets.list(params.worker) }) },
  {
    method: "DELETE",
    path: path(`/workers/${WORKER}/secrets/(?<name>[^/]+)`),
    scope: "worker",
    async handle({ params, services }) {
      if (!(await services.secrets.delete(params.worker, params.name))) throw new ControlError("not_found", `Worker "${params.worker}" has no secret ${params.name}`);
      return { status: 204 };
    },
  },
  {
    method: "GET",
    path: path("/pops"),
    scope: "any",
    async handle({ token, services }) {
      const pops = services.traffic.pops();
      // A worker-scoped token sees the network, and only its own worker's traffic.
      return ok({ pops: token.worker === null ? pops : pops.map((pop) => ({ ...pop, workers: pop.workers.filter((w) => w.worker === token.worker) })) });
    },
  },
  { method: "GET", path: path(`/workers/${WORKER}/traffic`), scope: "worker", handle: async ({ params, services }) => ok({ pops: services.traffic.worker(params.worker) }) },
  { method: "GET", path: path(`/workers/${WORKER}/tail`), scope: "worker", handle: async (context) => streamTail(context) },
];
