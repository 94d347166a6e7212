/**
 * @module `verge pop`'s lines about its NATS connection: waiting for it at
 * start (the connection is retried forever), lost, and back.
 */
import type { NatsView } from "../substrate/nats/index.js";

/** How long a PoP waits for its first connection before saying so, and how often it says so again. */
export const NATS_WAIT_NOTICE_MS = 1000;
const NATS_WAIT_REPEAT_MS = 30_000;

/**
 * Prints a line when the first connection is late (and every 30 s while it
 * is), when it comes, when it is lost and when it is back. Answers a
 * function that stops the reporting.
 *
 * @example const stop = reportNatsStatus(view, ["nats://127.0.0.1:4222"]);
 */
export function reportNatsStatus(view: NatsView, servers: string[], print: (line: string) => void = console.log): () => void {
  const where = servers.join(",");
  const started = Date.now();
  let waited = false;
  const notice = (): void => {
    waited = true;
    const seconds = Math.round((Date.now() - started) / 1000);
    print(`verge pop: waiting for NATS at ${where} (not reachable for ${seconds} s, retrying); reads are served from the local replicas, writes wait`);
    timer = setTimeout(notice, NATS_WAIT_REPEAT_MS);
  };
  let timer: NodeJS.Timeout | undefined = setTimeout(notice, NATS_WAIT_NOTICE_MS);
  view.connected().then(
    () => {
      clearTimeout(timer);
      timer = undefined;
      if (waited) print(`verge pop: connected to NATS at ${where}`);
    },
    () => clearTimeout(timer), // Closed before it connected: nothing to report.
  );
  const stop = view.onConnectionChange((status) =>
    print(
      status === "disconnected"
        ? `verge pop: lost NATS at ${where}, reconnecting; reads are served from the local replicas, writes wait`
        : `verge pop: reconnected to NATS at ${where}; replication resumes where it stopped`,
    ),
  );
  return () => {
    clearTimeout(timer);
    stop();
  };
}
