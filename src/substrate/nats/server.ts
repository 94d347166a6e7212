/**
 * @module A real `nats-server` for tests: JetStream on, loopback only, a store
 * directory in a temp dir; killable with SIGKILL and restartable on the same
 * store directory and port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { configIsValid, NatsServerError, natsServerBinary, natsServerVersion } from "./binary.js";
import { freePort, probeInfo } from "./probe.js";

export { NatsServerError } from "./binary.js";

const READY_TIMEOUT_MS = 10_000;
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Options of `NatsServer.start`. */
export interface NatsServerOptions {
  /** Store directory; default a fresh temp dir removed by `stop()`. */
  storeDir?: string;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
}

/**
 * One `nats-server` process with JetStream and file storage.
 *
 * @example const server = await NatsServer.start(); await server.restart(); await server.stop();
 */
export class NatsServer {
  private child: ChildProcess | undefined;
  private log = "";

  private constructor(
    /** The executable. */
    readonly binary: string,
    /** `nats-server --version`. */
    readonly version: string,
    /** The port on 127.0.0.1, kept across restarts. */
    readonly port: number,
    /** The JetStream store directory, kept across restarts. */
    readonly storeDir: string,
    /** True when the server fsyncs every write (`sync_interval: always`); false when this version has no such setting. */
    readonly syncAlways: boolean,
    private readonly configFile: string,
    private readonly ownsDir: string | undefined,
  ) {}

  /** Starts a server; installs `nats-server` first when it is missing. */
  static async start(options: NatsServerOptions = {}): Promise<NatsServer> {
    const binary = natsServerBinary();
    const ownsDir = options.storeDir ? undefined : await fs.promises.mkdtemp(path.join(os.tmpdir(), "verge-nats-"));
    const base = options.storeDir ?? ownsDir ?? os.tmpdir();
    const storeDir = path.join(base, "jetstream");
    const port = options.port ?? (await freePort());
    const configFile = path.join(base, "nats-server.conf");
    const write = (sync: boolean): Promise<void> =>
      fs.promises.writeFile(configFile, [`listen: "127.0.0.1:${port}"`, `jetstream {`, `  store_dir: ${JSON.stringify(storeDir)}`, sync ? `  sync_interval: always` : "", `}`, ""].join("\n"));
    await write(true);
    const probe = configIsValid(binary, configFile);
    if (!probe.ok) {
      if (!/unknown field "sync_interval"/.test(probe.output)) throw new NatsServerError(`nats-server refused its config: ${probe.output}`);
      await write(false);
    }
    const server = new NatsServer(binary, natsServerVersion(binary), port, storeDir, probe.ok, configFile, ownsDir);
    await server.launch();
    return server;
  }

  /** `nats://127.0.0.1:<port>`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** True while the process runs. */
  get isRunning(): boolean {
    return this.child !== undefined;
  }

  /** Kills the process with SIGKILL (no flush, no goodbye) and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await exited;
  }

  /** `kill()`, then a new process on the same store directory and port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  /** Kills the process and removes the temp dir it made. */
  async stop(): Promise<void> {
    await this.kill();
    if (this.ownsDir) await fs.promises.rm(this.ownsDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    this.log = "";
    const child = spawn(this.binary, ["-c", this.configFile], { stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer): void => {
      this.log = (this.log + chunk.toString("utf8")).slice(-4000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    running.add(child);
    child.once("exit", () => running.delete(child));
    this.child = child;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      const info = await probeInfo(this.port);
      if (info?.["jetstream"] === true) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await this.kill();
    throw new NatsServerError(`nats-server did not become ready with JetStream on 127.0.0.1:${this.port} within ${READY_TIMEOUT_MS} ms. Its log:\n${this.log}`);
  }
}
