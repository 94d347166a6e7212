/** @module Reading the Cookie header and writing Set-Cookie values. */

/** Attributes of a cookie the edge sets. */
export interface CookieOptions {
  maxAgeSeconds: number;
  /** Adds `Secure`: set it when the request came over https. */
  secure: boolean;
}

/**
 * The cookies of a request by name (the first one wins when a name repeats).
 * @example parseCookies("a=1; cohort=b").get("cohort") // "b"
 */
export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name !== "" && !cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, and Secure when asked.
 * @example serializeCookie("cohort", "a", { maxAgeSeconds: 60, secure: false })
 * // "cohort=a; Max-Age=60; Path=/; HttpOnly; SameSite=Lax"
 */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, `Max-Age=${options.maxAgeSeconds}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}
