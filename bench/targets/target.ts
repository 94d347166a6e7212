/** @module What every target of the bench looks like to the load generator: a loopback URL and a process. */

export type TargetName = "verge" | "workerd" | "node";

/** A running server under test. */
export interface Target {
  name: TargetName;
  /** Base URL on loopback, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The process that serves the requests (its RSS is the target's memory). */
  pid: number;
  close(): Promise<void>;
}
