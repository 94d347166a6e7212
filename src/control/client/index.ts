/**
 * @module Public surface of src/control/client: the control API's calls as a
 * typed client (`fetch`), its errors, and deployments in words.
 */
export { ControlClient } from "./client.js";
export { describeAutoRollback, describeRoutes, describeShares, percentByVersion } from "./describe.js";
export { ControlApiError } from "./errors.js";
export type { Connection } from "./http.js";
export type { AutoRollback, Deployment, DeployRequest, RequestLog, SecretInfo, TailFilters, Uploaded, VersionConfig, VersionMeta, Whoami } from "./types.js";
