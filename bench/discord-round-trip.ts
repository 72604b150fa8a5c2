/**
 * The Discord command round trip through the fake Discord on loopback: INTERACTION_CREATE out
 * over the gateway, the real discord.js client and core answer, the callback arrives over REST.
 * p50/p95 for `/papers search` on the seed corpus and, when present, bench/data/papers-100k.jsonl
 * (bar: p95 ≤ 50 ms at 100k). Run: `LOG_LEVEL=silent tsx bench/discord-round-trip.ts`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { startDiscord } from "../src/platforms/discord/index.ts";
import { FakeDiscord } from "../test/fakes/discord/fake-discord.ts";
import { percentile, queriesFrom, roundTripCorpora } from "./round-trip-queries.ts";

const ROUNDS = Number(process.env.BENCH_DISCORD_ROUNDS ?? 300);
const WARMUP = 20;

const corpora = roundTripCorpora();

async function measure(name: string, corpus: string): Promise<string> {
  const fake = await FakeDiscord.start();
  const dir = await mkdtemp(path.join(tmpdir(), "paper-picks-bench-"));
  const config = loadConfig({
    CORPUS: corpus,
    CORPUS_WATCH: "false",
    STORE_URL: `sqlite://${path.join(dir, "store.sqlite")}`,
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
  });
  const app = await createApp(config);
  const discord = await startDiscord(app, config);
  try {
    const papers = app.services.catalog.current.papers;
    const queries = queriesFrom(
      papers.map((paper) => paper.title),
      ROUNDS + WARMUP,
    );
    const place = fake.member({ id: "1400000000000000001", username: "bench" });
    const times: number[] = [];
    for (const [index, query] of queries.entries()) {
      const started = performance.now();
      await fake.command(place, { command: "papers", path: ["search"], options: { query } });
      if (index >= WARMUP) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    return `| ${name} | ${papers.length} | ${times.length} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} | ${ms(times.at(-1) ?? Number.NaN)} |`;
  } finally {
    await discord.stop();
    await app.stop();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const rows = ["| corpus | papers | rounds | p50 | p95 | max |", "| --- | --- | --- | --- | --- | --- |"];
for (const [name, corpus] of corpora) rows.push(await measure(name, corpus));
process.stdout.write(
  `## Discord /papers search round trip (interaction in → callback out, loopback)\n\n${rows.join("\n")}\n`,
);
