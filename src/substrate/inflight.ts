/** @module Calls a view can end early: settled once, by their own result, an abort, or the view closing. */

/** Rejects one call in flight; a view calls every one it holds when it closes. */
export type FailCall = (error: unknown) => void;

/**
 * A promise for work that `start` begins. It settles once: with what `start`
 * reports, or with `signal`'s reason on abort, or with the error a caller of
 * a `FailCall` in `inflight` gives (the view closing). The call is in
 * `inflight` only until it settles.
 */
export function trackedCall<T>(
  inflight: Set<FailCall>,
  signal: AbortSignal | undefined,
  start: (resolve: (value: T) => void, reject: FailCall) => void,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const finish = (settle: () => void): void => {
      if (!inflight.delete(fail)) return;
      signal?.removeEventListener("abort", onAbort);
      settle();
    };
    const fail: FailCall = (error) => finish(() => reject(error));
    const onAbort = (): void => fail(signal?.reason);
    inflight.add(fail);
    signal?.addEventListener("abort", onAbort, { once: true });
    start((value) => finish(() => resolve(value)), fail);
  });
}
