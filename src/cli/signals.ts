/** @module Waiting for SIGINT or SIGTERM, then draining: how a serving command ends. */

/**
 * Resolves once SIGINT or SIGTERM has arrived and `drain` has finished (or failed),
 * after printing `<command>: <signal>, draining requests in flight` on stderr.
 *
 * @example await untilSignal("verge pop", () => server.close());
 */
export function untilSignal(command: string, drain: () => Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      // On stderr: stdout may be a stream of JSON lines (verge start) that a pipeline parses.
      console.error(`${command}: ${signal}, draining requests in flight`);
      drain().then(() => resolve(), () => resolve());
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}
