/**
 * @module One PoP's NATS connection: connects in the background, reconnects
 * forever, and runs calls against it with abort signals and a `closed` error
 * when the view closes or the connection is lost for good.
 */
import { trackedCall, type FailCall } from "../inflight.js";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { ConnectionStatus } from "../types.js";
import { closedError, mapError } from "./errors.js";

const UP: Promise<void> = Promise.resolve();
/** How long one attempt at the first connection may take (a server that accepts and says nothing). */
const CONNECT_TIMEOUT_MS = 5000;

/** Options of the connections of a NATS substrate. */
export interface ConnectionOptions {
  /** Server URLs, e.g. `["nats://127.0.0.1:4222"]`. */
  servers: string[];
  /** Wait between reconnect attempts. Default 250 ms. */
  reconnectTimeWaitMs?: number;
  /** Timeout of one JetStream API call or publish acknowledgement. Default 5000 ms. */
  jetStreamTimeoutMs?: number;
}


/** The clients over one connection. */
export interface Clients {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  kvm: Kvm;
}

/** The NATS connection of one PoP's view. */
export class PopConnection {
  private readonly ready: Promise<Clients>;
  private nc: NatsConnection | undefined;
  private closing = false;
  /** Ends the wait between two first connection attempts (on close). */
  private wake = (): void => {};
  /** Settled while connected; pending from a disconnect until the reconnect. */
  private up: Promise<void> = UP;
  private readonly inflight = new Set<FailCall>();
  private readonly lostListeners = new Set<() => void>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();

  constructor(
    readonly pop: string,
    options: ConnectionOptions,
  ) {
    const timeout = options.jetStreamTimeoutMs ?? 5000;
    this.ready = this.connectFirst(options).then(async (nc) => {
      this.nc = nc;
      void nc.closed().then(() => this.lost());
      void this.followStatus(nc);
      if (this.closing) await nc.close();
      return { nc, js: jetstream(nc, { timeout }), jsm: await jetstreamManager(nc, { timeout, checkAPI: false }), kvm: new Kvm(nc) };
    });
    this.ready.catch(() => this.lost());
  }

  /** True once `close()` was called or the connection is gone. */
  get isClosed(): boolean {
    return this.closing;
  }

  /** True from a disconnect until the reconnect (false before the first connection). */
  get isDown(): boolean {
    return this.up !== UP;
  }

  /** The clients, once connected. */
  get clients(): Promise<Clients> {
    return this.ready;
  }

  /** Calls `listener` once when the connection closes (by `close()` or for good). */
  onLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** Calls `listener` on every disconnect and reconnect, until the returned function is called. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Runs `op` once connected. Rejects with the signal's reason on abort, with
   * `SubstrateError("closed")` when the view closes first; a failure of `op` is
   * mapped by `mapError`.
   */
  run<T>(op: (clients: Clients) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closing) return Promise.reject(closedError(this.pop));
    return trackedCall<T>(this.inflight, signal, (resolve, fail) => {
      this.ready
        .then(async (clients) => {
          await this.up;
          return op(clients);
        })
        .then(resolve, (error: unknown) => fail(mapError(error, this.pop)));
    });
  }

  /** Rejects pending calls with `closed`, tells the listeners, and closes the connection. */
  async close(): Promise<void> {
    this.lost();
    const nc = this.nc;
    if (nc && !nc.isClosed()) await nc.close().catch(() => undefined);
  }

  /**
   * The first connection, tried every `reconnectTimeWaitMs` until it succeeds
   * or the view closes (the client's own `waitOnFirstConnect` retries forever
   * and cannot be stopped, so a view that never connected kept its process alive).
   */
  private async connectFirst(options: ConnectionOptions): Promise<NatsConnection> {
    const wait = options.reconnectTimeWaitMs ?? 250;
    for (;;) {
      try {
        return await connect({ servers: options.servers, name: `verge-pop-${this.pop}`, maxReconnectAttempts: -1, reconnectTimeWait: wait, reconnectJitter: 50, timeout: CONNECT_TIMEOUT_MS });
      } catch (error) {
        if (this.closing) throw closedError(this.pop, error);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.closing) throw closedError(this.pop);
    }
  }

  /**
   * Tracks whether the connection is up. The v3 client drops what was written
   * while disconnected when it dials again, so calls wait for the reconnect.
   */
  private async followStatus(nc: NatsConnection): Promise<void> {
    let reconnected = (): void => {};
    for await (const status of nc.status()) {
      if (status.type === "disconnect" && this.up === UP) {
        this.up = new Promise<void>((resolve) => (reconnected = resolve));
        for (const listener of [...this.statusListeners]) listener("disconnected");
      } else if (status.type === "reconnect") {
        this.up = UP;
        reconnected();
        for (const listener of [...this.statusListeners]) listener("reconnected");
      }
    }
    reconnected();
  }

  private lost(): void {
    if (this.closing) return;
    this.closing = true;
    this.wake();
    const error = closedError(this.pop);
    for (const fail of [...this.inflight]) fail(error);
    for (const listener of [...this.lostListeners]) listener();
    this.lostListeners.clear();
  }
}
