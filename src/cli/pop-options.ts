/**
 * @module Parsing `verge pop`'s values: the PoP's name and region, the NATS
 * server URLs, the data directory and the origin. Every error names the flag
 * and the value.
 */
import { resolve } from "node:path";
import { VergeError } from "../errors.js";
import { isRegionName, region, REGION_NAMES } from "../regions/index.js";
import { checkName } from "../substrate/names.js";
import { tracingConfig, type TracingOptions } from "../observe/tracing/index.js";

/** A PoP's name and the region it stands in. */
export interface PopIdentity {
  name: string;
  region: string;
}

/**
 * `--name` (required) and `--region` (default: the name, which must then be a region).
 *
 * @throws VergeError `usage` naming the flag and the value.
 * @example popIdentity("edge-1", "tokyo") // { name: "edge-1", region: "tokyo" }
 */
export function popIdentity(name: unknown, regionValue: unknown): PopIdentity {
  if (name === undefined || name === "") throw new VergeError("usage", "--name is required: the PoP's name, e.g. --name tokyo");
  const text = String(name);
  try {
    checkName("PoP", text);
  } catch (error) {
    throw new VergeError("usage", `--name: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (regionValue !== undefined) {
    const given = String(regionValue);
    if (!isRegionName(given)) throw new VergeError("usage", `--region must be a region: received "${given}"; expected one of ${REGION_NAMES.join(", ")}`);
    return { name: text, region: region(given).name };
  }
  if (!isRegionName(text)) {
    throw new VergeError("usage", `--name "${text}" is not a region, so --region must say where the PoP stands; regions: ${REGION_NAMES.join(", ")}`);
  }
  return { name: text, region: text };
}

/**
 * `--nats nats://host:port[,nats://host:port…]`: the servers of the cluster (required).
 *
 * @throws VergeError `usage` naming the value.
 * @example natsServers("nats://127.0.0.1:4222") // ["nats://127.0.0.1:4222"]
 */
export function natsServers(value: unknown): string[] {
  if (value === undefined || value === "") throw new VergeError("usage", "--nats is required: the NATS server URL, e.g. --nats nats://127.0.0.1:4222");
  const text = String(value);
  return text.split(",").map((item) => {
    const trimmed = item.trim();
    let url: URL | undefined;
    try {
      url = new URL(trimmed);
    } catch {
      // Reported below.
    }
    if (!url || !["nats:", "tls:"].includes(url.protocol) || url.hostname === "" || url.pathname.replace(/^\/$/, "") !== "") {
      throw new VergeError("usage", `--nats must be nats://host:port (or tls://…), comma-separated for several: received "${trimmed}"`);
    }
    return trimmed;
  });
}

/** `--data-dir`, absolute; default `.verge/pop-<name>` under `cwd`. */
export function dataDirOption(value: unknown, name: string, cwd = process.cwd()): string {
  if (value === "") throw new VergeError("usage", `--data-dir must name a directory: received ""`);
  return resolve(cwd, value === undefined ? `.verge/pop-${name}` : String(value));
}

/**
 * `--origin <url>`: the origin behind the PoP. A region (a simulated origin) is a `verge dev` feature.
 *
 * @throws VergeError `usage` naming the value.
 * @example popOriginOption("https://origin.example.com/x") // "https://origin.example.com"
 */
export function popOriginOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // Reported below.
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) throw new VergeError("usage", `--origin must be an http(s) URL: received "${text}"`);
  return url.origin;
}

/** Bounds of `--object-lease`: shorter renews too often, longer keeps a dead PoP's objects unavailable for long. */
export const OBJECT_LEASE_MS = { MIN: 1000, MAX: 600_000 } as const;

/**
 * `--object-lease <ms>`: how long a PoP's hold on a Durable Object lasts
 * without renewal, which is how long its objects stay unavailable if it dies.
 *
 * @throws VergeError `usage` naming the value.
 */
export function objectLeaseOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const ms = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(ms >= OBJECT_LEASE_MS.MIN && ms <= OBJECT_LEASE_MS.MAX)) {
    throw new VergeError("usage", `--object-lease must be a whole number of milliseconds from ${OBJECT_LEASE_MS.MIN} to ${OBJECT_LEASE_MS.MAX}: received "${text}"`);
  }
  return ms;
}

/**
 * `--otlp-endpoint <url>` (default OTEL_EXPORTER_OTLP_ENDPOINT) and
 * `--trace-sample <ratio>`: tracing of a PoP's requests; off without an endpoint.
 *
 * @throws VergeError `usage` naming the flag and the value.
 */
export function tracingOption(endpoint: unknown, sample: unknown, env: NodeJS.ProcessEnv = process.env): TracingOptions | undefined {
  const url = (endpoint as string | undefined) ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (sample !== undefined && url === undefined) throw new VergeError("usage", "--trace-sample needs --otlp-endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT): where the spans go");
  if (url === undefined) return undefined;
  const options: TracingOptions = { endpoint: url, sampleRatio: sample === undefined ? undefined : Number(sample) };
  try {
    tracingConfig(options);
  } catch (error) {
    const flag = error instanceof Error && /ratio/i.test(error.message) ? `--trace-sample "${String(sample)}"` : `--otlp-endpoint "${url}"`;
    throw new VergeError("usage", `${flag}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return options;
}
