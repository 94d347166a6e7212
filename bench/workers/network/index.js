// @module The network benchmarks' worker (bench/network/):
//   GET /plain              "ok", touching nothing (the baseline of a KV read)
//   GET /kv/<key>           env.KV.get(key): the value, or 404
//   PUT /kv/<key>           env.KV.put(key, body); answers once the write is durable
//   GET /cached/<path>      ORIGIN/<path> through the PoP's cache (an hour, tag "t"); x-cache is its cf-cache-status
//   GET /origin/<path>      ORIGIN/<path>, not cached
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/plain") return new Response("ok");
    if (pathname.startsWith("/kv/")) {
      const key = decodeURIComponent(pathname.slice(4));
      if (request.method === "PUT") {
        await env.KV.put(key, await request.text());
        return new Response("ok");
      }
      const value = await env.KV.get(key);
      return value === null ? new Response("not found", { status: 404 }) : new Response(value);
    }
    if (pathname.startsWith("/cached/")) {
      const response = await fetch(`${env.ORIGIN}/${pathname.slice(8)}`, { cf: { cacheTtl: 3600, cacheTags: ["t"] } });
      return new Response(response.body, { status: response.status, headers: { "x-cache": response.headers.get("cf-cache-status") ?? "" } });
    }
    if (pathname.startsWith("/origin/")) {
      const response = await fetch(`${env.ORIGIN}/${pathname.slice(8)}`);
      return new Response(response.body, { status: response.status, headers: { "x-origin-delay-ms": response.headers.get("x-verge-origin-delay-ms") ?? "" } });
    }
    return new Response("no such route", { status: 404 });
  },
};
