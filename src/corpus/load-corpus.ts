import nodePath from "node:path";
import type { Paper } from "../core/paper.ts";
import { plural } from "../core/text.ts";
import { log } from "../log.ts";
import { runSteps, runStepsInSlices } from "../runtime/steps.ts";
import { NamePool } from "./build-paper.ts";
import { CorpusError } from "./corpus-error.ts";
import {
  type DedupeCheckpoint,
  type DedupeResult,
  dedupeCheckpointSteps,
  dedupePapers,
} from "./dedupe-papers.ts";
import type { CorpusFormat } from "./detect-format.ts";
import { readCorpusFile } from "./read-corpus-file.ts";
import { resolveSpec, shownPath, splitSpec } from "./resolve-spec.ts";
import { CorpusSources } from "./sources/corpus-sources.ts";
import type { SourceFormat } from "./sources/read-source-body.ts";
import { TrailingDedupe } from "./trailing-dedupe.ts";

export interface CorpusFile {
  /** As shown in messages and in Paper.source: relative to cwd when inside it; a source's URL. */
  readonly path: string;
  /** The file's absolute path; a source's URL. */
  readonly absolutePath: string;
  readonly format: CorpusFormat | SourceFormat;
  /** The file's own papers in file order (rank 1..n), before duplicates across files are merged. */
  readonly papers: readonly Paper[];
  /** Records or lines dropped with a warning. */
  readonly skipped: number;
  /** Papers of this file dropped as copies of an earlier one (same id or same normalised title). */
  readonly duplicates: number;
  /**
   * True when this load could not read the file and `papers` are the ones of the previous good load;
   * for a source, when its latest refresh failed and `papers` are its last good ones.
   */
  readonly stale: boolean;
}

export interface CorpusLoadResult {
  /** Every paper once, files in CORPUS order, each file's papers in its own order. */
  readonly papers: Paper[];
  readonly files: CorpusFile[];
  /** One line each: "file:line: message" (or "file: message"); each was also logged. */
  readonly warnings: string[];
}

export interface LoadCorpusOptions {
  /** Folder that relative CORPUS entries start from; default process.cwd(). */
  readonly cwd?: string;
  /**
   * The last good load, when reloading. A file that fails now keeps its papers from `previous` (with a
   * warning) and a folder or glob that matches nothing only warns, instead of throwing.
   */
  readonly previous?: CorpusLoadResult;
  /**
   * The live sources (http/https entries) and their papers; the app keeps one for its lifetime and
   * refreshes it on schedule. Default: a fresh one caching under data/cache/sources in `cwd`.
   */
  readonly sources?: CorpusSources;
}

/**
 * How a load with live sources was deduplicated: the checkpoint after the files before its first live
 * source (and those files), and the deduplication of the files from that source on.
 */
interface SavedDedupe {
  readonly files: readonly (readonly Paper[])[];
  readonly checkpoint: DedupeCheckpoint;
  /** Changed in place by the next refresh (see refreshSourcesOf), which takes it over. */
  readonly trailing: TrailingDedupe | undefined;
}

/**
 * The deduplication state of a load, kept with the load it was made for and handed on to the load
 * refreshed from it.
 */
const dedupes = new WeakMap<CorpusLoadResult, SavedDedupe>();

/**
 * Loads CORPUS (comma-separated files, folders, globs and http/https sources) into one deduplicated
 * list of papers. Without `previous` (start-up), any file with nothing usable or any entry matching
 * nothing throws a one-line CorpusError; with it (reload), only a corpus left with no paper at all
 * throws. A source never stops a load: one with no paper yet (network down, nothing cached) only warns.
 */
