/**
 * The Slack command round trip through the fake Slack on loopback, in both connection modes:
 * a signed `/papers search` request in (HTTP) or an envelope over the socket (Socket Mode), real
 * Bolt and the core answer, the answer arrives at the response_url. p50/p95 on the seed corpus
 * and, when present, bench/data/papers-100k.jsonl (bar: p95 ≤ 50 ms at 100k).
 * Run: `LOG_LEVEL=silent tsx bench/slack-round-trip.ts`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { startSlack } from "../src/platforms/slack/index.ts";
import { httpDriver, socketDriver } from "../test/fakes/slack/drivers.ts";
import { FakeSlack } from "../test/fakes/slack/fake-slack.ts";
import { slashCommand } from "../test/fakes/slack/payloads.ts";
import { percentile, queriesFrom, roundTripCorpora } from "./round-trip-queries.ts";

const ROUNDS = Number(process.env.BENCH_SLACK_ROUNDS ?? 300);
const WARMUP = 20;
const SECRET = "0123456789abcdef0123456789abcdef";

const corpora = roundTripCorpora();

async function measure(name: string, corpus: string): Promise<string[]> {
  const fake = await FakeSlack.start();
  const user = fake.workspace.addUser({ id: "U0BENCH01", name: "bench" });
  const channel = fake.workspace.addChannel({ id: "C0BENCH01", name: "bench", botIsMember: true });
  const dir = await mkdtemp(path.join(tmpdir(), "paper-picks-bench-"));
  const base = {
    CORPUS: corpus,
    CORPUS_WATCH: "false",
    STORE_URL: `sqlite://${path.join(dir, "store.sqlite")}`,
    SLACK_BOT_TOKEN: "xoxb-0000-bench",
    SLACK_API_URL: fake.apiUrl,
  };
  const app = await createApp(loadConfig(base));
  const rows: string[] = [];
  try {
    const papers = app.services.catalog.current.papers;
    const queries = queriesFrom(
      papers.map((paper) => paper.title),
      ROUNDS + WARMUP,
    );
    for (const mode of ["http", "socket"] as const) {
      const env = mode === "http" ? { SLACK_SIGNING_SECRET: SECRET } : { SLACK_APP_TOKEN: "xapp-1-bench" };
      const slack = await startSlack(app, loadConfig({ ...base, ...env }), { port: 0 });
      const driver =
        mode === "http"
          ? httpDriver(`http://127.0.0.1:${slack.port}/slack/events`, SECRET)
          : socketDriver(fake);
      try {
        const times: number[] = [];
        for (const [index, query] of queries.entries()) {
          const payload = slashCommand(fake, { user, channel }, "/papers", `search ${query}`);
          const started = performance.now();
          await driver.command(payload);
          await fake.nextResponse(payload.response_url as string);
          if (index >= WARMUP) times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        const ms = (value: number) => `${value.toFixed(1)} ms`;
        rows.push(
          `| ${name} | ${mode} | ${papers.length} | ${times.length} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} | ${ms(times.at(-1) ?? Number.NaN)} |`,
        );
      } finally {
        await slack.stop();
        if (mode === "socket") await fake.socketsClosed();
      }
    }
  } finally {
    await app.stop();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

const rows = [
  "| corpus | mode | papers | rounds | p50 | p95 | max |",
  "| --- | --- | --- | --- | --- | --- | --- |",
];
for (const [name, corpus] of corpora) rows.push(...(await measure(name, corpus)));
process.stdout.write(
  `## Slack /papers search round trip (signed request or envelope in → response_url out, loopback)\n\n${rows.join("\n")}\n`,
);
