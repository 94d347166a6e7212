/**
 * @module The PoPs of the network and their regions, as each PoP announces
 * itself in the substrate bucket `do-pops` (key `pop.<name>`). Used to send a
 * new object with a location hint to the PoP nearest to it.
 */
import type { Bucket, Subscription, BucketChange, SubstrateView } from "../../../substrate/types.js";
import { greatCircleKm, isRegionName, region } from "../../../regions/index.js";
import { hintPosition } from "./location-hints.js";

const BUCKET = "do-pops";
const PREFIX = "pop.";

export class PopRegistry {
  readonly #regions = new Map<string, string>();
  readonly #bucket: Bucket;
  readonly #watch: Subscription<BucketChange>;

  private constructor(bucket: Bucket, watch: Subscription<BucketChange>) {
    this.#bucket = bucket;
    this.#watch = watch;
    void this.#follow();
  }

  static async open(view: SubstrateView): Promise<PopRegistry> {
    const bucket = await view.bucket(BUCKET);
    await bucket.put(`${PREFIX}${view.pop}`, new TextEncoder().encode(view.region));
    const registry = new PopRegistry(bucket, await bucket.watch(PREFIX));
    registry.#regions.set(view.pop, view.region);
    return registry;
  }

  async #follow(): Promise<void> {
    try {
      for await (const change of this.#watch) {
        const pop = change.key.slice(PREFIX.length);
        if (change.op === "put") this.#regions.set(pop, new TextDecoder().decode(change.value));
        else this.#regions.delete(pop);
      }
    } catch {
      // The substrate closed: the registry keeps what it knew.
    }
  }

  /** The known PoP nearest to where `hint` points (null when no PoP's region is known). */
  popFor(hint: string): string | null {
    const [latitude, longitude] = hintPosition(hint);
    let best: string | null = null;
    let bestKm = Infinity;
    for (const [pop, name] of this.#regions) {
      if (!isRegionName(name)) continue;
      const place = region(name);
      const km = greatCircleKm(latitude, longitude, place.latitude, place.longitude);
      if (km < bestKm) [best, bestKm] = [pop, km];
    }
    return best;
  }

  async close(): Promise<void> {
    await this.#watch.close();
    await this.#bucket.close();
  }
}
