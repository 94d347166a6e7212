/**
 * @module The shapes the control API answers and accepts (docs/control-api.md),
 * as the client sees them. Records the stores define are theirs.
 */
import type { RequestLog } from "../../pop/server.js";
import type { AutoRollback, Deployment, VersionConfig, VersionMeta } from "../store/index.js";

export type { AutoRollback, Deployment, RequestLog, VersionConfig, VersionMeta };

/** Who a token is: an admin token has no worker. */
export interface Whoami {
  id: string;
  name: string;
  worker: string | null;
}

/** An uploaded version, and whether this upload stored it (false: the same content was there). */
export interface Uploaded {
  version: VersionMeta;
  created: boolean;
}

/** The body of `POST /v1/workers/:worker/deployments`. */
export interface DeployRequest {
  version: string;
  /** 1–100; the API's default is 100. */
  percent?: number;
  /** "ip" or "header:<name>". */
  sticky?: string;
  /** false: never roll a split back by itself; absent: the API's default rule. */
  autoRollback?: AutoRollback | false;
}

/** A secret's name and when it was last set; its value never comes back. */
export interface SecretInfo {
  name: string;
  updatedAt: number;
}

/** The tail's filters, as the query string of `GET …/tail` takes them. */
export interface TailFilters {
  /** `200`, `5xx`, `4xx,5xx`, `error`. */
  status?: string;
  /** `GET,POST`. */
  method?: string;
  /** A path prefix. */
  path?: string;
  /** Text in the path or the console output. */
  search?: string;
  /** The share of matching lines to send, 0–1. */
  sample?: number;
}
