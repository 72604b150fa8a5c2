/**
 * One day's digests to 10,000 targets through the Discord and Slack fakes with their rate limits
 * on, on SQLite and (when REDIS_URL is set) on Redis. The bot runs in a child process
 * (bench/delivery-bot.ts) as it runs in production; the fakes, the seeding and the counting are
 * here. Bar: elapsed ≤ 1.10 × the rate-limit lower bound, peak RSS ≤ 500 MB, no duplicate, no miss.
 *
 * - Discord: a global limit of BENCH_DISCORD_RPS requests/s (default 50, Discord's own), counted
 *   in one-second windows, and discord.js's `globalRequestsPerSecond` set to the same.
 * - Slack: 1 message/s per channel (burst 3) and a workspace-wide cap of BENCH_SLACK_RPS
 *   messages/s (default 50, burst one second's worth). Slack publishes no workspace figure
 *   ("several hundred a minute", ~5-10/s: the default is 5-10 × that, to keep the run near three
 *   minutes). With one message per channel the per-channel limit never binds, so the workspace
 *   cap is what bounds the run.
 * Lower bound = (messages − burst) / rate: the first burst goes at once, the rest at the rate.
 * Why not scale Discord up too: the bot spends ~9 ms of CPU per digest on this machine (picks
 * ~3 ms, Discord markdown escaping ~0.7 ms, store, GC), ~100 digests/s on one core; above that
 * the bench would measure our CPU, not the pacing. At 50/s a run takes ~200 s.
 *
 * Run: `tsx bench/delivery.ts` (BENCH_TARGETS, BENCH_DISCORD_RPS, BENCH_SLACK_RPS, REDIS_URL;
 * Redis rows use database BENCH_REDIS_DB, default 9, which the bench empties before and after).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import KeyvRedis from "@keyv/redis";
import { defaultChannelSettings, openStore } from "../src/store/index.ts";
import { FakeDiscord } from "../test/fakes/discord/fake-discord.ts";
import { FakeSlack } from "../test/fakes/slack/fake-slack.ts";
import type { DeliveryBotResult } from "./delivery-bot.ts";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, "..");

const TARGETS = Number(process.env.BENCH_TARGETS ?? 10_000);
const DISCORD_RPS = Number(process.env.BENCH_DISCORD_RPS ?? 50);
const SLACK_RPS = Number(process.env.BENCH_SLACK_RPS ?? 50);
const SLACK_CHANNEL = { perSecond: 1, burst: 3 };
const REDIS_DB = Number(process.env.BENCH_REDIS_DB ?? 9);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 600) * 1000;
const SLACK_SECRET = "0123456789abcdef0123456789abcdef";

type PlatformName = "discord" | "slack";

interface Row {
  readonly platform: PlatformName;
  readonly store: string;
  readonly targets: number;
  readonly messages: number;
  readonly refused: number;
  readonly elapsedS: number;
  readonly boundS: number;
  readonly peakRssMb: number;
  readonly duplicates: number;
  readonly misses: number;
  /** History reads (look-ups of a send left *sending*): none on a day nothing crashed. */
  readonly lookups: number;
  /** The bot's CPU time over the run per target: picks, rendering, claims, ledger, HTTP. */
  readonly cpuMsPerTarget: number;
}

/** A platform fake with its limits on and TARGETS channels, and how to count what reached them. */
interface BenchPlatform {
  readonly env: Record<string, string>;
  readonly targetKeys: readonly string[];
  /** Messages each target channel received. */
  counts(): number[];
  refused(): number;
  /** History reads the bot made (conversations.history, GET channel messages). */
  lookups(): number;
  readonly rate: number;
  readonly burst: number;
  close(): Promise<void>;
}

