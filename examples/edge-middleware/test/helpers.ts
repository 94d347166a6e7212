/** @module Helpers for the edge-middleware tests: the origin and PoP together, tokens, assertions. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { startPopForDirectory, type TestPop } from "../../../test/support/pop.js";
import { startOrigin, type Origin, type OriginRequest } from "../origin/server.js";
import { SECURITY_HEADERS } from "../src/security-headers.js";

export const EXAMPLE_DIR = fileURLToPath(new URL("..", import.meta.url));
export const GB_IP = "81.2.69.160";
export const US_IP = "8.8.8.8";

/** A real origin and a real PoP running the example against it. */
export interface Stack {
  origin: Origin;
  pop: TestPop;
  /** Every request the origin saw, in order. */
  seen: OriginRequest[];
  close(): Promise<void>;
}

export async function startStack(vars: Record<string, string> = {}): Promise<Stack> {
  const seen: OriginRequest[] = [];
  const origin = await startOrigin({ port: 0, onRequest: (request) => seen.push(request) });
  const pop = await startPopForDirectory(EXAMPLE_DIR, { env: { ORIGIN_URL: origin.url, JWKS_URL: `${origin.url}/.well-known/jwks.json`, ...vars } });
  return {
    origin,
    pop,
    seen,
    async close() {
      await pop.close();
      await origin.close();
    },
  };
}

/** A loopback URL where nothing listens. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The cohort the edge must compute, by the same rule, in Node. */
export function expectedCohort(userId: string, split = 50): "a" | "b" {
  return createHash("sha256").update(userId).digest().readUInt32BE(0) % 100 < split ? "a" : "b";
}

export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function bearer(token: string, headers: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...headers };
}

/** Every security header is on the response. */
export function assertSecurityHeaders(response: Response): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    assert.equal(response.headers.get(name), value, `${name} on a ${response.status} response`);
  }
}

/** The Set-Cookie value for `name`, if any. */
export function setCookie(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
}

/** `name=value` pairs of a response's Set-Cookie headers, ready for a Cookie header. */
export function cookieHeader(response: Response): string {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

export interface EdgeInfo {
  pop: string | null;
  country: string | null;
  user: string | null;
  cohort: "a" | "b";
  currency: string;
  language: string;
}
