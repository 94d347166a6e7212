/**
 * @module A small `util.inspect`: how console arguments become one log line.
 */
const MAX_DEPTH = 3;
const MAX_ITEMS = 100;

export function formatArgs(args: unknown[]): string {
  if (typeof args[0] === "string" && args[0].includes("%")) return formatWithPlaceholders(args);
  return args.map((arg) => (typeof arg === "string" ? arg : inspect(arg))).join(" ");
}

function formatWithPlaceholders(args: unknown[]): string {
  let index = 1;
  const head = (args[0] as string).replace(/%[sdifjoOc%]/g, (token) => {
    if (token === "%%") return "%";
    if (index >= args.length) return token;
    const value = args[index++];
    switch (token) {
      case "%s": return typeof value === "string" ? value : inspect(value);
      case "%d": case "%i": return String(parseInt(String(value), 10));
      case "%f": return String(Number(value));
      case "%j": return safeJson(value);
      case "%c": return "";
      default: return inspect(value);
    }
  });
  const rest = args.slice(index).map((arg) => (typeof arg === "string" ? arg : inspect(arg)));
  return [head, ...rest].join(" ");
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return "[Circular]";
  }
}

export function inspect(value: unknown, depth = 0, seen: Set<object> = new Set()): string {
  switch (typeof value) {
    case "string": return depth === 0 ? value : JSON.stringify(value);
    case "number": case "boolean": case "undefined": case "symbol": return String(value);
    case "bigint": return `${value}n`;
    case "function": return `[Function: ${value.name || "anonymous"}]`;
  }
  if (value === null) return "null";
  const object = value as object;
  if (object instanceof Error) return object.stack ?? `${object.name}: ${object.message}`;
  if (seen.has(object)) return "[Circular]";
  if (depth >= MAX_DEPTH) return Array.isArray(object) ? "[Array]" : "[Object]";
  seen.add(object);
  try {
    if (Array.isArray(object)) return `[ ${object.slice(0, MAX_ITEMS).map((v) => inspect(v, depth + 1, seen)).join(", ")} ]`;
    if (object instanceof Map) return `Map(${object.size}) { ${[...object].slice(0, MAX_ITEMS).map(([k, v]) => `${inspect(k, depth + 1, seen)} => ${inspect(v, depth + 1, seen)}`).join(", ")} }`;
    if (object instanceof Set) return `Set(${object.size}) { ${[...object].slice(0, MAX_ITEMS).map((v) => inspect(v, depth + 1, seen)).join(", ")} }`;
    if (object instanceof Date) return isNaN(object.getTime()) ? "Invalid Date" : object.toISOString();
    if (ArrayBuffer.isView(object)) return `${object.constructor.name}(${(object as Uint8Array).length}) [ ${Array.from(object as Uint8Array).slice(0, MAX_ITEMS).join(", ")} ]`;
    const name = object.constructor && object.constructor !== Object ? `${object.constructor.name} ` : "";
    const entries = Object.entries(object).slice(0, MAX_ITEMS).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${inspect(v, depth + 1, seen)}`);
    return entries.length === 0 ? `${name}{}` : `${name}{ ${entries.join(", ")} }`;
  } finally {
    seen.delete(object);
  }
}
