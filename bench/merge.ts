/**
 * `tsx bench/merge.ts`: merging a day's 1,000 new papers into the 100k-paper corpus while searches run,
 * the way the bot does it: the live source (a feed server on loopback, in a process of its own: see
 * merge-feed.ts) is refreshed, then only its changed and new papers are merged into the catalog
 * (app.refreshSources -> refreshSourcesOf, which deduplicates them against the papers held in memory
 * without reading any file, -> LiveCatalog.merge, which puts the changed papers in the search index's
 * delta segments), in slices, in the same process that answers
 * `/papers search`. The full reload it replaced (loadCorpus + buildCatalog) is timed alone for comparison.
 * Searches run open loop (one every SEARCH_INTERVAL_MS, latency counted from when it was due), so
 * time a search spends waiting for the event loop during the merge counts, as a user would feel it.
 * Idle (before the merges and after them, pooled) and during are measured by the same loop; DAYS daily
 * batches are merged one after another (all generated before anything is measured) and the searches due
 * while any of them ran are pooled, so the p95 rests on well over a hundred searches rather than the
 * second-worst of a few dozen.
 * The bar its table checks: merge <= 2 s (the slowest of the days), search p95 during the merge <= 2 x its idle value.
 * Run it with the Node flags `npm start` gives the bot (`npm run bench` does): V8's GC helper threads are
 * part of what a search competes with during a merge.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { constants, type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { createApp } from "../src/app.ts";
import { buildCatalog } from "../src/catalog/index.ts";
import { loadConfig } from "../src/config.ts";
import { loadCorpus } from "../src/corpus/index.ts";
import { CorpusSources } from "../src/corpus/sources/index.ts";
import { sourceWorker } from "../src/corpus/sources/source-worker-client.ts";
import { log } from "../src/log.ts";
import { consoleChannels, consoleInvoker } from "../src/platforms/console/console-channel.ts";
import { SearchIndex, WorkerDeltaBuilder } from "../src/search/index.ts";
import { BATCH } from "./daily-batch.ts";
import { percentile, queriesFrom } from "./round-trip-queries.ts";
import { writeSourceHistory } from "./source-history.ts";
import { ThreadCpu } from "./thread-cpu.ts";

const CORPUS_FILE = "bench/data/papers-100k.jsonl";
const SEARCH_INTERVAL_MS = Number(process.env.BENCH_MERGE_INTERVAL_MS ?? 10);
/** Searches in each of the two idle windows, before the merges and after them. */
const IDLE_SEARCHES = 250;
/** Daily batches merged one after another, their during-merge searches pooled. */
const DAYS = Number(process.env.BENCH_MERGE_DAYS ?? 5);
/** Idle intervals before each merge, so each starts with the search loop running steadily. */
const GAP_INTERVALS = 10;
const MERGE_BAR_MS = 2_000;
/** Papers the source holds before the first day (see source-history.ts); 0: only yesterday's batch. */
const SOURCE_HISTORY = Number(process.env.BENCH_MERGE_SOURCE_PAPERS ?? 0);
/**
 * BENCH_MERGE_COLD_WORKERS=1: both worker threads are ended after each day, so every merge starts them,
 * as the bot's hourly refresh does (they end after WORKER_IDLE_MS, a minute, without work). By default
 * they stay up from the first day on, as between refreshes a few seconds apart.
 */
const COLD_WORKERS = process.env.BENCH_MERGE_COLD_WORKERS === "1";

interface Sample {
  readonly due: number;
  readonly latency: number;
  /**
   * The latency in three parts: from due to the index search's start (waiting for the thread, and the
   * command's parsing), the index search itself, and from its end to the reply (the rest of the command:
   * rendering; the notices' store reads do not hold the reply, see notice.ts).
   */
  readonly beforeMs: number;
  readonly searchMs: number;
  readonly afterMs: number;
}

type SampleParts = Pick<Sample, "beforeMs" | "searchMs" | "afterMs">;

/** Runs `call`, then tells `record` when it started and ended, whether it succeeded or not. */
async function timed<T>(
  call: () => Promise<T>,
  record: (started: number, ended: number) => void,
): Promise<T> {
  const started = performance.now();
  try {
    return await call();
  } finally {
    record(started, performance.now());
  }
}

/**
 * Times SearchIndex.search inside each command. Commands run one at a time here, so the last search's
 * start and end are the running command's.
 */
