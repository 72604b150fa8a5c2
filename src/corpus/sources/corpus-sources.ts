import path from "node:path";
import type { Paper } from "../../core/paper.ts";
import { log } from "../../log.ts";
import { runStepsInSlices } from "../../runtime/steps.ts";
import type { NamePool } from "../build-paper.ts";
import { CorpusError } from "../corpus-error.ts";
import { readCorpusFile } from "../read-corpus-file.ts";
import { type ErrorData, errorFrom } from "./error-data.ts";
import { clearFailureStreak, readFailureStreak, writeFailureStreak } from "./failure-streak.ts";
import type { FetchSourceOptions } from "./fetch-source.ts";
import { MAX_PAPERS_PER_SOURCE, mergeSourcePapersSteps } from "./merge-source-papers.ts";
import type { SourceFormat } from "./read-source-body.ts";
import type { RefreshRequest, RefreshResult } from "./refresh-source.ts";
import { type CachedMeta, type CachePaths, cachePaths, readCachedMeta, writeCache } from "./source-cache.ts";
import type { SourceStatus } from "./source-status.ts";
import { SourceWorkerError, sourceWorker } from "./source-worker-client.ts";
import { userAgent } from "./user-agent.ts";

const sourceLog = log.child({ module: "sources" });

export interface CorpusSourcesOptions {
  /** Where each source's last good papers and validators live; default data/cache/sources under cwd. */
  readonly cacheDir?: string;
  /** Timeout, retries, backoff, size cap and User-Agent of every fetch. */
  readonly fetch?: Omit<FetchSourceOptions, "validators" | "signal">;
  readonly maxPapersPerSource?: number;
  readonly now?: () => Date;
}

/** A source's papers as loadCorpus takes them. */
export interface SourceRead {
  readonly format: SourceFormat;
  readonly papers: readonly Paper[];
  readonly skipped: number;
  /** True while the latest refresh failed and these are the last good papers. */
  readonly stale: boolean;
}

export interface RefreshReport {
  /** Sources whose papers changed: the catalog needs a reload. */
  readonly changed: string[];
  readonly failed: string[];
}

interface SourceState {
  readonly url: string;
  readonly paths: CachePaths;
  meta: CachedMeta | undefined;
  papers: readonly Paper[];
  format: SourceFormat;
  skipped: number;
  /** Disk cache read once, at first use. */
  loaded: boolean;
  /** The cache file holds exactly `papers`, in order: the worker may build the next one from it. */
  cacheSynced: boolean;
  /** Work on one source runs one at a time: a reload reading it waits for a refresh writing it. */
  queue: Promise<unknown>;
  status: MutableStatus;
}

type MutableStatus = { -readonly [K in keyof SourceStatus]: SourceStatus[K] };

const REFRESH_CONCURRENCY = 4;

/**
 * The live sources of CORPUS (http/https URLs): each keeps every paper it has brought, in memory and
 * on disk, and only a good fetch changes them. Loading reads what is held (the network only when a
 * source has nothing yet); refresh() fetches, and says which sources changed.
 */
export class CorpusSources {
  readonly #cacheDir: string;
  readonly #fetch: Omit<FetchSourceOptions, "validators" | "signal">;
  readonly #max: number;
  readonly #now: () => Date;
  readonly #states = new Map<string, SourceState>();
  /** Aborted by close(): the fetches in flight end, and no new one starts for the calls made before it. */
  #closing = new AbortController();

  constructor(options: CorpusSourcesOptions = {}) {
    this.#cacheDir = options.cacheDir ?? path.resolve("data", "cache", "sources");
    this.#fetch = { userAgent: userAgent(), ...options.fetch };
    this.#max = options.maxPapersPerSource ?? MAX_PAPERS_PER_SOURCE;
    this.#now = options.now ?? (() => new Date());
  }

  /** Where the sources' caches are: what identifies a source's cached body (see source-cache.ts). */
  get cacheDir(): string {
    return this.#cacheDir;
  }

