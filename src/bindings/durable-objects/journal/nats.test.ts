/** @module The journal's cases on a real nats-server (JetStream, file storage). */
import { createNatsSubstrate } from "../../../substrate/nats/index.js";
import { NatsServer } from "../../../substrate/nats/server.js";
import { journalCases } from "./cases.js";

journalCases("nats (nats-server)", async () => {
  const server = await NatsServer.start();
  const substrate = createNatsSubstrate({ servers: [server.url] });
  return {
    substrate,
    async close() {
      try {
        await substrate.close();
      } finally {
        await server.stop();
      }
    },
  };
});