function timeSearches(): { last: () => { started: number; ended: number } } {
  let started = Number.NaN;
  let ended = Number.NaN;
  const search = SearchIndex.prototype.search;
  SearchIndex.prototype.search = function (this: SearchIndex, ...args) {
    started = performance.now();
    try {
      return search.apply(this, args);
    } finally {
      ended = performance.now();
    }
  };
  return { last: () => ({ started, ended }) };
}

/** Runs searches one every SEARCH_INTERVAL_MS until `until` says stop; latency from when each was due. */
async function searchOpenLoop(
  search: (query: string, due: number) => Promise<SampleParts>,
  queries: readonly string[],
  until: (done: number) => boolean,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const start = performance.now();
  for (let i = 0; !until(i); i++) {
    const due = start + i * SEARCH_INTERVAL_MS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const parts = await search(queries[i % queries.length] ?? "attention", due);
    samples.push({ due, latency: performance.now() - due, ...parts });
  }
  return samples;
}

const sorted = (values: readonly number[]): number[] => values.slice().sort((a, b) => a - b);

/** Garbage-collection pauses, to tell the collector's share of the slow searches from the merge's own. */
function watchGc(): { pauses: PerformanceEntry[]; stop: () => void } {
  const pauses: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => pauses.push(...list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  return { pauses, stop: () => observer.disconnect() };
}

/** Count and total of the pauses that started within one of the windows, and the major ones' share. */
function gcWithin(pauses: readonly PerformanceEntry[], windows: readonly [number, number][]): string {
  const inside = pauses.filter((gc) =>
    windows.some(([from, to]) => gc.startTime >= from && gc.startTime < to),
  );
  const total = (list: readonly PerformanceEntry[]) => list.reduce((sum, gc) => sum + gc.duration, 0);
  const longest = inside.reduce((most, gc) => Math.max(most, gc.duration), 0);
  const major = inside.filter(
    (gc) => (gc as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR,
  );
  return `${inside.length} pauses, ${total(inside).toFixed(0)} ms in all (${major.length} mark-compact, ${total(major).toFixed(0)} ms), longest ${longest.toFixed(1)} ms`;
}

/** The p95 of one part of the commands, "idle / during". */
function partP95(idle: readonly Sample[], during: readonly Sample[], part: keyof SampleParts): string {
  const p95 = (list: readonly Sample[]) => ms(percentile(sorted(list.map((sample) => sample[part])), 95));
  return `${p95(idle)} / ${p95(during)} ms`;
}

/** "p50 / p95 ms" of the searches' latencies. */
function latencyP50P95(samples: readonly Sample[]): string {
  const latencies = sorted(samples.map((sample) => sample.latency));
  return `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 95))} ms`;
}

/** The p95 of the searches due within the windows. */
function p95Within(samples: readonly Sample[], windows: readonly [number, number][]): string {
  const inside = samples.filter((sample) =>
    windows.some(([from, to]) => sample.due >= from && sample.due < to),
  );
  return `${ms(percentile(sorted(inside.map((sample) => sample.latency)), 95))} ms over ${inside.length}`;
}

/** The windows' total length, in seconds. */
const seconds = (windows: readonly [number, number][]): string =>
  `${(windows.reduce((total, [from, to]) => total + to - from, 0) / 1000).toFixed(2)} s`;

const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(0));

/** bench/merge-feed.ts in a child process: the daily source, on loopback. */
async function startFeed(
  days: number,
): Promise<{ url: string; serve: (day: number) => Promise<void>; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(import.meta.dirname, "merge-feed.ts"), String(days)],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const [ready] = (await once(child, "message")) as [{ ready: string }];
  return {
    url: ready.ready,
    serve: async (day) => {
      const served = once(child, "message");
      child.send({ serve: day });
      await served;
    },
    process: child,
  };
}

