/**
 * `npm run bench`: our search index against flexsearch, minisearch and SQLite FTS5 on the seed corpus
 * and on synthetic 100k / 1M paper corpora, each engine in its own child process (honest RSS, a crash or
 * time-out costs one row). BENCH_SIZES=seed,100k,1m picks corpora; BENCH_TIMEOUT_S caps each child;
 * BENCH_FEEDBACK=0 skips bench/feedback.ts (ratings: quality on the seed, cost at 100k);
 * BENCH_PLATFORMS=0 skips the Discord and Slack benches that follow the tables (command round trips,
 * the 10,000-target delivery at the rate limits);
 * BENCH_QUERY_BUDGET_MS caps each engine's query loop. Extra rows: add a task to bench/tasks.ts.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCorpus } from "../src/corpus/index.ts";
import type { ChildResult } from "./child.ts";
import { writePapers } from "./corpus-file.ts";
import { generatePapers, LAST_NAMES, trainChain } from "./generate-corpus.ts";
import { generateQueries } from "./queries.ts";
import { corpusTasks } from "./tasks.ts";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, "..");
const dataDir = path.join(benchDir, "data");
const resultsDir = path.join(benchDir, "results");

const SIZES: Record<string, number> = { "10k": 10_000, "100k": 100_000, "1m": 1_000_000 };
const ENGINE_ORDER = ["ours", "flexsearch", "minisearch", "fts5"] as const;
/** minisearch at 100k already takes ~30-70 s to build, 3.5 GB and p95 ~300 ms here; 1M would need ~10x of each. */
const SKIP: Record<string, { engine: string; reason: string }[]> = {
  "1m": [
    {
      engine: "minisearch",
      reason: "skipped: at 100k already ~30 s build, 3.5 GB, p95 ~300 ms; 1M needs ~10x",
    },
  ],
};
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 900);

interface Row {
  readonly engine: string;
  readonly result?: ChildResult;
  readonly failure?: string;
}

function runChild(engine: string, corpus: string, queriesFile: string): Promise<Row> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--max-old-space-size=16384",
        "--import",
        "tsx",
        path.join(benchDir, "child.ts"),
        engine,
        corpus,
        queriesFile,
      ],
      { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_S * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) {
        resolve({ engine, result: JSON.parse(line) as ChildResult });
      } else if (signal === "SIGKILL") {
        resolve({ engine, failure: `timed out after ${TIMEOUT_S} s` });
      } else {
        resolve({
          engine,
          failure: `failed (${signal ?? `exit ${code}`}): ${stderr.trim().split("\n").slice(-3).join(" / ").slice(0, 200)}`,
        });
      }
    });
  });
}

