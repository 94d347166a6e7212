/**
 * Types for the part of `cloudflare:workers` this example uses. Verge
 * provides the module itself when it bundles the worker; these declarations
 * only let TypeScript check the code, without an npm dependency.
 * (`interface` + `var` rather than `declare class`, so that they merge with
 * other examples' declarations of the same module in one program.)
 */
declare module "cloudflare:workers" {
  /** `ctx.storage`: the object's own strongly consistent storage, and its alarm. */
  export interface DurableObjectStorage {
    get<T = unknown>(key: string): Promise<T | undefined>;
    put(key: string, value: unknown): Promise<void>;
    /** Deletes every key, and the alarm. */
    deleteAll(): Promise<void>;
    /** The alarm's time in ms since the epoch, or null. */
    getAlarm(): Promise<number | null>;
    setAlarm(scheduledTime: number | Date): Promise<void>;
  }
  export interface DurableObjectState {
    readonly storage: DurableObjectStorage;
  }
  /** The base class of Durable Object classes: it keeps `ctx` and `env`. */
  export interface DurableObject<Env = unknown> {
    readonly ctx: DurableObjectState;
    readonly env: Env;
  }
  // eslint-disable-next-line no-var -- an ambient value that merges with the interface above
  export var DurableObject: abstract new <Env = unknown>(ctx: DurableObjectState, env: Env) => DurableObject<Env>;
}
