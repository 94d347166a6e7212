/** @module The flags document: its shape, its validation, and the variant a user gets. */

/** One flag: its variants, the default, per-user overrides and an optional percentage rollout. */
export interface Flag {
  variants: string[];
  default: string;
  /** User id to variant: wins over everything else. */
  users?: Record<string, string>;
  /** Users whose bucket (SHA-256 of `<flag>:<user>` mod 100) is below `percent` get `variant`. */
  rollout?: { variant: string; percent: number };
}

/** What the admin route stores under the KV key `flags`. */
export interface FlagsDocument {
  flags: Record<string, Flag>;
}

export const FLAGS_KEY = "flags";
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_FLAGS = 100;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The document if it is valid, or a message naming the first problem.
 * @example validateDocument({ flags: { theme: { variants: ["light", "dark"], default: "light" } } }).ok // true
 */
export function validateDocument(value: unknown): { ok: true; document: FlagsDocument } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  if (!isRecord(value) || !isRecord(value.flags)) return fail("the body must be a JSON object with a `flags` object");
  const entries = Object.entries(value.flags);
  if (entries.length > MAX_FLAGS) return fail(`at most ${MAX_FLAGS} flags: received ${entries.length}`);
  for (const [name, flag] of entries) {
    if (!NAME.test(name)) return fail(`flag name ${JSON.stringify(name)} must be 1 to 64 characters of A-Z a-z 0-9 _ -, starting with a letter or digit`);
    if (!isRecord(flag)) return fail(`flags.${name} must be an object`);
    const { variants } = flag;
    if (!Array.isArray(variants) || variants.length === 0 || !variants.every((v) => typeof v === "string" && NAME.test(v))) {
      return fail(`flags.${name}.variants must be a non-empty array of names`);
    }
    const known = (v: unknown): boolean => typeof v === "string" && variants.includes(v);
    if (!known(flag.default)) return fail(`flags.${name}.default must be one of its variants`);
    if (flag.users !== undefined && (!isRecord(flag.users) || !Object.values(flag.users).every(known))) {
      return fail(`flags.${name}.users must map user ids to its variants`);
    }
    if (flag.rollout !== undefined) {
      const { rollout } = flag;
      if (!isRecord(rollout) || !known(rollout.variant) || typeof rollout.percent !== "number" || !Number.isInteger(rollout.percent) || rollout.percent < 0 || rollout.percent > 100) {
        return fail(`flags.${name}.rollout must be { variant: one of its variants, percent: an integer 0-100 }`);
      }
    }
  }
  return { ok: true, document: value as unknown as FlagsDocument };
}

/**
 * The user's bucket for a flag, 0-99: the first 32 bits of SHA-256(`<flag>:<user>`) mod 100.
 * @example await bucketOf("checkout", "alice") // always the same number
 */
export async function bucketOf(flag: string, userId: string): Promise<number> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${flag}:${userId}`));
  return new DataView(digest).getUint32(0) % 100;
}

/**
 * The variant of one flag for a user: their override, else the rollout if
 * their bucket falls in it, else the default. Anonymous users (null) get the default.
 */
export async function variantFor(name: string, flag: Flag, userId: string | null): Promise<string> {
  if (userId === null) return flag.default;
  const override = flag.users && Object.hasOwn(flag.users, userId) ? flag.users[userId] : undefined;
  if (override !== undefined) return override;
  if (flag.rollout && (await bucketOf(name, userId)) < flag.rollout.percent) return flag.rollout.variant;
  return flag.default;
}

/** Every flag's variant for a user, in the document's order. */
export async function evaluate(document: FlagsDocument | null, userId: string | null): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const [name, flag] of Object.entries(document?.flags ?? {})) result[name] = await variantFor(name, flag, userId);
  return result;
}
