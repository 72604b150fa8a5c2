/**
 * The bot side of bench/delivery.ts, in a process of its own so that its peak RSS is the bot's
 * alone: the real core and the real Discord or Slack client, configured from the environment as
 * the bot is (STORE_URL, CORPUS, DISCORD_TOKEN / DISCORD_API_URL or SLACK_BOT_TOKEN /
 * SLACK_SIGNING_SECRET / SLACK_API_URL), plus BENCH_DISCORD_RPS, discord.js's global limit to
 * pace to. It starts the app, whose catch-up run delivers every target already due today, and
 * prints one JSON line: when that run started and ended, its CPU time, and the process's peak RSS.
 */
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { startDiscord } from "../src/platforms/discord/index.ts";
import { startSlack } from "../src/platforms/slack/index.ts";

export interface DeliveryBotResult {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly peakRssMb: number;
  /** CPU time (user + system, all threads) the process spent in the run. */
  readonly cpuMs: number;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  const platform = config.DISCORD_TOKEN
    ? await startDiscord(app, config, {
        globalRequestsPerSecond: Number(process.env.BENCH_DISCORD_RPS ?? 50),
      })
    : await startSlack(app, config, { port: 0 });
  const startedAt = Date.now();
  const cpuBefore = process.cpuUsage();
  // Installs the cron jobs, then the catch-up run: every target whose time has passed today.
  await app.start();
  const finishedAt = Date.now();
  const cpu = process.cpuUsage(cpuBefore);
  const result: DeliveryBotResult = {
    startedAt,
    finishedAt,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
  await app.drain();
  await platform.stop();
  await app.stop();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
