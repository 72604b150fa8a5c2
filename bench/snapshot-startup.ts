/**
 * `tsx bench/snapshot-startup.ts`: start-up to the first answered command, as a user waits for it:
 * the bot (`src/main.ts --once`, the Node flags `npm start` gives it) cold (no index snapshot) and from
 * its snapshot under data/cache/index, beside SQLite FTS5 opening its database on disk
 * (bench/fts5-open.ts), on each corpus of BENCH_SIZES (default seed,100k; 1m when generated).
 * Each figure is the time from spawning the process to the first byte of its answer, over
 * BENCH_SNAPSHOT_RUNS rounds (default 5), the three run in turn within a round so drift hits all alike.
 * The cold run ends by writing the snapshot (at stop, after answering), which the next run loads.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;
const QUERY = "kv cache";
const RUNS = Number(process.env.BENCH_SNAPSHOT_RUNS ?? 5);

interface Timed {
  readonly firstByteMs: number;
  readonly exitMs: number;
}

/** Spawns the command and times it to its first byte on stdout and to its exit; rejects on failure. */
function timed(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs: number | undefined;
    let stderr = "";
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", () => {
      firstByteMs ??= performance.now() - started;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 || firstByteMs === undefined)
        reject(new Error(`${args.join(" ")} exited ${code}: ${stderr.slice(-400)}`));
      else resolve({ firstByteMs, exitMs: performance.now() - started });
    });
  });
}

function corpusOf(size: string): string | undefined {
  if (size === "seed") return path.join(repoRoot, "data", "papers.txt");
  const file = path.join(repoRoot, "bench", "data", `papers-${size}.jsonl`);
  return existsSync(file) ? file : undefined;
}

const stats = (values: readonly number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return `${s(sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN)} (${s(sorted[0] ?? Number.NaN)}–${s(sorted.at(-1) ?? Number.NaN)})`;
};

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_SIZES ?? "seed,100k,1m")
    .split(",")
    .map((size) => size.trim().toLowerCase());
  const lines = [
    `Start-up to the first answered \`--once "/papers search ${QUERY}"\`, seconds: median (min–max) of ${RUNS} rounds.`,
    "",
    "| corpus | ours, cold | ours, from snapshot | SQLite FTS5, database on disk |",
    "| --- | ---: | ---: | ---: |",
  ];
  const results: Record<string, unknown> = {};
  for (const size of sizes) {
    const corpus = corpusOf(size);
    if (corpus === undefined) {
      process.stderr.write(`${size}: no corpus under bench/data (npm run bench generates it); skipped\n`);
      continue;
    }
    const work = path.join(repoRoot, "bench", "data", `startup-${size}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const db = path.join(work, "fts5.sqlite");
    process.stderr.write(`${size}: building the FTS5 database (not timed)...\n`);
    if (size === "seed") {
      const { loadCorpus } = await import("../src/corpus/index.ts");
      const { writePapers } = await import("./corpus-file.ts");
      const seedFile = path.join(work, "seed.jsonl");
      await writePapers(seedFile, (await loadCorpus(corpus, { cwd: repoRoot })).papers);
      await timed(
        ["--import", tsx, path.join(repoRoot, "bench", "fts5-open.ts"), "build", seedFile, db],
        work,
        {},
      );
    } else {
      await timed(
        ["--import", tsx, path.join(repoRoot, "bench", "fts5-open.ts"), "build", corpus, db],
        work,
        {},
      );
    }
    const bot = [
      "--v8-pool-size=0",
      "--import",
      tsx,
      path.join(repoRoot, "src", "main.ts"),
      "--once",
      `/papers search ${QUERY}`,
    ];
    const env = {
      CORPUS: corpus,
      LOG_LEVEL: "silent",
      STORE_URL: `sqlite://${path.join(work, "store.sqlite")}`,
    };
    const cold: number[] = [];
    const warm: number[] = [];
    const fts: number[] = [];
    for (let round = 0; round < RUNS; round++) {
      process.stderr.write(`${size}: round ${round + 1}/${RUNS}\n`);
      rmSync(path.join(work, "data", "cache", "index"), { recursive: true, force: true });
      cold.push((await timed(bot, work, env)).firstByteMs);
      warm.push((await timed(bot, work, env)).firstByteMs);
      fts.push(
        (
          await timed(
            ["--import", tsx, path.join(repoRoot, "bench", "fts5-open.ts"), "open", db, QUERY],
            work,
            {},
          )
        ).firstByteMs,
      );
    }
    const snapshotted = existsSync(path.join(work, "data", "cache", "index", "index.bin"));
    lines.push(
      `| ${size} | ${stats(cold)} | ${snapshotted ? stats(warm) : "no snapshot (small corpus)"} | ${stats(fts)} |`,
    );
    results[size] = { cold, fromSnapshot: snapshotted ? warm : null, fts5: fts };
  }
  process.stdout.write(`${lines.join("\n")}\n${JSON.stringify(results)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
