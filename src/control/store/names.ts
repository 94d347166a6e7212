/**
 * @module Worker names and version ids as the control plane's stores accept
 * them: both become parts of substrate keys.
 */
import { ControlError } from "../errors.js";

const WORKER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const VERSION_ID = /^[0-9a-f]{20}$/;

export function checkWorkerName(name: unknown): string {
  if (typeof name !== "string" || !WORKER_NAME.test(name)) {
    throw new ControlError("invalid_worker_name", `Invalid worker name: received ${JSON.stringify(name)}; expected 1 to 63 characters of a-z A-Z 0-9 - _, starting with a letter or digit`);
  }
  return name;
}

export function checkVersionId(id: unknown): string {
  if (typeof id !== "string" || !VERSION_ID.test(id)) throw new ControlError("invalid_version_id", `Invalid version id: received ${JSON.stringify(id)}; expected 20 lowercase hex digits`);
  return id;
}
