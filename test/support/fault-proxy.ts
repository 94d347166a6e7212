/**
 * @module Test support: a TCP proxy on loopback in front of one server (a
 * nats-server), to partition whoever connects through it. `cut()` drops every
 * connection through it and refuses new ones (they are accepted and reset at
 * once, so clients see their attempts fail); `heal()` lets new ones through.
 */
import net from "node:net";

/** A loopback TCP proxy that can cut and heal. */
export class FaultProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #attemptWaiters = new Set<() => void>();
  #cut = false;
  /** Connections refused while cut, since the last `cut()`. */
  refused = 0;

  private constructor(
    server: net.Server,
    readonly targetPort: number,
    readonly targetHost: string,
  ) {
    this.#server = server;
    server.on("connection", (client) => this.#accept(client));
  }

  /**
   * Starts a proxy on a free loopback port forwarding to `targetHost:targetPort`.
   *
   * @example const proxy = await FaultProxy.start(natsServer.port); proxy.cut(); proxy.heal();
   */
  static async start(targetPort: number, targetHost = "127.0.0.1"): Promise<FaultProxy> {
    const server = net.createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return new FaultProxy(server, targetPort, targetHost);
  }

  /** The proxy's port on 127.0.0.1. */
  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** True while cut. */
  get isCut(): boolean {
    return this.#cut;
  }

  /** Drops every connection through the proxy (both sides reset) and refuses new ones until `heal()`. */
  cut(): void {
    this.#cut = true;
    this.refused = 0;
    for (const socket of this.#sockets) socket.resetAndDestroy();
    this.#sockets.clear();
  }

  /** Lets new connections through again (the ones cut stay gone: clients reconnect). */
  heal(): void {
    this.#cut = false;
  }

  /** Resolves at the next connection refused while cut: a client has noticed the cut and is trying again. */
  nextRefused(): Promise<void> {
    return new Promise((resolve) => this.#attemptWaiters.add(resolve));
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: net.Socket): void {
    if (this.#cut) {
      this.refused++;
      client.resetAndDestroy();
      for (const resolve of [...this.#attemptWaiters]) resolve();
      this.#attemptWaiters.clear();
      return;
    }
    const upstream = net.connect({ port: this.targetPort, host: this.targetHost, noDelay: true });
    const pair = [client, upstream];
    const drop = (): void => {
      for (const socket of pair) {
        socket.destroy();
        this.#sockets.delete(socket);
      }
    };
    for (const socket of pair) {
      this.#sockets.add(socket);
      socket.on("error", drop);
      socket.on("close", drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
