/** @module A tiny request/reply over a forked child's IPC channel: every message carries an id, every reply echoes it. */
import type { ChildProcess } from "node:child_process";

/** A reply: `ok` with a value, or the child's error message. */
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

let nextId = 1;

/** Sends `message` to the child and resolves with its reply's value (rejects with its error). */
export function call<T>(child: ChildProcess, message: Record<string, unknown>, timeoutMs = 60_000): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`No reply to ${String(message.type)} after ${timeoutMs} ms`)), timeoutMs);
    const onExit = () => done(new Error(`The child exited before replying to ${String(message.type)}`));
    const onMessage = (reply: Reply) => {
      if (reply?.id !== id) return;
      if (reply.ok) done(undefined, reply.value as T);
      else done(new Error(reply.error));
    };
    function done(error?: Error, value?: T) {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(value as T);
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send({ ...message, id }, (error) => error && done(error));
  });
}

/** In the child: answers each request with `handler`'s result or error. */
export function serve(handler: (message: Record<string, unknown>) => Promise<unknown>): void {
  process.on("message", (message: Record<string, unknown> & { id: number }) => {
    handler(message).then(
      (value) => process.send?.({ id: message.id, ok: true, value } satisfies Reply),
      (error: unknown) => process.send?.({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Reply),
    );
  });
}