export async function loadCorpus(spec: string, options: LoadCorpusOptions = {}): Promise<CorpusLoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const { previous } = options;
  const warnings: string[] = [];
  const warn = (file: string, line: number | undefined, message: string, full?: string) => {
    warnings.push(full ?? (line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`));
    log.warn({ file, line }, message);
  };

  if (splitSpec(spec).length === 0) throw new CorpusError("CORPUS: names no file, folder or glob");
  const resolved = await resolveSpec(spec, cwd);
  for (const { entry, message } of resolved.unmatched) {
    if (previous === undefined) throw new CorpusError(`CORPUS: ${message}`, entry);
    warn(entry, undefined, message, `CORPUS: ${message}`);
  }

  const files: Array<Omit<CorpusFile, "duplicates">> = [];
  // One pool for the whole load: the same author in two files is one string.
  const names = new NamePool();
  const sources =
    resolved.urls.length === 0
      ? undefined
      : (options.sources ?? new CorpusSources({ cacheDir: nodePath.join(cwd, "data", "cache", "sources") }));
  const reads = await Promise.allSettled(
    resolved.inputs.map(async (input) => {
      if (input.kind === "file") return readCorpusFile(input.path, shownPath(input.path, cwd), names);
      // Its warnings were logged when it was fetched; a reload does not repeat them.
      const read = await (sources as CorpusSources).read(input.url, names);
      return { ...read, papers: read.papers as Paper[], warnings: [] };
    }),
  );
  reads.forEach((read, index) => {
    const input = resolved.inputs[index] as (typeof resolved.inputs)[number];
    const absolutePath = input.kind === "file" ? input.path : input.url;
    const path = input.kind === "file" ? shownPath(input.path, cwd) : input.url;
    if (read.status === "fulfilled") {
      const { format, papers, skipped, warnings: fileWarnings } = read.value;
      for (const warning of fileWarnings) warn(path, warning.line, warning.message);
      const stale = "stale" in read.value && read.value.stale === true;
      files.push({ path, absolutePath, format, papers, skipped, stale });
      return;
    }
    const error: unknown = read.reason;
    if (input.kind === "url") {
      // A source never stops a load, whatever it threw: it has no papers until a refresh brings some.
      const message =
        error instanceof CorpusError
          ? error.message
          : `CORPUS: ${path} ${String((error as Error)?.message ?? error)}`;
      warn(path, undefined, message, `${message}; skipped until a refresh brings papers`);
      return;
    }
    if (!(error instanceof CorpusError) || previous === undefined) throw error;
    const lastGood = previous.files.find(
      (file) => file.absolutePath === absolutePath && file.papers.length > 0,
    );
    if (lastGood === undefined) {
      warn(path, undefined, error.message, `${error.message}; skipped`);
      return;
    }
    const kept = `${error.message}; keeping its ${plural(lastGood.papers.length, "paper")} from the last good load`;
    warn(path, undefined, kept, kept);
    files.push({ ...lastGood, stale: true });
  });

  // With live sources, the files before the first one are deduplicated into a checkpoint and the rest
  // after it, into states that refreshes resume from (see refreshSourcesOf); it costs no more than
  // deduplicating them in one go.
  const urls = new Set(resolved.urls);
  const firstSource = files.findIndex((file) => urls.has(file.absolutePath));
  let saved: SavedDedupe | undefined;
  let deduped: DedupeResult;
  if (firstSource < 0) {
    deduped = dedupePapers(files.flatMap((file) => file.papers));
  } else {
    const leading = files.slice(0, firstSource).map((file) => file.papers);
    const checkpoint = runSteps(dedupeCheckpointSteps(leading));
    const rest = files.slice(firstSource).map((file) => file.papers);
    const trailing = runSteps(TrailingDedupe.scanSteps(checkpoint, rest));
    saved = { files: leading, checkpoint, trailing };
    deduped = runSteps(trailing.resultSteps());
  }
  const { papers, duplicatesBySource } = deduped;
  if (papers.length === 0) throw new CorpusError(`CORPUS: ${spec} has no papers (every file failed)`, spec);
  const result: CorpusLoadResult = {
    papers,
    files: files.map((file) => ({ ...file, duplicates: duplicatesBySource.get(file.path) ?? 0 })),
    warnings,
  };
  if (saved !== undefined) dedupes.set(result, saved);
  return result;
}

/**
 * The corpus after a refresh of the live sources `changed` brought new papers, without reading any file
 * again: those sources' papers as `sources` now holds them, every other entry's papers as `previous` has
 * them, deduplicated by the same rule as loadCorpus (see dedupe-papers.ts), in slices that let commands
 * run between them. The files before the first live source are resumed from the checkpoint loadCorpus
 * made of them (made here, once, if a file before the first source changed since); the files from there
 * on are brought up to date from the previous load's state, at a cost that grows with the papers that
 * changed, when the refresh left the sources as it usually does (see trailing-dedupe.ts), and are
 * deduplicated afresh otherwise.
 *
 * Undefined when a changed source is not among `previous`'s files (it had no paper at that load, so its
 * place in CORPUS order is unknown here): the caller reloads in full.
 */
export async function refreshSourcesOf(
  previous: CorpusLoadResult,
  changed: readonly string[],
  sources: CorpusSources,
): Promise<CorpusLoadResult | undefined> {
  const files = previous.files.slice();
  let first = files.length;
  for (const url of new Set(changed)) {
    const index = files.findIndex((file) => file.absolutePath === url);
    const file = files[index];
    if (file === undefined) return undefined;
    const read = await sources.read(url);
    files[index] = {
      ...file,
      format: read.format,
      papers: read.papers,
      skipped: read.skipped,
      stale: read.stale,
    };
    first = Math.min(first, index);
  }
  // The saved checkpoint serves while the files it covers come before every changed one, unchanged.
  let saved = dedupes.get(previous);
  if (
    saved === undefined ||
    saved.files.length > first ||
    saved.files.some((papers, index) => papers !== files[index]?.papers)
  ) {
    const leading = files.slice(0, first).map((file) => file.papers);
    const checkpoint = await runStepsInSlices(dedupeCheckpointSteps(leading));
    saved = { files: leading, checkpoint, trailing: undefined };
  }
  // The files from there on: brought up to date where only some papers changed and others came at
  // the ends of the sources (as a refresh leaves them), deduplicated afresh otherwise. The state
  // moves to the new load, so the previous one no longer has it.
  dedupes.delete(previous);
  const trailingFiles = files.slice(saved.files.length).map((file) => file.papers);
  let trailing = saved.trailing;
  if (trailing === undefined || !(await runStepsInSlices(trailing.updateSteps(trailingFiles))))
    trailing = await runStepsInSlices(TrailingDedupe.scanSteps(saved.checkpoint, trailingFiles));
  const { papers, duplicatesBySource } = await runStepsInSlices(trailing.resultSteps());
  const refreshed: CorpusLoadResult = {
    papers,
    files: files.map((file) => ({ ...file, duplicates: duplicatesBySource.get(file.path) ?? 0 })),
    warnings: [],
  };
  dedupes.set(refreshed, { ...saved, trailing });
  return refreshed;
}
