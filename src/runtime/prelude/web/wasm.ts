/**
 * @module WebAssembly's promise-returning entry points (compile, instantiate,
 * compileStreaming, instantiateStreaming), compiling synchronously. V8 runs
 * asynchronous compilation as a platform task that isolated-vm never
 * completes (the promise never settles), and work outside an entry would
 * escape the CPU limit anyway; `new WebAssembly.Module` is charged to the request.
 */
type Imports = WebAssembly.Imports | undefined;
interface ResponseLike {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

const { Module, Instance } = WebAssembly;

async function compile(bytes: BufferSource): Promise<WebAssembly.Module> {
  return new Module(bytes);
}

async function instantiate(source: BufferSource | WebAssembly.Module, imports?: Imports): Promise<unknown> {
  if (source instanceof Module) return new Instance(source, imports);
  const module = new Module(source);
  return { module, instance: new Instance(module, imports) };
}

/** The bytes of a Response (or a promise of one), checked as the spec's streaming compile checks them. */
async function responseBytes(source: unknown, method: string): Promise<ArrayBuffer> {
  const response = (await source) as ResponseLike;
  if (typeof response?.arrayBuffer !== "function" || typeof response.headers?.get !== "function") {
    throw new TypeError(`WebAssembly.${method}: the argument must be a Response or a promise of one`);
  }
  const type = response.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/wasm") {
    throw new TypeError(`WebAssembly.${method}: the response's Content-Type must be application/wasm: received ${JSON.stringify(type ?? "")}`);
  }
  if (!response.ok) throw new TypeError(`WebAssembly.${method}: the response status must be 2xx: received ${response.status}`);
  return response.arrayBuffer();
}

/** Replaces the asynchronous entry points of the isolate's WebAssembly namespace. */
export function installWebAssembly(): void {
  const replacements: Record<string, unknown> = {
    compile,
    instantiate,
    compileStreaming: async (source: unknown) => compile(await responseBytes(source, "compileStreaming")),
    instantiateStreaming: async (source: unknown, imports?: Imports) => instantiate(await responseBytes(source, "instantiateStreaming"), imports),
  };
  for (const [name, value] of Object.entries(replacements)) {
    Object.defineProperty(value, "name", { value: name });
    const enumerable = Object.getOwnPropertyDescriptor(WebAssembly, name)?.enumerable ?? false;
    Object.defineProperty(WebAssembly, name, { value, writable: true, configurable: true, enumerable });
  }
}