async function ensureCorpus(size: string): Promise<string> {
  if (size === "seed") return "seed";
  const count = SIZES[size];
  if (count === undefined) throw new Error(`BENCH_SIZES: unknown size ${size} (use seed, 10k, 100k, 1m)`);
  const file = path.join(dataDir, `papers-${size}.jsonl`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${count} papers into ${path.relative(repoRoot, file)}...\n`);
    const { papers: seed } = await loadCorpus("data/papers.txt", { cwd: repoRoot });
    const partial = `${file}.partial`;
    await writePapers(partial, generatePapers(count, trainChain(seed)));
    const { renameSync } = await import("node:fs");
    renameSync(partial, file);
  }
  return file;
}

const ms = (value: number): string =>
  Number.isNaN(value) ? "–" : value < 10 ? value.toFixed(2) : value.toFixed(0);
const seconds = (value: number): string => (value / 1000).toFixed(1);

export function formatTable(size: string, rows: readonly Row[]): string {
  const lines = [
    `### ${size} corpus${rows.find((row) => row.result)?.result ? ` (${rows.find((row) => row.result)?.result?.papers} papers)` : ""}`,
    "",
    "| engine | load s | index s | RSS MB | peak RSS MB | p50 ms | p95 ms | p99 ms | max ms | queries | no hits |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    const r = row.result;
    if (r === undefined) {
      lines.push(`| ${row.engine} | ${row.failure ?? "–"} | | | | | | | | | |`);
    } else if (row.engine === "tasks") {
      for (const task of r.tasks)
        lines.push(
          `| ${task.label} | ${seconds(r.loadMs)} | ${ms(task.ms)} ms | ${r.rssMb} | ${r.peakRssMb} | | | | | | |`,
        );
    } else {
      lines.push(
        `| ${row.engine} | ${seconds(r.loadMs)} | ${seconds(r.buildMs)} | ${r.rssMb} | ${r.peakRssMb} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.queriesRun}/${r.queriesTotal} | ${r.zeroHitQueries} |`,
      );
    }
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? "seed,100k,1m")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  const { papers: seed } = await loadCorpus("data/papers.txt", { cwd: repoRoot });
  const queries = generateQueries(seed, LAST_NAMES);
  const queriesFile = path.join(dataDir, "queries.json");
  writeFileSync(queriesFile, JSON.stringify(queries));
  const tables: string[] = [];
  for (const size of sizes) {
    const corpus = await ensureCorpus(size);
    const rows: Row[] = [];
    for (const engine of ENGINE_ORDER) {
      const skip = SKIP[size]?.find((entry) => entry.engine === engine);
      if (skip !== undefined) {
        rows.push({ engine, failure: skip.reason });
        continue;
      }
      process.stderr.write(`${size}: ${engine}...\n`);
      rows.push(await runChild(engine, corpus, queriesFile));
    }
    if (corpusTasks.length > 0) rows.push(await runChild("tasks", corpus, queriesFile));
    const table = formatTable(size, rows);
    tables.push(table);
    process.stdout.write(`${table}\n\n`);
  }
  const notes = [
    `${queries.length} queries (${[...new Set(queries.map((q) => q.kind))].join(", ")}), top ${5} hits each, each run once after ${20} warm-up queries.`,
    "load = reading the corpus file; index = building the engine; RSS after the queries; peak = max RSS of the process.",
    "ours loads and indexes the way the bot starts: loadCorpus (streamed, validated, cleaned, stable ids, duplicates merged, so slightly fewer papers) then buildCatalog.",
    "The other engines get the papers from the bench's own reader (JSON.parse per line, no validation, no dedupe): their load column is not comparable with ours.",
    "The tasks rows run on the papers loadCorpus yields.",
  ].join("\n");
  writeFileSync(
    path.join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.md`),
    `${tables.join("\n\n")}\n\n${notes}\n`,
  );
  process.stdout.write(`${notes}\n`);
  // Start-up to the first command, cold and from the index snapshot, beside FTS5 opening its file.
  if (process.env.BENCH_SNAPSHOT !== "0") await runScript("bench/snapshot-startup.ts");
  // How well and how fast /papers foryou learns from ratings: quality on the seed, cost at 100k.
  if (process.env.BENCH_FEEDBACK !== "0") {
    const costCorpus = sizes.includes("100k") ? path.join(dataDir, "papers-100k.jsonl") : undefined;
    await runScript("bench/feedback.ts", costCorpus ? { BENCH_FEEDBACK_COST_CORPUS: costCorpus } : {});
  }
  if (process.env.BENCH_PLATFORMS !== "0") {
    for (const script of PLATFORM_BENCHES) await runScript(script);
  }
}

/**
 * The command round trips through the Discord and Slack fakes, the memory of 4 Discord shards in
 * one process against one shard and a process each, the daily merge bench, and one
 * day's digests to 10,000 targets at the platforms' rate limits, each in its own process.
 */
const PLATFORM_BENCHES = [
  "bench/discord-round-trip.ts",
  "bench/discord-shards.ts",
  "bench/slack-round-trip.ts",
  "bench/merge.ts",
  "bench/delivery.ts",
];

/** The Node flags `npm start` gives the bot (package.json), so the platform benches time the bot as it runs. */
const BOT_NODE_FLAGS = ["--v8-pool-size=0"];

function runScript(script: string, env: Record<string, string> = {}): Promise<void> {
  process.stderr.write(`${script}...\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...BOT_NODE_FLAGS, "--import", "tsx", script], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
