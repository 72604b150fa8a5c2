import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildCatalog, type Catalog } from "../../src/catalog/index.ts";
import { type CorpusLoadResult, loadCorpus } from "../../src/corpus/index.ts";
import type { CorpusSources } from "../../src/corpus/sources/index.ts";
import { IndexSnapshots, type IndexSnapshotsOptions, type SnapshotLog } from "../../src/snapshot/index.ts";

export const QUERIES = [
  "kv cache",
  "speculative decoding",
  "attention",
  '"language models"',
  "transformr",
  "diffusion mod",
  "author:wang",
  "cat:cs.CL reasoning",
];

/** A temp folder with a copy of the seed corpus as `papers.txt`; `cleanup` removes it. */
export async function tempCorpus(): Promise<{ dir: string; file: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "snapshot-test-"));
  const file = path.join(dir, "papers.txt");
  await copyFile(path.resolve("data", "papers.txt"), file);
  return { dir, file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface Lines extends SnapshotLog {
  readonly warnings: string[];
}

export function collectLines(): Lines {
  const warnings: string[] = [];
  return {
    warnings,
    warn: (_data, message) => void warnings.push(message ?? ""),
    info: () => undefined,
    debug: () => undefined,
  };
}

export function snapshotsIn(
  dir: string,
  lines: Lines,
  options: Partial<IndexSnapshotsOptions> = {},
): IndexSnapshots {
  return new IndexSnapshots({
    cwd: dir,
    sourcesCacheDir: path.join(dir, "data", "cache", "sources"),
    delayMs: 0,
    minPapers: 0,
    log: lines,
    ...options,
  });
}

/** What the app does at start-up: the snapshot if it matches, else a load and a build, then a write. */
export async function startUp(
  snapshots: IndexSnapshots,
  spec: string,
  cwd: string,
  sources?: CorpusSources,
): Promise<{ corpus: CorpusLoadResult; catalog: Catalog; fromSnapshot: boolean }> {
  const starting = await snapshots.start(spec);
  if (starting.restored !== undefined) return { ...starting.restored, fromSnapshot: true };
  const corpus = await loadCorpus(spec, { cwd, ...(sources !== undefined && { sources }) });
  const catalog = buildCatalog(corpus.papers);
  snapshots.track(corpus, starting.fingerprint);
  snapshots.offer(catalog);
  await snapshots.settled();
  return { corpus, catalog, fromSnapshot: false };
}

/** The search answers, as plain data to compare. */
export function answers(catalog: Catalog): unknown[] {
  return QUERIES.map((query) => JSON.parse(JSON.stringify(catalog.index.search(query, { limit: 10 }))));
}
