import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { CorpusError } from "./corpus/index.ts";
import { log } from "./log.ts";
import { ConsolePlatform } from "./platforms/console/console-platform.ts";
import type { RunningPlatform } from "./platforms/contract.ts";
import {
  allShards,
  type DiscordShards,
  discordShardShare,
  discordShardsOf,
  holdsShardZero,
  shardRequestsPerSecond,
} from "./platforms/discord/shards.ts";
import { DiscordStartError } from "./platforms/discord/start-error.ts";
import { StoreError } from "./store/index.ts";

/**
 * Wiring only: read the environment, build the core, start the console, and turn the errors a
 * user can fix (bad variable, bad corpus file, unusable store) into one line and exit code 1.
 *
 * With Discord sharded (DISCORD_SHARDS, or Discord's recommendation above one shard) every shard
 * runs in this process, in one discord.js Client. With DISCORD_SHARDS_PER_PROCESS splitting them,
 * this process becomes the sharding manager and runs no bot itself; the processes it spawns run
 * this same file, each with its shards: core + their gateway connections, Slack beside shard 0,
 * no console.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { once: { type: "string" } }, allowPositionals: false });
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  // A service logs at info; the prompt shares the terminal with the log, so it shows warnings only.
  const slackWanted = Boolean(
    config.SLACK_BOT_TOKEN || config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET,
  );
  const service = Boolean(config.DISCORD_TOKEN || slackWanted) && values.once === undefined;
  const quiet = values.once === undefined ? "warn" : "error";
  log.level = process.env.LOG_LEVEL ? config.LOG_LEVEL : service ? "info" : quiet;

  // Set when the sharding manager spawned this process: the shards it runs, a part of the bot's.
  const spawned = config.DISCORD_TOKEN ? discordShardsOf(config) : undefined;
  // The platform SDKs load only for the platforms this process runs: the console and `--once`
  // never pay for discord.js or Bolt at start-up, and a Slack-only bot never loads discord.js.
  const discord = service && config.DISCORD_TOKEN ? await import("./platforms/discord/index.ts") : undefined;
  let shards: DiscordShards | undefined = spawned;
  if (discord && config.DISCORD_TOKEN && !spawned) {
    const plan = await discord.planDiscordShards(config);
    if (plan.processes.length > 1) {
      const entry = fileURLToPath(import.meta.url);
      process.exit(await discord.runShardManager({ entry, token: config.DISCORD_TOKEN, plan }));
    }
    // Every shard in this process: one corpus, index and store for all of them, and all targets.
    if (plan.count > 1) shards = allShards(plan.count);
  }
  if (spawned)
    log.setBindings(spawned.ids.length === 1 ? { shard: spawned.ids[0] } : { shards: spawned.ids });

  const app = await createApp(config, {
    ...(spawned && { share: discordShardShare(spawned) }),
    // One metrics endpoint per process: the one whose first shard is i listens on METRICS_PORT + i.
    ...(spawned &&
      config.METRICS_PORT !== undefined && { metricsPort: config.METRICS_PORT + (spawned.ids[0] ?? 0) }),
  });
  // A spawned process has no terminal of its own: the console runs only in a process started by hand.
  const console = spawned ? undefined : new ConsolePlatform(app.router, app.services);
  if (console) app.outbox.register("console", console.send);

  if (console && values.once !== undefined) {
    process.stdout.write(`${await console.answer(values.once)}\n`);
    await app.stop();
    return;
  }

  // Signals are handled before anything connects, so a stop during start-up still closes the store.
  const platforms: RunningPlatform[] = [];
  let stopping = false;
  // Deliveries in flight finish (bounded) while the platforms are still connected to carry them;
  // then the platforms disconnect and the store closes last.
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await app.drain();
      for (const platform of platforms) await platform.stop();
      await app.stop();
    } catch (error) {
      log.error({ err: error }, "paper-picks did not shut down cleanly");
      process.exit(1);
    }
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  process.on("SIGHUP", () => void app.reloadCorpus("SIGHUP"));
  // A shard whose manager is gone (killed outright) stops rather than run on unsupervised.
  if (spawned) process.on("disconnect", () => void stop());

  // Chat platforms start when their tokens are set; with none, the console is the bot.
  if (discord) {
    platforms.push(
      await discord.startDiscord(app, config, {
        ...(spawned && { globalRequestsPerSecond: shardRequestsPerSecond(spawned) }),
        ...(shards && { shards }),
      }),
    );
  }
  // Any Slack variable means Slack is wanted, so a missing bot token is named rather than ignored.
  // Split into processes, Slack runs beside shard 0 alone: one Socket Mode connection, one HTTP port.
  if (slackWanted && holdsShardZero(spawned)) {
    const { startSlack } = await import("./platforms/slack/index.ts");
    platforms.push(await startSlack(app, config));
  }
  await app.start();
  if (platforms.length > 0 || !console) {
    log.info({ platforms: platforms.length }, "paper-picks is running; SIGINT or SIGTERM stops it");
    return;
  }
  await console.repl();
  await stop();
}

const userFixable = [ConfigError, CorpusError, StoreError, DiscordStartError];

main().catch((error: unknown) => {
  const busyPort = (error as { code?: string; port?: number }).code === "EADDRINUSE";
  if (userFixable.some((kind) => error instanceof kind)) {
    process.stderr.write(`paper-picks: ${(error as Error).message}\n`);
  } else if (busyPort) {
    const port = (error as { port?: number }).port;
    process.stderr.write(
      `paper-picks: port ${port} is already in use; set PORT or METRICS_PORT to a free one\n`,
    );
  } else {
    log.fatal({ err: error }, "paper-picks stopped");
  }
  process.exit(1);
});
