/**
 * @module Worker names and version ids as the control plane's stores accept
 * them: both become parts of substrate keys. A worker name follows the
 * wrangler config's rule (a DNS label: it is also the host `<name>.localhost`).
 */
import { WORKER_NAME_PATTERN, WORKER_NAME_RULE } from "../../config/names.js";
import { ControlError } from "../errors.js";

const VERSION_ID = /^[0-9a-f]{20}$/;

export function checkWorkerName(name: unknown): string {
  if (typeof name !== "string" || !WORKER_NAME_PATTERN.test(name)) {
    throw new ControlError("invalid_worker_name", `Invalid worker name: received ${JSON.stringify(name)}; a worker name ${WORKER_NAME_RULE}`);
  }
  return name;
}

export function checkVersionId(id: unknown): string {
  if (typeof id !== "string" || !VERSION_ID.test(id)) throw new ControlError("invalid_version_id", `Invalid version id: received ${JSON.stringify(id)}; expected 20 lowercase hex digits`);
  return id;
}
