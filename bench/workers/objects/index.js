// @module The Durable Objects benchmarks' worker (bench/network/objects-*.ts):
//   GET /plain                 "ok", touching no object (the baseline of an object read)
//   GET /object/read           await stub.read(): the count, no write
//   POST /object/increment     await stub.increment(): one storage write; answers once it is durable (output gate)
// Both object routes take ?name= (default "bench") and answer JSON { n, instance },
// `instance` naming the object's instance so the bench can check one answered.
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

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/plain") return new Response("ok");
    const stub = env.COUNTER.get(env.COUNTER.idFromName(url.searchParams.get("name") ?? "bench"));
    try {
      if (url.pathname === "/object/read" && request.method === "GET") return Response.json(await stub.read());
      if (url.pathname === "/object/increment" && request.method === "POST") return Response.json(await stub.increment());
    } catch (error) {
      return Response.json({ error: `${error.name}: ${error.message}` }, { status: 500 });
    }
    return new Response("no such route", { status: 404 });
  },
};
