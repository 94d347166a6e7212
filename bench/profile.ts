/** @module Reads a V8 .cpuprofile and ranks functions by self time (sampled time spent in the function itself). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of the profile. */
export interface SelfTime {
  fn: string;
  /** file:line, relative to the repository; "" for V8's own entries like (garbage collector). */
  where: string;
  ms: number;
  /** Of all non-idle samples. */
  percent: number;
}

const sourceMaps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  if (!sourceMaps.has(file)) {
    const mapFile = `${file}.map`;
    sourceMaps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, "utf8")) as ConstructorParameters<typeof SourceMap>[0]) : null);
  }
  return sourceMaps.get(file)!;
}

/** file:line of a call frame, mapped back to the TypeScript source when the file has a source map (dist/ does). */
function location(url: string, line: number, column: number): string {
  if (!url.startsWith("file://")) return url ? `${url}:${line + 1}` : "";
  const file = fileURLToPath(url);
  const entry = sourceMapOf(file)?.findEntry(line, column);
  if (entry && "originalSource" in entry && entry.originalSource) {
    const source = entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : join(file, "..", entry.originalSource);
    return `${relative(process.cwd(), source)}:${entry.originalLine + 1}`;
  }
  return `${relative(process.cwd(), file)}:${line + 1}`;
}

/** The `top` functions by self time, idle excluded. */
export function topSelfTime(file: string, top = 12): { totalMs: number; functions: SelfTime[] } {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byKey = new Map<string, SelfTime>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === "(idle)") return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const fn = node.callFrame.functionName || "(anonymous)";
    const where = location(node.callFrame.url, node.callFrame.lineNumber, node.callFrame.columnNumber);
    const key = `${fn} ${where}`;
    const entry = byKey.get(key) ?? { fn, where, ms: 0, percent: 0 };
    entry.ms += ms;
    byKey.set(key, entry);
    totalMs += ms;
  });
  const functions = [...byKey.values()].sort((a, b) => b.ms - a.ms).slice(0, top);
  for (const entry of functions) entry.percent = (100 * entry.ms) / totalMs;
  return { totalMs, functions };
}

/**
 * The main thread's profile in a --cpu-prof directory. Node names them
 * CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main
 * thread (the others are loader-hook workers such as tsx's).
 */
export function mainThreadProfile(dir: string, pid: number): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const name = names.find((n) => n.endsWith(".cpuprofile") && n.includes(`.${pid}.0.`));
  return name && join(dir, name);
}
