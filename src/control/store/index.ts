export { DeploymentStore, DEPLOYMENTS_BUCKET, checkAutoRollback, checkDeployment, decodeDeployment, type AutoRollback, type Deployment, type RolledBack, type Share, type StoredDeployment } from "./deployment-store.js";
export { checkVersionId, checkWorkerName } from "./names.js";
export { KEPT_VERSIONS, MAX_BUNDLE_BYTES, VersionStore, VERSIONS_BUCKET, versionIdOf, type Version, type VersionConfig, type VersionMeta } from "./version-store.js";