  /**
   * The source's papers: held ones, else the disk cache, else a fetch now. Throws a one-line
   * CorpusError only when the source has no paper at all (never fetched, nothing cached).
   */
  read(url: string, names?: NamePool): Promise<SourceRead> {
    const closing = this.#closing.signal;
    return this.#exclusive(url, async (state) => {
      await this.#loadCache(state, names);
      // Only the first read fetches; after a failure the scheduled refresh retries, so reloads never wait.
      if (state.papers.length === 0 && state.status.lastAttemptAt === undefined)
        await this.#refreshNow(state, closing);
      if (state.papers.length === 0) {
        throw new CorpusError(`CORPUS: ${url} ${state.status.lastError ?? "has no papers"}`, url);
      }
      const { format, papers, skipped } = state;
      return { format, papers, skipped, stale: state.status.consecutiveFailures > 0 };
    });
  }

  /**
   * Fetches each source (a few at a time); a failing one keeps its papers and is counted.
   * `onNewBody` is called whenever a source's fetched body differs from its last: it is being read,
   * and new papers may follow (the app starts the delta index worker then, so that its start overlaps
   * the reading instead of following it).
   */
  async refresh(
    urls: readonly string[],
    signal?: AbortSignal,
    onNewBody?: () => void,
  ): Promise<RefreshReport> {
    const changed: string[] = [];
    const failed: string[] = [];
    const pending = [...new Set(urls)];
    const closing = this.#closing.signal;
    const stop = signal === undefined ? closing : AbortSignal.any([signal, closing]);
    const worker = async () => {
      for (let url = pending.shift(); url !== undefined; url = pending.shift()) {
        if (stop.aborted) return;
        const result = await this.#exclusive(url, async (state) => {
          await this.#loadCache(state);
          return this.#refreshNow(state, stop, onNewBody);
        });
        if (result === "changed") changed.push(url);
        if (result === "failed") failed.push(url);
      }
    };
    await Promise.all(Array.from({ length: Math.min(REFRESH_CONCURRENCY, pending.length) }, worker));
    return { changed, failed };
  }

  /**
   * Records that the admins were told about the source's current run of failures, on disk too, so
   * neither a later refresh nor a restart tells them again; the source's next success clears it.
   * Does nothing when the source is not failing (it recovered meanwhile).
   */
  markFailureAnnounced(url: string, at: Date): Promise<void> {
    return this.#exclusive(url, async (state) => {
      if (state.status.failingSince === undefined) return;
      state.status.failureAnnouncedAt = at;
      await this.#saveStreak(state);
    });
  }

  /**
   * Cancels the fetches in flight (their sources fail with "cancelled", as at app shutdown), waits for
   * the work on every source to end, then ends the source worker thread unless another CorpusSources of
   * the process has a refresh in it. A later read or refresh starts it again.
   */
  async close(): Promise<void> {
    const closing = this.#closing;
    this.#closing = new AbortController();
    closing.abort();
    await Promise.all([...this.#states.values()].map((state) => state.queue));
    await sourceWorker.closeIfIdle();
  }

  /** Every source seen so far, in the order first seen. */
  status(): SourceStatus[] {
    return [...this.#states.values()].map((state) => ({ ...state.status, papers: state.papers.length }));
  }

  #exclusive<T>(url: string, work: (state: SourceState) => Promise<T>): Promise<T> {
    const state = this.#stateOf(url);
    const run = state.queue.then(() => work(state));
    state.queue = run.catch(() => undefined);
    return run;
  }

  #stateOf(url: string): SourceState {
    let state = this.#states.get(url);
    if (state === undefined) {
      state = {
        url,
        paths: cachePaths(this.#cacheDir, url),
        meta: undefined,
        papers: [],
        format: "json",
        skipped: 0,
        loaded: false,
        cacheSynced: false,
        queue: Promise.resolve(),
        status: { url, papers: 0, consecutiveFailures: 0, totalFailures: 0 },
      };
      this.#states.set(url, state);
    }
    return state;
  }

  async #loadCache(state: SourceState, names?: NamePool): Promise<void> {
    if (state.loaded) return;
    state.loaded = true;
    const streak = await readFailureStreak(state.paths.streak, state.url);
    if (streak !== undefined) {
      const status = state.status;
      status.failingSince = streak.failingSince;
      status.consecutiveFailures = streak.consecutiveFailures;
      status.lastError = streak.lastError;
      status.lastErrorAt = streak.lastErrorAt;
      if (streak.announcedAt !== undefined) status.failureAnnouncedAt = streak.announcedAt;
    }
    const meta = await readCachedMeta(state.paths, state.url);
    if (meta === undefined) return;
    try {
      const read = await readCorpusFile(state.paths.papers, state.url, names);
      state.papers = read.papers;
      state.cacheSynced = true;
      state.meta = meta;
      state.format = meta.format;
      sourceLog.info({ source: state.url, papers: read.papers.length }, "source papers read from cache");
    } catch (error) {
      // A damaged cache only costs a full fetch; without papers, no validators are sent.
      sourceLog.warn({ source: state.url, err: error }, "source cache unreadable; fetching afresh");
    }
  }

  async #refreshNow(
    state: SourceState,
    signal?: AbortSignal,
    onNewBody?: () => void,
  ): Promise<"changed" | "unchanged" | "failed"> {
    const attemptAt = this.#now();
    state.status.lastAttemptAt = attemptAt;
    const hasPapers = state.papers.length > 0;
    // The worker streams the old cache file, the latest papers in place of their old lines and new ones
    // appended, only while that file holds the papers held here; after a failed write the whole cache
    // is written from memory again, as before.
    const cache = !hasPapers ? "replace" : state.cacheSynced ? "merge" : "none";
    const result = await this.#inWorker(state, signal, onNewBody, {
      url: state.url,
      fetch: this.#fetch,
      ...(hasPapers && state.meta !== undefined
        ? { validators: state.meta.validators, previousBodyHash: state.meta.bodyHash }
        : {}),
      paths: state.paths,
      cache,
      maxPapers: this.#max,
      format: state.format,
      fetchedAt: attemptAt.toISOString(),
    });
    if (result.status === "failed") {
      await this.#failed(state, attemptAt, result.message);
      return "failed";
    }
    if (result.status === "not-modified") {
      await this.#succeeded(state, attemptAt);
      return "unchanged";
    }
    const meta: CachedMeta = {
      url: state.url,
      validators: result.validators,
      bodyHash: result.bodyHash,
      format: state.format,
      fetchedAt: attemptAt.toISOString(),
    };
    if (result.status === "same-body") {
      await this.#save(state, meta, state.papers, cache, result.cacheError);
      await this.#succeeded(state, attemptAt);
      return "unchanged";
    }
    if (result.warnings.length > 0) {
      sourceLog.warn(
        { source: state.url, skipped: result.skipped, first: result.warnings },
        "source records skipped",
      );
    }
    // Merging runs in slices: searches go on while a day's papers come in.
    const papers = await runStepsInSlices(mergeSourcePapersSteps(result.papers, state.papers, this.#max));
    state.format = result.format;
    state.skipped = result.skipped;
    await this.#save(state, { ...meta, format: result.format }, papers, cache, result.cacheError);
    state.papers = papers;
    await this.#succeeded(state, attemptAt);
    sourceLog.info(
      { source: state.url, fetched: result.papers.length, papers: papers.length, format: result.format },
      "source refreshed",
    );
    return "changed";
  }

  /**
   * Fetching, reading and caching run in the source worker (source-worker-client.ts): the main thread
   * answers commands. A worker that went away (close(), or it died) is a failed refresh of the source.
   */
  async #inWorker(
    state: SourceState,
    signal: AbortSignal | undefined,
    onNewBody: (() => void) | undefined,
    request: RefreshRequest,
  ): Promise<RefreshResult> {
    // Stopping: the fetch would be cancelled at once, so the worker is not asked (nor started again).
    if (signal?.aborted) return { status: "failed", message: "cancelled" };
    const synced = state.cacheSynced;
    // Until the worker answers, its write may have happened or not.
    if (request.cache !== "none") state.cacheSynced = false;
    try {
      const result = await sourceWorker.refresh(request, signal, onNewBody);
      // Nothing was written.
      if (result.status === "failed" || result.status === "not-modified") state.cacheSynced = synced;
      return result;
    } catch (error) {
      // The error boundary of a source: whatever its fetch, body or reader threw is this source's
      // counted failure, never the process's. Its other sources and every file go on.
      if (!(error instanceof SourceWorkerError))
        sourceLog.warn({ source: state.url, err: error }, "reading the source failed unexpectedly");
      return { status: "failed", message: oneLine(error) };
    }
  }

  /**
   * Holds the new meta and records how the cache write went: the worker's ("merge", "replace"), or
   * one done here from memory ("none").
   */
  async #save(
    state: SourceState,
    meta: CachedMeta,
    papers: readonly Paper[],
    cache: RefreshRequest["cache"],
    workerError: ErrorData | undefined,
  ): Promise<void> {
    state.meta = meta;
    let error: unknown = workerError === undefined ? undefined : errorFrom(workerError);
    if (cache === "none") {
      error = await writeCache(state.paths, meta, papers).then(
        () => undefined,
        (failure: unknown) => failure ?? new Error("unknown error"),
      );
    }
    state.cacheSynced = error === undefined;
    // The papers are held in memory all the same; only a restart without network would miss them.
    if (error !== undefined)
      sourceLog.error({ source: state.url, err: error }, "could not write the source cache");
  }

  async #succeeded(state: SourceState, at: Date): Promise<void> {
    const status = state.status;
    status.lastSuccessAt = at;
    status.consecutiveFailures = 0;
    if (status.failingSince === undefined) return;
    delete status.failingSince;
    // A recovery ends the streak: the next one counts its 24 hours afresh and is announced again.
    delete status.failureAnnouncedAt;
    await clearFailureStreak(state.paths.streak).catch((error: unknown) => {
      sourceLog.error({ source: state.url, err: error }, "could not remove the source's failure record");
    });
  }

  async #saveStreak(state: SourceState): Promise<void> {
    const { failingSince, lastError, lastErrorAt, consecutiveFailures, failureAnnouncedAt } = state.status;
    if (failingSince === undefined) return;
    await writeFailureStreak(state.paths.streak, {
      url: state.url,
      failingSince,
      consecutiveFailures,
      lastError: lastError ?? "unknown error",
      lastErrorAt: lastErrorAt ?? failingSince,
      ...(failureAnnouncedAt === undefined ? {} : { announcedAt: failureAnnouncedAt }),
    }).catch((error: unknown) => {
      // Only a restart would lose it: the streak would count afresh and might be announced twice.
      sourceLog.error({ source: state.url, err: error }, "could not save the source's failure record");
    });
  }

  async #failed(state: SourceState, at: Date, message: string): Promise<void> {
    const status = state.status;
    status.lastErrorAt = at;
    status.lastError = message;
    status.consecutiveFailures++;
    status.totalFailures++;
    status.failingSince ??= at;
    sourceLog.warn(
      {
        source: state.url,
        error: message,
        consecutiveFailures: status.consecutiveFailures,
        keptPapers: state.papers.length,
      },
      "source refresh failed; keeping its papers",
    );
    await this.#saveStreak(state);
  }
}

/** An error's message as one short line, for the source's status and its failure notice. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, " ").trim().slice(0, 200) || "unknown error";
}
