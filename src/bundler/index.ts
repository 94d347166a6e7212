/** @module Public surface of src/bundler: worker entries bundled with esbuild into one isolate script. */
export { type BundleOptions, bundleWorker, type WorkerBundle } from "./bundle.js";
export { formatSize } from "./failures.js";