async function discordPlatform(): Promise<BenchPlatform> {
  const fake = await FakeDiscord.start({ globalRequestsPerSecond: DISCORD_RPS });
  const ids = Array.from({ length: TARGETS }, (_, i) => String(1_500_000_000_000_000_000n + BigInt(i)));
  // In the guild before the bot connects, so discord.js caches them as it would 10,000 real channels.
  for (const [i, id] of ids.entries())
    fake.guild.channels.push({ id, name: `papers-${i}`, type: 0, overwrites: [] });
  return {
    env: {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      BENCH_DISCORD_RPS: String(DISCORD_RPS),
    },
    targetKeys: ids.map((id) => `discord:${id}`),
    counts: () => ids.map((id) => fake.messagesIn(id).length),
    refused: () => fake.globalRateLimit?.refused ?? 0,
    lookups: () =>
      fake.requests.filter(
        (request) => request.method === "GET" && /^\/channels\/\d+\/messages/.test(request.path),
      ).length,
    rate: DISCORD_RPS,
    burst: DISCORD_RPS,
    close: () => fake.close(),
  };
}

async function slackPlatform(): Promise<BenchPlatform> {
  const fake = await FakeSlack.start();
  const ids = Array.from({ length: TARGETS }, (_, i) => `C${String(i).padStart(8, "0")}`);
  for (const [i, id] of ids.entries())
    fake.workspace.addChannel({ id, name: `papers-${i}`, botIsMember: true });
  fake.postLimits.enable({ channel: SLACK_CHANNEL, workspace: { perSecond: SLACK_RPS, burst: SLACK_RPS } });
  return {
    env: {
      SLACK_BOT_TOKEN: "xoxb-0000-bench",
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: fake.apiUrl,
    },
    targetKeys: ids.map((id) => `slack:${id}`),
    counts() {
      const byChannel = new Map<string, number>();
      for (const message of fake.workspace.posted)
        byChannel.set(message.channel, (byChannel.get(message.channel) ?? 0) + 1);
      return ids.map((id) => byChannel.get(id) ?? 0);
    },
    refused: () => fake.postLimits.refused,
    lookups: () => fake.callsOf("conversations.history").length,
    rate: SLACK_RPS,
    burst: SLACK_RPS,
    close: () => fake.close(),
  };
}

/** The Redis database the bench may empty: REDIS_URL with its database number replaced. */
function benchRedisUrl(base: string): string {
  const url = new URL(base);
  url.pathname = `/${REDIS_DB}`;
  return url.toString();
}

async function emptyRedis(url: string): Promise<void> {
  const adapter = new KeyvRedis(url);
  adapter.on("error", () => undefined);
  try {
    const client = await adapter.getClient();
    await client.flushDb();
  } finally {
    await adapter.disconnect(true).catch(() => undefined);
  }
}

/** Channel settings due at 00:00 UTC, so every target's time has passed today whenever the bench runs. */
async function seed(storeUrl: string, targetKeys: readonly string[]): Promise<void> {
  const store = await openStore(storeUrl);
  try {
    const batch = 100;
    for (let start = 0; start < targetKeys.length; start += batch) {
      await Promise.all(
        targetKeys.slice(start, start + batch).map((key) => {
          const [platform, channelId] = key.split(":") as [PlatformName, string];
          return store.channels.put(
            defaultChannelSettings({
              platform,
              channelId,
              setupBy: "bench-admin",
              time: "00:00",
              timezone: "UTC",
            }),
          );
        }),
      );
    }
  } finally {
    await store.close();
  }
}

