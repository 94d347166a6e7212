/**
 * @module A small `util.inspect` and `util.format`: how console arguments
 * become one log line, in Node's notation (which workerd's console follows).
 * Written here because the isolate has no Node; this is the subset logs need.
 */
const MAX_DEPTH = 3;
const MAX_ITEMS = 100;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
/** The name of a typed array ("Uint8Array"), undefined for anything else. */
const typedArrayTag = (value: object): unknown => Reflect.get(TypedArrayPrototype, Symbol.toStringTag, value);

/** Formats console arguments as Node's util.format does: `%s %d %i %f %j %o %O %c %%`, then the rest. */
export function formatArgs(args: unknown[]): string {
  const first = args[0];
  if (typeof first !== "string") return args.map((arg) => inspect(arg)).join(" ");
  let index = 1;
  const head = first.replace(/%[sdifjoOc%]/g, (token) => {
    if (token === "%%") return "%";
    if (index >= args.length) return token;
    const value = args[index++];
    switch (token) {
      case "%s":
        return typeof value === "string" ? value : typeof value === "object" && value !== null ? inspect(value, MAX_DEPTH - 1) : primitive(value);
      case "%d":
        return typeof value === "bigint" ? `${value}n` : typeof value === "symbol" ? "NaN" : primitive(Number(value));
      case "%i":
        return typeof value === "bigint" ? `${value}n` : typeof value === "symbol" ? "NaN" : String(parseInt(String(value), 10));
      case "%f":
        return typeof value === "symbol" ? "NaN" : String(parseFloat(String(value)));
      case "%j":
        return json(value);
      case "%c":
        return "";
      default:
        return inspect(value);
    }
  });
  return [head, ...args.slice(index).map((arg) => inspect(arg))].join(" ");
}

function json(value: unknown): string {
  try {
    return String(JSON.stringify(value));
  } catch (error) {
    if (error instanceof TypeError && /circular/i.test(error.message)) return "[Circular]";
    throw error;
  }
}

function primitive(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (Object.is(value, -0)) return "-0";
  return String(value);
}

/** A string as Node quotes it: single quotes unless the string holds one. */
export function quote(text: string): string {
  const q = !text.includes("'") ? "'" : !text.includes('"') ? '"' : !text.includes("`") ? "`" : "'";
  const escaped = text.replace(/[\\\n\r\t\b\f\v]/g, (c) => JSON.stringify(c).slice(1, -1));
  return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}

function key(k: string | symbol): string {
  if (typeof k === "symbol") return `[${String(k)}]`;
  return IDENTIFIER.test(k) ? k : quote(k);
}

function braces(prefix: string, items: string[], open = "{", close = "}"): string {
  const head = prefix ? `${prefix} ` : "";
  return items.length === 0 ? `${head}${open}${close}` : `${head}${open} ${items.join(", ")} ${close}`;
}

function more(items: string[], total: number): string[] {
  if (total > MAX_ITEMS) items.push(`... ${total - MAX_ITEMS} more item${total - MAX_ITEMS > 1 ? "s" : ""}`);
  return items;
}

/** Own enumerable properties (string and symbol keys), accessors shown without being called. */
function properties(object: object, depth: number, seen: Set<object>, skip?: (k: string) => boolean): string[] {
  const out: string[] = [];
  for (const k of Reflect.ownKeys(object)) {
    if (typeof k === "string" && skip?.(k)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(object, k);
    if (!descriptor?.enumerable) continue;
    if (out.length >= MAX_ITEMS) break;
    const shown = descriptor.get ? (descriptor.set ? "[Getter/Setter]" : "[Getter]") : descriptor.set ? "[Setter]" : inspect(descriptor.value, depth + 1, seen);
    out.push(`${key(k)}: ${shown}`);
  }
  return out;
}

function constructorName(object: object): string | null {
  const proto = Object.getPrototypeOf(object);
  if (proto === null) return null;
  const ctor = Object.getOwnPropertyDescriptor(proto, "constructor")?.value as { name?: unknown } | undefined;
  return typeof ctor?.name === "string" && ctor.name ? ctor.name : "Object";
}

function inspectError(error: Error, depth: number, seen: Set<object>): string {
  const text = typeof error.stack === "string" && error.stack ? error.stack : `${error.name}: ${error.message}`;
  const extra = properties(error, depth, seen, (k) => k === "stack" || k === "message");
  if (Object.hasOwn(error, "cause")) extra.push(`[cause]: ${inspect(error.cause, depth + 1, seen)}`);
  return extra.length ? `${text} ${braces("", extra)}` : text;
}

/** One value as Node's util.inspect would print it on one line (depth 3, 100 items, cycles as [Circular]). */
export function inspect(value: unknown, depth = 0, seen: Set<object> = new Set()): string {
  switch (typeof value) {
    case "string": return depth === 0 ? value : quote(value);
    case "function": {
      const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
      return `[${isClass ? "class" : "Function"}${value.name ? `${isClass ? " " : ": "}${value.name}` : " (anonymous)"}]`;
    }
    case "object": break;
    default: return primitive(value);
  }
  if (value === null) return "null";
  const object = value;
  if (seen.has(object)) return "[Circular]";
  const name = constructorName(object);
  if (depth >= MAX_DEPTH && !(object instanceof Error)) return Array.isArray(object) ? "[Array]" : `[${name ?? "Object"}]`;
  seen.add(object);
  try {
    if (object instanceof Error) return inspectError(object, depth, seen);
    if (Array.isArray(object)) {
      const items = object.slice(0, MAX_ITEMS).map((v) => inspect(v, depth + 1, seen));
      return braces(name === "Array" ? "" : `${name}(${object.length})`, more(items, object.length), "[", "]");
    }
    if (object instanceof Map) {
      const items = [...object].slice(0, MAX_ITEMS).map(([k, v]) => `${inspect(k, depth + 1, seen)} => ${inspect(v, depth + 1, seen)}`);
      return braces(`${name}(${object.size})`, more(items, object.size));
    }
    if (object instanceof Set) {
      return braces(`${name}(${object.size})`, more([...object].slice(0, MAX_ITEMS).map((v) => inspect(v, depth + 1, seen)), object.size));
    }
    if (object instanceof Date) return isNaN(object.getTime()) ? "Invalid Date" : object.toISOString();
    if (object instanceof RegExp) return String(object);
    if (object instanceof ArrayBuffer) {
      const hex = Array.from(new Uint8Array(object, 0, Math.min(object.byteLength, 50)), (b) => b.toString(16).padStart(2, "0"));
      return `ArrayBuffer { [Uint8Contents]: <${hex.join(" ")}${object.byteLength > 50 ? " ..." : ""}>, byteLength: ${object.byteLength} }`;
    }
    if (ArrayBuffer.isView(object) && typedArrayTag(object)) {
      const array = object as unknown as ArrayLike<unknown>;
      const items = Array.from({ length: Math.min(array.length, MAX_ITEMS) }, (_, i) => primitive(array[i]));
      return braces(`${name}(${array.length})`, more(items, array.length), "[", "]");
    }
    const entries = properties(object, depth, seen);
    if (name === null) return braces("[Object: null prototype]", entries);
    return braces(name === "Object" ? "" : name, entries);
  } finally {
    seen.delete(object);
  }
}
