/**
 * @module Test support: a request with a chosen Host header (fetch() forbids
 * setting it), answered as a web Response.
 */
import { request } from "node:http";
import { Readable } from "node:stream";

export function fetchWithHost(url: string, host: string, init: RequestInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...Object.fromEntries(new Headers(init.headers)), host };
    const req = request(url, { method: init.method ?? "GET", headers }, (res) => {
      const responseHeaders = new Headers();
      for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
      const nullBody = [101, 204, 205, 304].includes(res.statusCode ?? 0);
      resolve(new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream), { status: res.statusCode, statusText: res.statusMessage, headers: responseHeaders }));
    });
    req.on("error", reject);
    if (typeof init.body === "string" || init.body instanceof Uint8Array) req.end(init.body);
    else req.end();
  });
}
