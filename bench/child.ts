/**
 * One engine (or the extra tasks) on one corpus, in its own process so that its memory numbers are its
 * own. Prints one JSON line: see ChildResult.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Paper } from "../src/core/paper.ts";
import { loadCorpus } from "../src/corpus/index.ts";
import { readPapers } from "./corpus-file.ts";
import type { Engine } from "./engines/engine.ts";
import { flexsearch } from "./engines/flexsearch.ts";
import { fts5 } from "./engines/fts5.ts";
import { minisearch } from "./engines/minisearch.ts";
import { ours } from "./engines/ours.ts";
import type { BenchQuery } from "./queries.ts";
import { corpusTasks } from "./tasks.ts";

export const ENGINES: Record<string, Engine> = { ours, flexsearch, minisearch, fts5 };

export interface ChildResult {
  readonly engine: string;
  readonly papers: number;
  readonly loadMs: number;
  readonly buildMs: number;
  readonly rssMb: number;
  readonly peakRssMb: number;
  readonly queriesRun: number;
  readonly queriesTotal: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly zeroHitQueries: number;
  readonly tasks: readonly { label: string; ms: number }[];
}

const QUERY_BUDGET_MS = Number(process.env.BENCH_QUERY_BUDGET_MS ?? 120_000);
const WARM_UP = 20;

/**
 * The papers an engine is given: the seed corpus through the bot's loader for every engine; a bench
 * corpus through the engine's own `load` when it has one (ours: the bot's loadCorpus), else the bench's
 * plain JSON-lines reader. The tasks row gets what the bot would have in memory.
 */
export async function loadBenchCorpus(corpus: string, engine?: Engine): Promise<readonly Paper[]> {
  if (corpus === "seed") return (await loadCorpus("data/papers.txt")).papers;
  if (engine?.load !== undefined) return engine.load(corpus);
  return readPapers(corpus);
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

async function main(): Promise<void> {
  const [engineName = "", corpus = "", queriesFile = ""] = process.argv.slice(2);
  const engine = ENGINES[engineName];
  if (engine === undefined && engineName !== "tasks") throw new Error(`unknown engine ${engineName}`);
  const startLoad = performance.now();
  const papers = await loadBenchCorpus(corpus, engine ?? ours);
  const loadMs = performance.now() - startLoad;
  const queries = JSON.parse(readFileSync(queriesFile, "utf8")) as BenchQuery[];
  const workDir = mkdtempSync(path.join(os.tmpdir(), "paper-picks-bench-"));
  try {
    if (engine === undefined) {
      const tasks = corpusTasks.map((task) => {
        const start = performance.now();
        task.run(papers);
        return { label: task.label, ms: performance.now() - start };
      });
      report({ engineName, papers, loadMs, buildMs: 0, latencies: [], zero: 0, queries, tasks });
      return;
    }
    const startBuild = performance.now();
    const search = await engine.build(papers, workDir);
    const buildMs = performance.now() - startBuild;
    for (const query of queries.slice(0, WARM_UP)) search(query.text);
    const latencies: number[] = [];
    let zero = 0;
    const started = performance.now();
    for (const query of queries) {
      const start = performance.now();
      const hits = search(query.text);
      latencies.push(performance.now() - start);
      if (hits === 0) zero++;
      if (performance.now() - started > QUERY_BUDGET_MS) break;
    }
    report({ engineName, papers, loadMs, buildMs, latencies, zero, queries, tasks: [] });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function report(run: {
  engineName: string;
  papers: readonly Paper[];
  loadMs: number;
  buildMs: number;
  latencies: number[];
  zero: number;
  queries: readonly BenchQuery[];
  tasks: { label: string; ms: number }[];
}): void {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const result: ChildResult = {
    engine: run.engineName,
    papers: run.papers.length,
    loadMs: run.loadMs,
    buildMs: run.buildMs,
    rssMb: mb(process.memoryUsage().rss),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    queriesRun: sorted.length,
    queriesTotal: run.queries.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
    zeroHitQueries: run.zero,
    tasks: run.tasks,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
