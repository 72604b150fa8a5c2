import path from "node:path";
import { type FSWatcher, watch } from "chokidar";
import { log } from "../log.ts";
import { CorpusError } from "./corpus-error.ts";
import { CORPUS_EXTENSIONS, describeEntry, resolveSpec, type SpecEntry, splitSpec } from "./resolve-spec.ts";

export interface WatchCorpusOptions {
  /** Folder that relative CORPUS entries start from; default process.cwd(). */
  readonly cwd?: string;
  /** Quiet time after the last change before `onChange` runs; an editor's save is several events. */
  readonly debounceMs?: number;
}

export interface CorpusWatcher {
  /** Settles once the watchers have scanned their folders; changes before that may go unnoticed. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `onChange` (debounced) when a file of CORPUS changes, appears or disappears: named files, corpus
 * files in named folders, and files matching globs. Only reports; the caller reloads (with `previous`,
 * so that a half-written file keeps its last good papers until the next change completes it).
 */
export function watchCorpus(
  spec: string,
  options: WatchCorpusOptions,
  onChange: () => void | Promise<void>,
): CorpusWatcher {
  const cwd = options.cwd ?? process.cwd();
  const debounceMs = options.debounceMs ?? 300;
  const entries = splitSpec(spec).map((raw) => describeEntry(raw, cwd));
  if (entries.length === 0) throw new CorpusError("CORPUS: names no file, folder or glob");

  const namedFiles = new Set(entries.filter((entry) => entry.kind === "file").map((entry) => entry.base));
  const folders = entries.filter((entry) => entry.kind === "folder").map((entry) => entry.base);
  const globBases = entries.filter((entry) => entry.kind === "glob").map((entry) => entry.base);
  const parents = parentsOf(entries);
  // Files the spec matched at the last check: a change to one matters even if it no longer matches.
  let known = new Set<string>();

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const mightMatter = (file: string): boolean =>
    namedFiles.has(file) ||
    known.has(file) ||
    globBases.some((base) => isInside(file, base)) ||
    (folders.some((folder) => isInside(file, folder)) && hasCorpusExtension(file));

  const flush = async () => {
    timer = undefined;
    const changed = [...pending];
    pending.clear();
    const now = await currentFiles(spec, cwd);
    const relevant = changed.some((file) => namedFiles.has(file) || known.has(file) || now.has(file));
    known = now;
    if (!relevant || closed) return;
    try {
      await onChange();
    } catch (error) {
      log.error({ err: error }, "corpus change handler failed");
    }
  };

  const onEvent = (_event: string, changedPath: string) => {
    const file = path.resolve(cwd, changedPath);
    if (closed || !mightMatter(file)) return;
    pending.add(file);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void flush(), debounceMs);
  };

  const roots = [...folders, ...globBases];
  const ignored = (candidate: string) => {
    const file = path.resolve(cwd, candidate);
    // A named file is watched even when it is itself hidden (CORPUS=.papers.txt).
    return !namedFiles.has(file) && isHiddenOrVendored(file, [...roots, ...parents]);
  };
  // Two watchers because chokidar's depth is per watcher: named files need only their own folder, not
  // everything below it (data/ may also hold the SQLite store and caches).
  const watchers: FSWatcher[] = [];
  if (parents.length > 0) watchers.push(watch(parents, { ignoreInitial: true, depth: 0, ignored }));
  if (roots.length > 0) watchers.push(watch(roots, { ignoreInitial: true, ignored }));
  for (const watcher of watchers) {
    watcher.on("all", onEvent);
    watcher.on("error", (error) => log.warn({ err: error }, "corpus watcher error"));
  }
  const ready = Promise.all([
    currentFiles(spec, cwd).then((files) => {
      for (const file of files) known.add(file);
    }),
    ...watchers.map((watcher) => new Promise<void>((resolve) => watcher.once("ready", () => resolve()))),
  ]).then(() => undefined);

  return {
    ready,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      await Promise.all(watchers.map((watcher) => watcher.close()));
    },
  };
}

async function currentFiles(spec: string, cwd: string): Promise<Set<string>> {
  try {
    return new Set((await resolveSpec(spec, cwd)).files);
  } catch {
    return new Set();
  }
}

function parentsOf(entries: readonly SpecEntry[]): string[] {
  const named = entries.filter((entry) => entry.kind === "file");
  return [...new Set(named.map((entry) => path.dirname(entry.base)))];
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

function hasCorpusExtension(file: string): boolean {
  const extension = path.extname(file).slice(1).toLowerCase();
  return (CORPUS_EXTENSIONS as readonly string[]).includes(extension);
}

/** Dot-folders (.git) and node_modules below a watched root are never corpus; the root itself may be anywhere. */
function isHiddenOrVendored(candidate: string, roots: readonly string[]): boolean {
  for (const root of roots) {
    if (!isInside(candidate, root)) continue;
    const segments = path.relative(root, candidate).split(path.sep);
    if (segments.some((segment) => segment.startsWith(".") || segment === "node_modules")) return true;
  }
  return false;
}
