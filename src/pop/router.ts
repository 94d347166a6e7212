/**
 * @module Routing by hostname and path, with wrangler route patterns:
 * `example.com/*`, `*.example.com/api/*`, `*example.com/*`. The most specific
 * matching pattern wins (most literal characters), as on Cloudflare.
 */
export interface Route<T> {
  pattern: string;
  target: T;
}

interface CompiledRoute<T> {
  route: Route<T>;
  host: RegExp;
  path: RegExp;
  specificity: number;
}

const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");

function globToRegExp(glob: string, prefix = ""): RegExp {
  return new RegExp(`^${prefix}${glob.split("*").map(escape).join(".*")}$`, "i");
}

/** Compiles a route pattern; throws naming the pattern when it is malformed. */
function compile<T>(route: Route<T>): CompiledRoute<T> {
  const pattern = route.pattern.trim().replace(/^https?:\/\//i, "");
  const slash = pattern.indexOf("/");
  const host = slash === -1 ? pattern : pattern.slice(0, slash);
  const path = slash === -1 ? "/*" : pattern.slice(slash);
  if (host.length === 0 || /[\s?#]/.test(pattern)) throw new TypeError(`Invalid route pattern: "${route.pattern}"`);
  // "*example.com" matches example.com and its subdomains; "*.example.com" only subdomains.
  const hostRegExp = host === "*" ? /^/ : host.startsWith("*") && !host.startsWith("*.") ? globToRegExp(host.slice(1), "(?:.*\\.)?") : globToRegExp(host);
  return { route, host: hostRegExp, path: globToRegExp(path), specificity: pattern.replace(/\*/g, "").length };
}

export class Router<T> {
  #routes: CompiledRoute<T>[] = [];
  #fallback: T | undefined;

  constructor(routes: Route<T>[] = [], fallback?: T) {
    this.#routes = routes.map(compile).sort((a, b) => b.specificity - a.specificity);
    this.#fallback = fallback;
  }

  /** The target for a request to `hostname` + `pathname`, or undefined (no_route). */
  match(hostname: string, pathname: string): T | undefined {
    const host = hostname.replace(/:\d+$/, "").replace(/\.$/, "");
    for (const compiled of this.#routes) {
      if (compiled.host.test(host) && compiled.path.test(pathname)) return compiled.route.target;
    }
    return this.#fallback;
  }
}
