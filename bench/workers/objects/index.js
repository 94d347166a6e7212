// @module The Durable Objects benchmarks' worker (bench/network/objects-*.ts):
//   GET /plain                 "ok", touching no object (the baseline of an object read)
//   GET /object/read           await stub.read(): the count, no write
//   POST /object/increment     await stub.increment(): one storage write; answers once it is durable (output gate)
//   GET /socket/object         WebSocket upgrade, passed to an Echo object with stub.fetch: it accepts the
//                              socket with ctx.acceptWebSocket (hibernatable) and sends back every message
//   GET /socket/plain          WebSocket upgrade answered by the worker itself (a WebSocketPair, accept(),
//                              a message listener sending it back; no object: the baseline of /socket/object)
// Both object routes and /socket/object take ?name= (default "bench"). The object routes answer JSON
// { n, instance }, and the Echo object's 101 carries x-instance, `instance` naming the object's instance
// so the bench can check one answered.
import { DurableObject } from "cloudflare:workers";

export class Counter extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.instance = crypto.randomUUID();
  }
  async read() {
    return { n: (await this.ctx.storage.get("n")) ?? 0, instance: this.instance };
  }
  async increment() {
    const n = ((await this.ctx.storage.get("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", n);
    return { n, instance: this.instance };
  }
}

export class Echo extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.instance = crypto.randomUUID();
  }
  async fetch(request) {
    if (request.headers.get("upgrade") !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client, headers: { "x-instance": this.instance } });
  }
  webSocketMessage(ws, message) {
    ws.send(message);
  }
}

function plainSocket(request) {
  if (request.headers.get("upgrade") !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
  const [client, server] = Object.values(new WebSocketPair());
  server.accept();
  server.addEventListener("message", (event) => server.send(event.data));
  return new Response(null, { status: 101, webSocket: client });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/plain") return new Response("ok");
    if (url.pathname === "/socket/plain") return plainSocket(request);
    const name = url.searchParams.get("name") ?? "bench";
    try {
      if (url.pathname === "/socket/object") return await env.ECHO.get(env.ECHO.idFromName(name)).fetch(request);
      const stub = env.COUNTER.get(env.COUNTER.idFromName(name));
      if (url.pathname === "/object/read" && request.method === "GET") return Response.json(await stub.read());
      if (url.pathname === "/object/increment" && request.method === "POST") return Response.json(await stub.increment());
    } catch (error) {
      return Response.json({ error: `${error.name}: ${error.message}` }, { status: 500 });
    }
    return new Response("no such route", { status: 404 });
  },
};
