/**
 * @module structuredClone (HTML §2.7). Written here rather than taken from
 * @ungap/structured-clone, which serializes through an intermediate record
 * form, turns functions into TypeErrors instead of DataCloneErrors and loses
 * typed-array views over a shared buffer; a direct recursive copy is smaller.
 * Transfer: bare V8 cannot detach an ArrayBuffer (no ArrayBuffer.prototype.transfer
 * in this V8), so a transferred buffer is copied and the original stays usable.
 */
import { DOMException } from "./dom-exception.js";

const { getPrototypeOf, getOwnPropertyDescriptor, keys } = Object;

/** A built-in accessor or method, captured at start-up and called on `value`; it throws unless `value` has the internal slot. */
function builtin(proto: object, name: PropertyKey, kind: "get" | "value" = "get"): (value: object, ...args: unknown[]) => unknown {
  const fn = Reflect.get(getOwnPropertyDescriptor(proto, name) ?? {}, kind) as (...args: unknown[]) => unknown;
  return (value, ...args) => Reflect.apply(fn, value, args);
}
const TypedArray = getPrototypeOf(Uint8Array) as { prototype: object };
const typedArrayName = builtin(TypedArray.prototype, Symbol.toStringTag);
const byteLength = builtin(ArrayBuffer.prototype, "byteLength");
const regExpSource = builtin(RegExp.prototype, "source");
const mapSize = builtin(Map.prototype, "size");
const setSize = builtin(Set.prototype, "size");
const mapForEach = builtin(Map.prototype, "forEach", "value");
const setForEach = builtin(Set.prototype, "forEach", "value");
const dateValue = builtin(Date.prototype, "getTime", "value");
const symbolValue = builtin(Symbol.prototype, "valueOf", "value");
const primitiveValues = [Boolean, Number, String, BigInt].map((type) => builtin(type.prototype, "valueOf", "value"));
const RealDate = Date;
const views: Record<string, new (buffer: ArrayBuffer, offset: number, length: number) => ArrayBufferView> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView: DataView,
};
const errors: Record<string, ErrorConstructor> = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

/** Prototypes whose instances are not serializable: built-ins V8 refuses, and platform classes. */
const platformPrototypes = new WeakSet<object>([Promise.prototype, WeakMap.prototype, WeakSet.prototype, WeakRef.prototype]);

/** Marks classes whose instances structuredClone refuses, as browsers refuse platform objects. */
export function markUncloneable(classes: Iterable<unknown>): void {
  for (const value of classes) {
    if (typeof value === "function" && value.prototype) platformPrototypes.add(value.prototype as object);
  }
}

function cannotClone(value: unknown): DOMException {
  let what: string;
  if (typeof value === "function") what = `function ${value.name || "(anonymous)"}`;
  else if (typeof value === "symbol") what = String(value);
  else what = `${(value as { constructor?: { name?: string } }).constructor?.name ?? "Object"} object`;
  return new DOMException(`structuredClone: ${what} could not be cloned`, "DataCloneError");
}

/** Calls a brand-checking built-in: true when `value` has the internal slot it reads. */
function is(read: (value: object) => unknown, value: object): boolean {
  try {
    read(value);
    return true;
  } catch {
    return false;
  }
}

function cloneBuffer(buffer: ArrayBuffer): ArrayBuffer {
  const resizable = buffer as ArrayBuffer & { resizable?: boolean; maxByteLength?: number };
  if (!resizable.resizable) return buffer.slice(0);
  const copy = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(buffer.byteLength, { maxByteLength: resizable.maxByteLength });
  new Uint8Array(copy).set(new Uint8Array(buffer));
  return copy;
}

function clone(value: unknown, memory: Map<object, unknown>): unknown {
  if (typeof value === "function" || typeof value === "symbol") throw cannotClone(value);
  if (typeof value !== "object" || value === null) return value;
  const known = memory.get(value);
  if (known !== undefined) return known;
  const remember = <T>(copy: T): T => (memory.set(value, copy), copy);

  if (is(symbolValue, value)) throw cannotClone(value);
  for (const primitiveValue of primitiveValues) {
    if (is(primitiveValue, value)) return remember(Object(primitiveValue(value)));
  }
  if (is(dateValue, value)) return remember(new RealDate(dateValue(value) as number));
  if (is(regExpSource, value)) return remember(new RegExp(regExpSource(value) as string, (value as RegExp).flags));
  if (is(byteLength, value)) return remember(cloneBuffer(value as ArrayBuffer));
  if (ArrayBuffer.isView(value)) {
    const name = (typedArrayName(value) as string | undefined) ?? "DataView";
    const buffer = clone(value.buffer, memory) as ArrayBuffer;
    const length = name === "DataView" ? value.byteLength : (value as Uint8Array).length;
    return remember(new views[name](buffer, value.byteOffset, length));
  }
  if (is(mapSize, value)) {
    const copy = remember(new Map());
    const entries: [unknown, unknown][] = [];
    mapForEach(value, (v: unknown, k: unknown) => entries.push([k, v]));
    for (const [k, v] of entries) copy.set(clone(k, memory), clone(v, memory));
    return copy;
  }
  if (is(setSize, value)) {
    const copy = remember(new Set());
    const items: unknown[] = [];
    setForEach(value, (v: unknown) => items.push(v));
    for (const item of items) copy.add(clone(item, memory));
    return copy;
  }
  if (value instanceof DOMException) return remember(new DOMException(value.message, value.name));
  if (value instanceof Error) {
    const name = String(value.name);
    const copy = remember(new (Object.hasOwn(errors, name) ? errors[name] : Error)(Object.hasOwn(value, "message") ? String(value.message) : ""));
    if (value.stack !== undefined) copy.stack = String(value.stack);
    if (Object.hasOwn(value, "cause")) copy.cause = clone(value.cause, memory);
    return copy;
  }
  for (let proto = getPrototypeOf(value); proto; proto = getPrototypeOf(proto)) {
    if (platformPrototypes.has(proto)) throw cannotClone(value);
  }
  const copy = remember(Array.isArray(value) ? new Array(value.length) : {}) as Record<string, unknown>;
  for (const key of keys(value)) copy[key] = clone((value as Record<string, unknown>)[key], memory);
  return copy;
}

/**
 * A deep copy by the HTML structured clone algorithm: Map, Set, Date, RegExp,
 * ArrayBuffer and views, Error, wrappers, cycles. Functions, symbols and
 * platform objects throw a DataCloneError.
 */
export function structuredClone<T>(value: T, options?: { transfer?: Iterable<unknown> }): T {
  if (arguments.length === 0) throw new TypeError("structuredClone: 1 argument required, but only 0 present");
  const memory = new Map<object, unknown>();
  const transfer = options?.transfer === undefined ? [] : [...options.transfer];
  for (const item of transfer) {
    if (typeof item !== "object" || item === null || !is(byteLength, item)) {
      throw new DOMException("structuredClone: value not transferable (only ArrayBuffers can be transferred)", "DataCloneError");
    }
    if (memory.has(item)) throw new DOMException("structuredClone: an ArrayBuffer appears twice in the transfer list", "DataCloneError");
    memory.set(item, cloneBuffer(item as ArrayBuffer));
  }
  return clone(value, memory) as T;
}
