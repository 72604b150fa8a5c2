/**
 * Memory of a sharded Discord bot through the fake Discord on loopback: `npm start` (src/main.ts
 * in a child process, as deployed) with 1 shard, with 4 shards in its one process (the default),
 * and with 4 shards in a process each (DISCORD_SHARDS_PER_PROCESS=1, the sharding manager). The
 * same 8 servers, 2 on each of the 4 shards, in every row. RSS is read from /proc, summed over
 * the bot's process tree (the manager included), every 250 ms for 10 s once every process logged
 * that it runs; the median of those samples is the figure, since one sample lands anywhere in a
 * GC cycle. Bar: 4 shards in one process ≤ 1.3 × one shard's RSS. Seed corpus, and
 * bench/data/papers-100k.jsonl when `npm run bench` generated it.
 * Run: `tsx bench/discord-shards.ts`.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { FakeDiscord, guildIdOnShard } from "../test/fakes/discord/fake-discord.ts";
import { roundTripCorpora } from "./round-trip-queries.ts";

const SHARDS = 4;
const START_TIMEOUT_MS = 5 * 60_000;
/** After the last "running" line: how long RSS is sampled, and how often. */
const SAMPLE_MS = 10_000;
const SAMPLE_EVERY_MS = 250;

interface Layout {
  readonly name: string;
  readonly shards: number;
  readonly perProcess?: number;
}

const layouts: readonly Layout[] = [
  { name: "1 shard", shards: 1 },
  { name: `${SHARDS} shards, one process`, shards: SHARDS },
  { name: `${SHARDS} shards, a process each`, shards: SHARDS, perProcess: 1 },
];

interface Measured {
  readonly processes: number;
  readonly rssMb: number;
  readonly peakRssMb: number;
  readonly startS: number;
}

/** kB fields of /proc/<pid>/status (VmRSS, VmHWM); 0 once the process is gone. */
function statusKb(pid: number, field: string): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(
      new RegExp(`^${field}:\\s+(\\d+) kB`, "m"),
    );
    return Number(match?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The process and all its descendants. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // gone
  }
  return [pid, ...children.flatMap(processTree)];
}

async function measure(corpus: string, layout: Layout): Promise<Measured> {
  const fake = await FakeDiscord.start({ shards: layout.shards, maxConcurrency: 16 });
  for (let shard = 0; shard < SHARDS; shard++) {
    for (const seed of [1, 2])
      fake.addGuild({
        id: guildIdOnShard(shard, SHARDS, seed),
        name: `Club ${shard}.${seed}`,
        channels: ["papers"],
      });
  }
  const dir = await mkdtemp(path.join(tmpdir(), "paper-picks-bench-shards-"));
  const started = performance.now();
  const child = spawn(process.execPath, ["--v8-pool-size=0", "--import", "tsx", "src/main.ts"], {
    env: {
      ...process.env,
      LOG_LEVEL: "info",
      CORPUS: corpus,
      CORPUS_WATCH: "false",
      STORE_URL: `sqlite://${path.join(dir, "store.sqlite")}`,
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_SHARDS: String(layout.shards),
      ...(layout.perProcess !== undefined && { DISCORD_SHARDS_PER_PROCESS: String(layout.perProcess) }),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const processes = layout.perProcess === undefined ? 1 : Math.ceil(layout.shards / layout.perProcess);
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while ((stderr.match(/"msg":"paper-picks is running/g) ?? []).length < processes) {
      if (child.exitCode !== null) throw new Error(`the bot exited: ${stderr.slice(-500)}`);
      if (Date.now() > deadline) throw new Error("the bot did not start in time");
      await sleep(100);
    }
    const startS = (performance.now() - started) / 1000;
    if (fake.gateway.shards.length !== layout.shards)
      throw new Error(`expected ${layout.shards} identifies, saw ${fake.gateway.shards.length}`);
    const tree = processTree(Number(child.pid));
    const sum = (field: string) =>
      Math.round(tree.reduce((total, pid) => total + statusKb(pid, field), 0) / 1024);
    const samples: number[] = [];
    for (let elapsed = 0; elapsed < SAMPLE_MS; elapsed += SAMPLE_EVERY_MS) {
      samples.push(sum("VmRSS"));
      await sleep(SAMPLE_EVERY_MS);
    }
    samples.sort((a, b) => a - b);
    const rssMb = samples[Math.floor(samples.length / 2)] ?? 0;
    return { processes: tree.length, rssMb, peakRssMb: sum("VmHWM"), startS };
  } finally {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const rows = [
  "| corpus | layout | processes | RSS MB | peak RSS MB | × 1 shard's RSS | start s | meets bar |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
];
for (const [name, corpus] of roundTripCorpora()) {
  let oneShard: number | undefined;
  for (const layout of layouts) {
    process.stderr.write(`discord shards: ${name}, ${layout.name}...\n`);
    const result = await measure(corpus, layout);
    oneShard ??= result.rssMb;
    const ratio = result.rssMb / oneShard;
    // The bar is for the default layout; the process-per-shard row is there to compare with.
    const bar =
      layout.shards === SHARDS && layout.perProcess === undefined ? (ratio <= 1.3 ? "yes" : "NO") : "";
    rows.push(
      `| ${name} | ${layout.name} | ${result.processes} | ${result.rssMb} | ${result.peakRssMb} | ${ratio.toFixed(2)} | ${result.startS.toFixed(1)} | ${bar} |`,
    );
  }
}
process.stdout.write(
  [
    `## Discord shards: memory of ${SHARDS} shards through the fake gateway`,
    "",
    ...rows,
    "",
    `RSS: the median of VmRSS, summed over the bot's process tree (manager included), sampled every ${SAMPLE_EVERY_MS} ms for ${SAMPLE_MS / 1000} s once every process logged that it runs; peak: VmHWM summed likewise. Start: spawn to the last "running" line. Bar: ${SHARDS} shards in one process ≤ 1.3 × one shard's RSS.`,
    "",
  ].join("\n"),
);
