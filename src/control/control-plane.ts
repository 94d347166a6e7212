/**
 * @module The control plane: the API and dashboard server over the stores,
 * on one substrate view. It shares nothing with the PoPs but the substrate,
 * so it runs the same beside embedded PoPs or against a NATS cluster.
 */
import type { SubstrateView } from "../substrate/types.js";
import { ControlApi } from "./api/api-server.js";
import { openControlServices, type ControlServices } from "./api/services.js";

export interface ControlPlaneOptions {
  view: SubstrateView;
  port: number;
  hostname?: string;
  secretsKey: Buffer;
  /** Where the control plane keeps its KV replicas (for `verge kv --api`); absent: in memory. */
  dataDir?: string;
}

export class ControlPlane {
  private constructor(
    readonly api: ControlApi,
    readonly services: ControlServices,
  ) {}

  static async start(options: ControlPlaneOptions): Promise<ControlPlane> {
    const services = await openControlServices(options.view, options.secretsKey, options.dataDir);
    try {
      return new ControlPlane(await ControlApi.start({ port: options.port, hostname: options.hostname, services }), services);
    } catch (error) {
      await services.close();
      throw error;
    }
  }

  get url(): string {
    return this.api.url;
  }

  /** The first admin token of the network, made now; null when one was made before. */
  bootstrapToken(): Promise<string | null> {
    return this.services.tokens.bootstrap().then((made) => made?.token ?? null);
  }

  async close(): Promise<void> {
    await this.api.close();
    await this.services.close();
  }
}
