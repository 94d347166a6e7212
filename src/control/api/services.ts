/**
 * @module Everything the control API acts on, opened on one substrate view:
 * the stores, rollouts, the traffic window, the tail hub, the upload check.
 */
import type { SubstrateView } from "../../substrate/types.js";
import { TokenStore } from "../auth/token-store.js";
import { RollbackMonitor } from "../rollouts/rollback-monitor.js";
import { Rollouts } from "../rollouts/rollouts.js";
import { SecretStore } from "../secrets/secret-store.js";
import { DeploymentStore } from "../store/deployment-store.js";
import { VersionStore } from "../store/version-store.js";
import { TailHub } from "../tail/tail-hub.js";
import { TrafficWindow } from "../traffic/traffic-window.js";
import { UploadChecker } from "../versions/check-upload.js";
import { networkAreas, type NetworkAreas } from "./network-areas.js";

export interface ControlServices {
  versions: VersionStore;
  deployments: DeploymentStore;
  rollouts: Rollouts;
  tokens: TokenStore;
  secrets: SecretStore;
  traffic: TrafficWindow;
  tails: TailHub;
  uploads: UploadChecker;
  monitor: RollbackMonitor;
  /** KV and purge for admin tokens (`/v1/areas/…`). */
  areas: NetworkAreas;
  close(): Promise<void>;
}

/** `dataDir`: where the control plane keeps its KV replicas (absent: in memory). */
export async function openControlServices(view: SubstrateView, secretsKey: Buffer, dataDir?: string): Promise<ControlServices> {
  const [versions, deployments, tokens, secrets, traffic] = await Promise.all([VersionStore.open(view), DeploymentStore.open(view), TokenStore.open(view), SecretStore.open(view, secretsKey), TrafficWindow.start(view)]);
  const rollouts = new Rollouts(versions, deployments);
  const monitor = await RollbackMonitor.start(rollouts, traffic);
  const tails = new TailHub(view);
  const uploads = new UploadChecker();
  const areas = networkAreas(view, dataDir);
  return {
    versions,
    deployments,
    rollouts,
    tokens,
    secrets,
    traffic,
    tails,
    uploads,
    monitor,
    areas,
    async close() {
      uploads.close();
      await areas.close();
      await monitor.close();
      await tails.close();
      await Promise.all([versions.close(), deployments.close(), tokens.close(), secrets.close(), traffic.close()]);
    },
  };
}
