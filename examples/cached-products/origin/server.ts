/**
 * The product origin: a catalogue in memory. Reads are cacheable; a change
 * (PUT /products/<id> with a JSON body) purges the product's tag through the
 * purge URL, so every PoP drops what showed the old product.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Product {
  id: string;
  name: string;
  price: number;
}

export interface ProductOrigin {
  url: string;
  products: Map<string, Product>;
  /** Requests that reached the origin, by path. */
  reads: Map<string, number>;
  close(): Promise<void>;
}

const SEED: Product[] = [
  { id: "espresso", name: "Espresso machine", price: 349 },
  { id: "grinder", name: "Burr grinder", price: 129 },
  { id: "kettle", name: "Gooseneck kettle", price: 59 },
];

/**
 * Starts the origin on `port` (0: any free port). `purgeUrl` is a PoP's purge
 * endpoint, e.g. `http://127.0.0.1:8787/__verge/purge` under `verge dev`.
 */
export async function startProductOrigin(port: number, purgeUrl: string): Promise<ProductOrigin> {
  const products = new Map(SEED.map((product) => [product.id, { ...product }]));
  const reads = new Map<string, number>();
  const json = (status: number, body: unknown, tags: string) => ({ status, body: JSON.stringify(body), headers: { "content-type": "application/json", "cache-tag": tags } });
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://origin").pathname;
    const id = /^\/products\/([a-z0-9-]{1,64})$/.exec(path)?.[1];
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const reply = ({ status, body, headers }: { status: number; body: string; headers: Record<string, string> }) => {
        res.writeHead(status, headers);
        res.end(body);
      };
      if (req.method === "GET") {
        reads.set(path, (reads.get(path) ?? 0) + 1);
        if (path === "/products") return reply(json(200, [...products.values()], "products"));
        const product = id ? products.get(id) : undefined;
        if (product) return reply(json(200, product, `product:${product.id}, products`));
        return reply(json(404, { error: `no product ${JSON.stringify(id ?? path)}` }, id ? `product:${id}, products` : "products"));
      }
      if (req.method === "PUT" && id) {
        let update: Partial<Product>;
        try {
          update = JSON.parse(Buffer.concat(chunks).toString()) as Partial<Product>;
        } catch {
          return reply(json(400, { error: "the body must be JSON" }, ""));
        }
        const product = { ...(products.get(id) ?? { id, name: id, price: 0 }), ...update, id };
        products.set(id, product);
        // The change is visible at every PoP once the purge is acknowledged.
        fetch(purgeUrl, { method: "POST", body: JSON.stringify({ tags: [`product:${id}`] }) }).then(
          async (purged) => reply(json(purged.ok ? 200 : 502, { product, purge: await purged.json() }, "")),
          (error: unknown) => reply(json(502, { product, purge: `failed: ${String(error)}` }, "")),
        );
        return;
      }
      reply(json(405, { error: `${req.method ?? "?"} ${path} is not supported` }, ""));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    products,
    reads,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