function runBot(env: Record<string, string>): Promise<DeliveryBotResult> {
  return new Promise((resolve, reject) => {
    // BENCH_BOT_NODE_ARGS: extra node flags for the bot, e.g. "--cpu-prof" to see where its time goes.
    const nodeArgs = (process.env.BENCH_BOT_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const child = spawn(
      process.execPath,
      [...nodeArgs, "--import", "tsx", path.join(benchDir, "delivery-bot.ts")],
      {
        cwd: repoRoot,
        env: { ...process.env, LOG_LEVEL: "warn", CORPUS: "data/papers.txt", CORPUS_WATCH: "false", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    const stderrTail: string[] = [];
    let warnings = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        warnings++;
        stderrTail.push(line.slice(0, 300));
        if (stderrTail.length > 5) stderrTail.shift();
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (warnings > 0)
        process.stderr.write(
          `  the bot logged ${warnings} warning lines; last: ${stderrTail.join("\n  ")}\n`,
        );
      const line = stdout.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as DeliveryBotResult);
      else reject(new Error(`the bot exited with ${signal ?? code}: ${stderrTail.join(" / ")}`));
    });
  });
}

async function measure(platformName: PlatformName, storeName: string, storeUrl: string): Promise<Row> {
  const platform = platformName === "discord" ? await discordPlatform() : await slackPlatform();
  try {
    await seed(storeUrl, platform.targetKeys);
    const result = await runBot({ ...platform.env, STORE_URL: storeUrl });
    const counts = platform.counts();
    const messages = counts.reduce((sum, count) => sum + count, 0);
    return {
      platform: platformName,
      store: storeName,
      targets: TARGETS,
      messages,
      refused: platform.refused(),
      elapsedS: (result.finishedAt - result.startedAt) / 1000,
      boundS: Math.max(0, messages - platform.burst) / platform.rate,
      peakRssMb: result.peakRssMb,
      duplicates: counts.reduce((sum, count) => sum + Math.max(0, count - 1), 0),
      misses: counts.filter((count) => count === 0).length,
      lookups: platform.lookups(),
      cpuMsPerTarget: result.cpuMs / TARGETS,
    };
  } finally {
    await platform.close();
  }
}

function formatRow(row: Row): string {
  const ratio = row.boundS > 0 ? row.elapsedS / row.boundS : Number.NaN;
  const pass = ratio <= 1.1 && row.peakRssMb <= 500 && row.duplicates === 0 && row.misses === 0;
  return `| ${row.platform} | ${row.store} | ${row.targets} | ${row.messages} | ${row.refused} | ${row.elapsedS.toFixed(1)} | ${row.boundS.toFixed(1)} | ${ratio.toFixed(2)} | ${row.peakRssMb} | ${row.duplicates} | ${row.misses} | ${row.lookups} | ${row.cpuMsPerTarget.toFixed(2)} | ${pass ? "yes" : "NO"} |`;
}

async function main(): Promise<void> {
  const platforms = (process.env.BENCH_DELIVERY_PLATFORMS ?? "discord,slack").split(",") as PlatformName[];
  const stores: { name: string; url: () => Promise<{ url: string; cleanup: () => Promise<void> }> }[] = [
    {
      name: "sqlite",
      async url() {
        const dir = await mkdtemp(path.join(tmpdir(), "paper-picks-delivery-"));
        return {
          url: `sqlite://${path.join(dir, "store.sqlite")}`,
          cleanup: () => rm(dir, { recursive: true, force: true }),
        };
      },
    },
  ];
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    stores.push({
      name: "redis",
      async url() {
        const url = benchRedisUrl(redisUrl);
        await emptyRedis(url);
        return { url, cleanup: () => emptyRedis(url) };
      },
    });
  }
  const rows: string[] = [];
  for (const platform of platforms) {
    for (const store of stores) {
      process.stderr.write(`delivery: ${platform} on ${store.name}, ${TARGETS} targets...\n`);
      const { url, cleanup } = await store.url();
      try {
        rows.push(formatRow(await measure(platform, store.name, url)));
        process.stderr.write(`  ${rows.at(-1)}\n`);
      } catch (error) {
        rows.push(
          `| ${platform} | ${store.name} | ${TARGETS} | failed: ${error instanceof Error ? error.message : String(error)} |`,
        );
      } finally {
        await cleanup();
      }
    }
  }
  if (!redisUrl) rows.push("| (redis rows skipped: REDIS_URL is not set) |");
  process.stdout.write(
    [
      `## One day's digests to ${TARGETS} targets at the rate limits (Discord ${DISCORD_RPS} req/s global = ${DISCORD_RPS / 50} × Discord's 50; Slack ${SLACK_RPS} msg/s per workspace, 1/s per channel)`,
      "",
      "| platform | store | targets | messages | 429s | elapsed s | lower bound s | ratio | peak RSS MB | duplicates | misses | look-ups | CPU ms/target | meets bar |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
      ...rows,
      "",
      "elapsed: the bot's catch-up run, from app.start() to its end (listing, claims, picks, sends, ledger).",
      "lower bound: (messages − one second's burst) / rate. Bar: ratio ≤ 1.10, peak RSS ≤ 500 MB, 0 duplicates, 0 misses.",
      "look-ups: history reads, one per delivery left *sending* by a crash; none on a day without one.",
      "CPU ms/target: the bot process's CPU time over the run (all threads) divided by the targets.",
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