async function main(): Promise<void> {
  if (!existsSync(CORPUS_FILE)) {
    process.stdout.write(`merge bench skipped: ${CORPUS_FILE} is missing (npm run bench generates it)\n`);
    return;
  }
  log.level = "silent";
  // Every day's batch is made (by the feed process) before anything is timed: one is ~100 ms of work.
  const feed = await startFeed(DAYS);
  const dir = await mkdtemp(path.join(tmpdir(), "paper-picks-merge-"));
  const url = feed.url;
  const config = loadConfig({
    CORPUS: `${CORPUS_FILE},${url}`,
    CORPUS_WATCH: "false",
    STORE_URL: `sqlite://${path.join(dir, "store.sqlite")}`,
  });
  const sources = new CorpusSources({ cacheDir: path.join(dir, "cache") });
  if (SOURCE_HISTORY > 0) await writeSourceHistory(path.join(dir, "cache"), url, SOURCE_HISTORY);
  // Which part of each merge the slow searches fall in: fetching and reading the source, or the rest.
  const refreshWindows: [number, number][] = [];
  const refresh = sources.refresh.bind(sources);
  sources.refresh = (...args) =>
    timed(
      () => refresh(...args),
      (started, ended) => refreshWindows.push([started, ended]),
    );
  const deltaBuilder = new WorkerDeltaBuilder();
  const app = await createApp(config, { sources, deltaBuilder });
  try {
    // As on Discord and Slack: a notice follows the answer instead of holding it (see notice.ts).
    const followUp = async () => {};
    const request = { invoker: consoleInvoker, channels: consoleChannels, services: app.services, followUp };
    const search = (query: string) => app.router.runLine(`/papers search ${query}`, request);
    const before = app.services.catalog.current.papers.length;
    const queries = queriesFrom(
      app.services.catalog.current.papers.map((paper) => paper.title),
      IDLE_SEARCHES,
    );
    for (const query of queries.slice(0, 20)) await search(query); // warm-up
    const searches = timeSearches();
    const timedSearch = async (query: string, due: number): Promise<SampleParts> => {
      await search(query);
      const replied = performance.now();
      const { started, ended } = searches.last();
      return { beforeMs: started - due, searchMs: ended - started, afterMs: replied - ended };
    };
    const gc = watchGc();

    // Idle: the same searches with no merge running, before the merges (the main index alone) and after
    // them (their delta segments beside it). The searches during the merges run on an index between the
    // two, so both are their idle value; pooled, the p95 rests on 2 x IDLE_SEARCHES searches, and one
    // unlucky collector pause in a short window moves it less.
    const idleCpu = new ThreadCpu();
    const idleWindows: [number, number][] = [];
    const searchIdle = async (): Promise<Sample[]> => {
      const started = performance.now();
      const measured = await idleCpu.measure(() =>
        searchOpenLoop(timedSearch, queries, (done) => done >= IDLE_SEARCHES),
      );
      idleWindows.push([started, performance.now()]);
      return measured;
    };
    const idleBefore = await searchIdle();

    const mergeCpu = new ThreadCpu();
    const mergeWindows: [number, number][] = [];
    /** From each merge's start until its new papers were searchable. */
    const mergeTimes: number[] = [];
    let merged = false;
    const merging = (async () => {
      for (let day = 1; day <= DAYS; day++) {
        await sleep(GAP_INTERVALS * SEARCH_INTERVAL_MS);
        await feed.serve(day);
        const started = performance.now();
        await mergeCpu.measure(async () => {
          await app.refreshSources();
          mergeTimes.push(performance.now() - started);
          // What the merge made due runs on after it (the rebuild of the index's deltas into one, every
          // few merges): the searches due meanwhile count as during the merge too.
          await app.services.catalog.settled();
        });
        mergeWindows.push([started, performance.now()]);
        if (COLD_WORKERS) await Promise.all([sourceWorker.close(), deltaBuilder.close()]);
      }
      merged = true;
    })();
    const samples = await searchOpenLoop(timedSearch, queries, () => merged);
    await merging;
    const idleAfter = await searchIdle();
    gc.stop();
    const idleSamples = [...idleBefore, ...idleAfter];
    const idle = sorted(idleSamples.map((sample) => sample.latency));
    // The searches due while a merge ran: those that waited behind it, however long after it they ended.
    const duringSamples = samples.filter((sample) =>
      mergeWindows.some(([from, to]) => sample.due >= from && sample.due < to),
    );
    const during = sorted(duringSamples.map((sample) => sample.latency));
    const mergeMs = Math.max(...mergeTimes);
    const windowMs = Math.max(...mergeWindows.map(([from, to]) => to - from));

    const catalog = app.services.catalog.current;
    const firstNewId = `2611.${String(DAYS * BATCH).padStart(5, "0")}`;
    const newTitle = catalog.byId.get(firstNewId)?.title;
    const found = newTitle !== undefined && (await search(newTitle)).text.includes(newTitle.slice(0, 30));
    // For comparison: the full reload that a refresh used to do, alone, with no searches running.
    const loadStarted = performance.now();
    const reloaded = await loadCorpus(config.CORPUS, { sources });
    const loadMs = performance.now() - loadStarted;
    const buildStarted = performance.now();
    buildCatalog(reloaded.papers);
    const buildMs = performance.now() - buildStarted;

    const idleP95 = percentile(idle, 95);
    const duringP95 = percentile(during, 95);
    const ok = (pass: boolean) => (pass ? "✓" : "✗");
    const rows = [
      `### Daily merge: 1,000 new papers into the 100k corpus while searches run (${DAYS} days in a row${SOURCE_HISTORY > 0 ? `, the source holding ${SOURCE_HISTORY} papers before them` : ""}${COLD_WORKERS ? ", the worker threads started afresh each day" : ""})`,
      "",
      `corpus ${before} -> ${catalog.papers.length} papers; today's first new paper ${found ? "found by search" : "NOT found by search"}`,
      "",
      "| measure | value | bar | meets |",
      "| --- | ---: | ---: | :---: |",
      `| merge (refresh + refreshSourcesOf + LiveCatalog.merge), until its papers are searchable | ${(mergeMs / 1000).toFixed(2)} s | ≤ ${MERGE_BAR_MS / 1000} s | ${ok(mergeMs <= MERGE_BAR_MS)} |`,
      `| the same, with the rebuild of the deltas it made due (until the catalog settled) | ${(windowMs / 1000).toFixed(2)} s | | |`,
      `| papers in the index's delta segments after the merges | ${catalog.index.deltaSize} | | |`,
      `| for comparison, alone: loadCorpus (re-reads every file) | ${(loadMs / 1000).toFixed(2)} s | | |`,
      `| for comparison, alone: buildCatalog (synchronous, blocks searches) | ${(buildMs / 1000).toFixed(2)} s | | |`,
      `| search p50 idle (before and after the merges) | ${ms(percentile(idle, 50))} ms | | |`,
      `| search p95 idle (before and after the merges) | ${ms(idleP95)} ms | | |`,
      `| search p50 during the merge | ${ms(percentile(during, 50))} ms | | |`,
      `| search p95 during the merge | ${ms(duringP95)} ms | ≤ 2 × idle = ${ms(2 * idleP95)} ms | ${ok(duringP95 <= 2 * idleP95)} |`,
      `| search max during the merge | ${ms(during.at(-1) ?? Number.NaN)} ms | | |`,
      `| of a search, p95 idle / during: waiting, from due to the index search | ${partP95(idleSamples, duringSamples, "beforeMs")} | | |`,
      `| of a search, p95 idle / during: SearchIndex.search itself | ${partP95(idleSamples, duringSamples, "searchMs")} | | |`,
      `| of a search, p95 idle / during: the rest, from the index search to the reply | ${partP95(idleSamples, duringSamples, "afterMs")} | | |`,
      `| search p50 / p95 idle before the merges (the main index alone) | ${latencyP50P95(idleBefore)} | | |`,
      `| search p50 / p95 idle after the merges (delta segments in place) | ${latencyP50P95(idleAfter)} | | |`,
      "",
      `${idle.length} idle and ${during.length} concurrent \`/papers search\` commands in the bot's process (those due while one of the ${DAYS} merges ran), one due every ${SEARCH_INTERVAL_MS} ms; latency counts from when each was due, so waiting behind the merge counts. Merges took (the row shows the slowest) ${mergeTimes.map((time) => (time / 1000).toFixed(2)).join(", ")} s; with what they made due, ${mergeWindows.map(([from, to]) => ((to - from) / 1000).toFixed(2)).join(", ")} s.`,
      `Search p95 while the source was fetched, read, merged and cached (CorpusSources.refresh): ${p95Within(samples, refreshWindows)}; during the rest (refreshSourcesOf + LiveCatalog.merge): ${p95Within(
        samples.filter(
          (sample) => !refreshWindows.some(([from, to]) => sample.due >= from && sample.due < to),
        ),
        mergeWindows,
      )}.`,
      `GC during the idle searches: ${gcWithin(gc.pauses, idleWindows)}; during the merges: ${gcWithin(gc.pauses, mergeWindows)}.`,
      `CPU of the bot's threads during the idle searches (${seconds(idleWindows)}): ${idleCpu.summary()}.`,
      `During the merges (${seconds(mergeWindows)}): ${mergeCpu.summary()}.`,
      `Node flags: ${process.execArgv.filter((arg) => arg.startsWith("--v8") || arg.startsWith("--max")).join(" ") || "none (npm start runs the bot with --v8-pool-size=0)"}.`,
    ];
    process.stdout.write(`${rows.join("\n")}\n\n`);
  } finally {
    await app.stop();
    feed.process.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
