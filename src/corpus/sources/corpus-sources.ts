import path from "node:path";
import { log } from "../../log.ts";
import type { Paper } from "../../paper.ts";
import { runStepsInSlices } from "../../steps.ts";
import type { NamePool } from "../build-paper.ts";
import { CorpusError } from "../corpus-error.ts";
import { readCorpusFile } from "../read-corpus-file.ts";
import { clearFailureStreak, readFailureStreak, writeFailureStreak } from "./failure-streak.ts";
import { type FetchSourceOptions, fetchSource, SourceFetchError } from "./fetch-source.ts";
import { MAX_PAPERS_PER_SOURCE, mergeSourcePapersSteps } from "./merge-source-papers.ts";
import { readSourceBodyInSlices, SourceBodyError, type SourceFormat } from "./read-source-body.ts";
import {
  type CachedMeta,
  type CachePaths,
  cachePaths,
  hashBody,
  readCachedMeta,
  writeCache,
} from "./source-cache.ts";
import type { SourceStatus } from "./source-status.ts";
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

  constructor(options: CorpusSourcesOptions = {}) {
    this.#cacheDir = options.cacheDir ?? path.resolve("data", "cache", "sources");
    this.#fetch = { userAgent: userAgent(), ...options.fetch };
    this.#max = options.maxPapersPerSource ?? MAX_PAPERS_PER_SOURCE;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * The source's papers: held ones, else the disk cache, else a fetch now. Throws a one-line
   * CorpusError only when the source has no paper at all (never fetched, nothing cached).
   */
  read(url: string, names?: NamePool): Promise<SourceRead> {
    return this.#exclusive(url, async (state) => {
      await this.#loadCache(state, names);
      // Only the first read fetches; after a failure the scheduled refresh retries, so reloads never wait.
      if (state.papers.length === 0 && state.status.lastAttemptAt === undefined)
        await this.#refreshNow(state);
      if (state.papers.length === 0) {
        throw new CorpusError(`CORPUS: ${url} ${state.status.lastError ?? "has no papers"}`, url);
      }
      const { format, papers, skipped } = state;
      return { format, papers, skipped, stale: state.status.consecutiveFailures > 0 };
    });
  }

  /** Fetches each source (a few at a time); a failing one keeps its papers and is counted. */
  async refresh(urls: readonly string[], signal?: AbortSignal): Promise<RefreshReport> {
    const changed: string[] = [];
    const failed: string[] = [];
    const pending = [...new Set(urls)];
    const worker = async () => {
      for (let url = pending.shift(); url !== undefined; url = pending.shift()) {
        if (signal?.aborted) return;
        const result = await this.#exclusive(url, async (state) => {
          await this.#loadCache(state);
          return this.#refreshNow(state, signal);
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
      state.meta = meta;
      state.format = meta.format;
      sourceLog.info({ source: state.url, papers: read.papers.length }, "source papers read from cache");
    } catch (error) {
      // A damaged cache only costs a full fetch; without papers, no validators are sent.
      sourceLog.warn({ source: state.url, err: error }, "source cache unreadable; fetching afresh");
    }
  }

  async #refreshNow(state: SourceState, signal?: AbortSignal): Promise<"changed" | "unchanged" | "failed"> {
    const attemptAt = this.#now();
    state.status.lastAttemptAt = attemptAt;
    const hasPapers = state.papers.length > 0;
    try {
      const outcome = await fetchSource(state.url, {
        ...this.#fetch,
        ...(hasPapers && state.meta !== undefined ? { validators: state.meta.validators } : {}),
        ...(signal === undefined ? {} : { signal }),
      });
      if (outcome.status === "not-modified") {
        await this.#succeeded(state, attemptAt);
        return "unchanged";
      }
      const bodyHash = hashBody(outcome.body);
      const meta: CachedMeta = {
        url: state.url,
        validators: outcome.validators,
        bodyHash,
        format: state.format,
        fetchedAt: attemptAt.toISOString(),
      };
      if (hasPapers && bodyHash === state.meta?.bodyHash) {
        await this.#save(state, meta, state.papers);
        await this.#succeeded(state, attemptAt);
        return "unchanged";
      }
      // Reading, merging and caching run in slices: searches go on while a day's papers come in.
      const read = await readSourceBodyInSlices(outcome.body, state.url);
      if (read.warnings.length > 0) {
        const first = read.warnings.slice(0, 5).map((warning) => warning.message);
        sourceLog.warn({ source: state.url, skipped: read.skipped, first }, "source records skipped");
      }
      const papers = await runStepsInSlices(mergeSourcePapersSteps(read.papers, state.papers, this.#max));
      state.format = read.format;
      state.skipped = read.skipped;
      await this.#save(state, { ...meta, format: read.format }, papers);
      state.papers = papers;
      await this.#succeeded(state, attemptAt);
      sourceLog.info(
        { source: state.url, fetched: read.papers.length, papers: papers.length, format: read.format },
        "source refreshed",
      );
      return "changed";
    } catch (error) {
      if (!(error instanceof SourceFetchError || error instanceof SourceBodyError)) throw error;
      await this.#failed(state, attemptAt, error.message);
      return "failed";
    }
  }

  async #save(state: SourceState, meta: CachedMeta, papers: readonly Paper[]): Promise<void> {
    state.meta = meta;
    try {
      await writeCache(state.paths, meta, papers);
    } catch (error) {
      // The papers are held in memory all the same; only a restart without network would miss them.
      sourceLog.error({ source: state.url, err: error }, "could not write the source cache");
    }
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
