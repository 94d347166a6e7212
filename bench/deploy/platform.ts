/**
 * @module The deploy benchmark's platform, in the bench process as
 * `verge start` runs it: one embedded substrate at latency scale 1 with its
 * store in virginia, a control plane there, and PoPs following it; a client
 * for the control API with the admin token.
 */
import { randomBytes } from "node:crypto";
import { ControlPlane } from "../../src/control/control-plane.js";
import { followControlPlane, type PopFollower } from "../../src/control/follower/pop-follower.js";
import { Pop } from "../../src/pop/server.js";
import { createEmbeddedSubstrate } from "../../src/substrate/embedded/index.js";

/** The store's region, where the control plane stands too. */
export const HOME = "virginia";

export interface DeployPlatform {
  /** The PoPs by name, each in the region of its name. */
  pops: Record<string, Pop>;
  /** What the PoPs' followers reported (a version that did not load). */
  errors: string[];
  /** A control API call with the admin token; fails unless it answers `status`. */
  call(method: string, path: string, body: unknown, status: number): Promise<unknown>;
  close(): Promise<void>;
}

export async function startDeployPlatform(names: string[]): Promise<DeployPlatform> {
  const substrate = createEmbeddedSubstrate({ latencyScale: 1, home: HOME });
  const secretsKey = randomBytes(32);
  const pops: Record<string, Pop> = {};
  const followers: PopFollower[] = [];
  const errors: string[] = [];
  let control: ControlPlane | undefined;
  const close = async () => {
    await Promise.all(followers.map((follower) => follower.close()));
    await control?.close();
    await Promise.all(Object.values(pops).map((pop) => pop.close(1000)));
    await substrate.close();
  };
  try {
    control = await ControlPlane.start({ view: substrate.forPop("control", { region: HOME }), port: 0, secretsKey });
    for (const name of names) {
      pops[name] = await Pop.start({ name, region: name, substrate: substrate.forPop(name, { region: name }), port: 0, poolSize: 1 });
      followers.push(await followControlPlane(pops[name], { secretsKey, onError: (message) => errors.push(message) }));
    }
    const token = await control.bootstrapToken();
    if (token === null) throw new Error("The control plane made no admin token: its store already had one");
    const api = control.url;
    const call = async (method: string, path: string, body: unknown, status: number) => {
      const res = await fetch(`${api}${path}`, { method, headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      const text = await res.text();
      if (res.status !== status) throw new Error(`${method} ${path} answered ${res.status} ${text.slice(0, 200)}, expected ${status}`);
      return JSON.parse(text) as unknown;
    };
    return { pops, errors, call, close };
  } catch (error) {
    await close();
    throw error;
  }
}
