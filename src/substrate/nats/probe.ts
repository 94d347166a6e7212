/** @module Loopback probes for the test server: a free port, and the INFO line a NATS server greets with. */
import net from "node:net";

/** A free TCP port on 127.0.0.1 (free when asked; the server binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Resolves with the server's INFO line once it accepts clients with JetStream, or null when not yet. */
export async function probeInfo(port: number): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let buffer = "";
    const done = (info: Record<string, unknown> | null): void => {
      socket.destroy();
      resolve(info);
    };
    socket.setTimeout(1000, () => done(null));
    socket.on("error", () => done(null));
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      const line = /^INFO (.*)\r\n/.exec(buffer);
      if (!line) return;
      try {
        done(JSON.parse(line[1]) as Record<string, unknown>);
      } catch {
        done(null);
      }
    });
  });
}
