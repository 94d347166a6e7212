/**
 * @module Watching a worker's source files: one fs.watch per directory,
 * debounced, node_modules ignored.
 */
import { watch, type FSWatcher } from "node:fs";
import { dirname } from "node:path";

const DEBOUNCE_MS = 100;

/** Calls `onChange` (debounced) when any of `files` changes; returns a stop function. */
export function watchFiles(files: string[], onChange: () => void): () => void {
  const wanted = new Set(files.filter((file) => !file.includes("/node_modules/")));
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  for (const dir of new Set([...wanted].map((file) => dirname(file)))) {
    try {
      watchers.push(
        watch(dir, (_event, name) => {
          if (name !== null && !wanted.has(`${dir}/${name}`)) return;
          clearTimeout(timer);
          timer = setTimeout(onChange, DEBOUNCE_MS);
        }),
      );
    } catch {
      // A directory that vanished is picked up again at the next reload.
    }
  }
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
