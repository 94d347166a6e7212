/**
 * A product API cached at the edge. Products come from the origin through the
 * PoP's cache, tagged `product:<id>` (and `products` for the list), so that
 * a change to one product purges exactly what shows it, at every PoP.
 *
 *   GET /products       the catalogue (tag: products)
 *   GET /products/<id>  one product (tags: product:<id>, products)
 */
interface Env {
  ORIGIN: string;
}

const ID = /^\/products\/([a-z0-9-]{1,64})$/;

/** One hour at the edge: purges, not expiry, keep the cache right. */
const EDGE_TTL = 3600;

async function fromOrigin(env: Env, path: string, tags: string[]): Promise<Response> {
  const response = await fetch(new URL(path, env.ORIGIN), { cf: { cacheTtl: EDGE_TTL, cacheTags: tags } } as RequestInit);
  const headers = new Headers({ "content-type": response.headers.get("content-type") ?? "application/json" });
  headers.set("x-cache", response.headers.get("cf-cache-status") ?? "NONE");
  // Browsers revalidate with the edge every minute; the edge keeps it an hour.
  headers.set("cache-control", "public, max-age=60");
  return new Response(response.body, { status: response.status, headers });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== "GET" && request.method !== "HEAD") return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    const { pathname } = new URL(request.url);
    if (pathname === "/products") return fromOrigin(env, "/products", ["products"]);
    const match = ID.exec(pathname);
    if (match) return fromOrigin(env, pathname, [`product:${match[1]}`, "products"]);
    return new Response("not found\n", { status: 404 });
  },
};
