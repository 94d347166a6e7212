/**
 * @module The bare node:http peer: the hello and echo handlers written
 * directly against node:http, in their own process. Sends its port to the
 * parent over IPC once listening.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

function hello(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/plain;charset=UTF-8" });
  res.end("Hello World!");
}

function echo(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let body: string;
    try {
      body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    } catch {
      res.writeHead(400).end("bad json");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
}

const server = createServer((req, res) => (req.method === "POST" ? echo(req, res) : hello(res)));
server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on("disconnect", () => process.exit(0));
