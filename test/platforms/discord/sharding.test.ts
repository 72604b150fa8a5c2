import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.ts";
import {
  DiscordStartError,
  discordShardShare,
  planDiscordShards,
  shardRequestsPerSecond,
} from "../../../src/platforms/discord/index.ts";
import { localDateIn } from "../../../src/schedule/local-time.ts";
import { defaultChannelSettings, openStore } from "../../../src/store/index.ts";
import { FakeDiscord, guildIdOnShard, shardOfGuild } from "../../fakes/discord/fake-discord.ts";
import type { FakeChannel, FakeGuild } from "../../fakes/discord/payloads.ts";
import {
  type BotProcess,
  exitCodeWithin,
  killBotProcess,
  startBotProcess,
} from "../../support/bot-process.ts";
import { ada, admin, readable } from "./discord-bot.ts";

let fake: FakeDiscord | undefined;
let bot: BotProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (bot) await killBotProcess(bot);
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
  bot = undefined;
  dir = undefined;
});

/**
 * A zone where it is about noon now: a digest at 00:00 there has passed today, so each shard's
 * catch-up at start delivers it, and the local date cannot change while the test runs.
 */
function middayZone(now = new Date()): { timezone: string; today: string } {
  const offset = 12 - now.getUTCHours();
  // Etc/GMT-5 is UTC+5: the POSIX sign is the other way round.
  const timezone = offset === 0 ? "UTC" : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
  return { timezone, today: localDateIn(now, timezone) };
}

/** Digests at 00:00 for these guilds' channels, and a topic alert for ada, set up before the bot starts. */
async function seedStore(storeUrl: string, guilds: readonly FakeGuild[], timezone: string): Promise<void> {
  // The topic was added yesterday, so today's alert at the default time is due already.
  const store = await openStore(storeUrl, { now: () => new Date(Date.now() - 86_400_000) });
  try {
    for (const guild of guilds) {
      for (const channel of guild.channels) {
        await store.channels.put(
          defaultChannelSettings({
            platform: "discord",
            channelId: channel.id,
            channelName: channel.name,
            guildId: guild.id,
            setupBy: admin.id,
            time: "00:00",
            timezone,
          }),
        );
      }
    }
    await store.subscriptions.addTopic(`discord:user:${ada.id}`, "diffusion");
  } finally {
    await store.close();
  }
}

interface LogLine {
  readonly msg?: string;
  readonly target?: string;
  readonly shard?: number;
  readonly pid?: number;
  readonly guilds?: number;
}

/** The JSON log lines of the manager and its shards, which share its stderr. */
function logLines(stderr: string): LogLine[] {
  return stderr.split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return []; // not a log line
    }
  });
}

/** The shard ids that logged "digest delivered" for `target`. */
function deliveringShards(stderr: string, target: string): number[] {
  return logLines(stderr)
    .filter((entry) => entry.msg === "digest delivered" && entry.target === target)
    .map((entry) => Number(entry.shard));
}

/** The process ids of the processes that finished starting as `shard` (catch-up run included), in order. */
function startedShardPids(stderr: string, shard: number): number[] {
  return logLines(stderr)
    .filter((entry) => entry.msg?.startsWith("paper-picks is running") && entry.shard === shard)
    .map((entry) => Number(entry.pid));
}

describe("npm start with DISCORD_SHARDS=2", () => {
  it("runs one process per shard: each delivers its servers' digests once, answers its servers, and restarts a dead one, and all stop on SIGTERM", async () => {
    fake = await FakeDiscord.start({ maxConcurrency: 16 });
    const running = fake;
    // The fake's first guild falls on shard 1 of 2; this one on shard 0.
    const onShard0 = running.addGuild({
      id: guildIdOnShard(0, 2),
      name: "Journal Club",
      channels: ["digests"],
    });
    const onShard1 = running.guild;
    expect([shardOfGuild(onShard0.id, 2), shardOfGuild(onShard1.id, 2)]).toEqual([0, 1]);

    dir = await mkdtemp(join(tmpdir(), "paper-picks-discord-shards-"));
    const storeUrl = `sqlite://${join(dir, "store.sqlite")}`;
    const { timezone, today } = middayZone();
    await seedStore(storeUrl, [onShard0, onShard1], timezone);

    bot = startBotProcess({
      DISCORD_TOKEN: running.token,
      DISCORD_API_URL: running.apiUrl,
      DISCORD_SHARDS: "2",
      STORE_URL: storeUrl,
      DIGEST_DEFAULT_TIME: "00:00",
      DIGEST_DEFAULT_TIMEZONE: timezone,
    });
    const started = bot;

    // Each shard process identified as its own shard.
    await running.waitFor(
      () => (running.gateway.shards.length >= 2 ? true : undefined),
      60_000,
      "both shards to identify",
    );
    expect([...running.gateway.shards].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);

    // Every channel of both servers gets its digest, and ada her topic alert by DM.
    const channels = [...onShard0.channels, ...onShard1.channels];
    await running.waitFor(
      () => (channels.every((channel) => running.messagesIn(channel.id).length > 0) ? true : undefined),
      60_000,
      "a digest in every channel",
    );
    await running.waitFor(
      () => {
        const dm = running.dmChannelOf(ada.id);
        return dm !== undefined && running.messagesIn(dm).length > 0 ? dm : undefined;
      },
      30_000,
      "ada's topic alert",
    );

    // A slash command in a server of shard 1 reaches shard 1's connection and is answered.
    const answer = await running.command(running.member(ada), {
      command: "papers",
      path: ["search"],
      options: { query: "kv cache" },
    });
    expect(readable(answer.data)).toMatch(/Results 1–5 of \d+ for “kv cache”/);
    // And one in a server of shard 0, by shard 0.
    const there = await running.command(
      { user: ada, guild: onShard0, channel: onShard0.channels[0] as FakeChannel },
      { command: "papers", path: ["help"] },
    );
    expect(readable(there.data)).toContain("/papers");

    // Each shard's catch-up run is over once it logs that it is running (polled: the log is its
    // only sign of that).
    await vi.waitFor(
      () =>
        expect([startedShardPids(started.stderr(), 0), startedShardPids(started.stderr(), 1)]).toEqual([
          [expect.any(Number)],
          [expect.any(Number)],
        ]),
      { timeout: 30_000, interval: 100 },
    );
    // READY and GUILD_CREATE gave each shard its own server only.
    const connected = logLines(started.stderr()).filter((entry) => entry.msg === "discord connected");
    expect(connected.map((entry) => [entry.shard, entry.guilds]).sort()).toEqual([
      [0, 1],
      [1, 1],
    ]);
    // Each digest once, by the shard that holds the channel's server; DMs by shard 0.
    for (const channel of channels) {
      expect(running.messagesIn(channel.id)).toHaveLength(1);
      const holder = onShard0.channels.includes(channel) ? 0 : 1;
      expect(deliveringShards(started.stderr(), `discord:${channel.id}`)).toEqual([holder]);
    }
    expect(running.messagesIn(String(running.dmChannelOf(ada.id)))).toHaveLength(1);
    // The commands belong to the application: shard 0 registers them, once.
    expect(running.requests.filter((request) => request.method === "PUT")).toHaveLength(1);
    expect(deliveringShards(started.stderr(), `discord:user:${ada.id}`)).toEqual([0]);
    expect(started.stderr()).toContain(`"date":"${today}"`);

    // A shard that dies is started again: it identifies anew, answers its servers, and its
    // catch-up finds today's digests already delivered.
    const [crashed] = startedShardPids(started.stderr(), 1);
    process.kill(Number(crashed), "SIGKILL");
    // Polled from the log: the new process's start-up makes no request the fake could wake on.
    await vi.waitFor(() => expect(startedShardPids(started.stderr(), 1)).toHaveLength(2), {
      timeout: 60_000,
      interval: 100,
    });
    expect(running.gateway.shards).toHaveLength(3);
    expect(running.gateway.shards.at(-1)).toEqual([1, 2]);
    const afterRestart = await running.command(running.member(ada), { command: "papers", path: ["help"] });
    expect(readable(afterRestart.data)).toContain("/papers");
    for (const channel of channels) expect(running.messagesIn(channel.id)).toHaveLength(1);

    // SIGTERM to the manager stops every shard (each drains) and the manager exits 0.
    started.child.kill("SIGTERM");
    expect(await exitCodeWithin(started, 25_000, "the sharded bot")).toBe(0);
    await running.waitFor(
      () => (running.openGatewayConnections === 0 ? true : undefined),
      5_000,
      "every gateway connection to close",
    );
  }, 120_000);
});

describe("choosing and splitting the shards", () => {
  it("takes Discord's recommendation for auto, a number as given, and names DISCORD_SHARDS when it is wrong", async () => {
    fake = await FakeDiscord.start({ shards: 3, maxConcurrency: 4 });
    const env = { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl };
    expect(await planDiscordShards(loadConfig(env))).toEqual({ count: 3, maxConcurrency: 4 });
    expect(await planDiscordShards(loadConfig({ ...env, DISCORD_SHARDS: "2" }))).toEqual({
      count: 2,
      maxConcurrency: 4,
    });
    const refused = loadConfig({
      ...env,
      DISCORD_TOKEN: "MTIwMDAwMDAwMDAwMDAwMDAwMQ.Gwrong.aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    });
    await expect(planDiscordShards(refused)).rejects.toThrow(DiscordStartError);
    for (const wrong of ["two", "0", "-1", "1.5"]) {
      expect(() => loadConfig({ DISCORD_SHARDS: wrong })).toThrow(ConfigError);
      expect(() => loadConfig({ DISCORD_SHARDS: wrong })).toThrow(
        /^DISCORD_SHARDS \(got "[^"]*"\): must be auto or a whole number/,
      );
    }
    // Shard i serves metrics on METRICS_PORT + i: the last one must still be a port.
    await expect(planDiscordShards(loadConfig({ ...env, METRICS_PORT: "65535" }))).rejects.toThrow(
      /^METRICS_PORT/,
    );
  });

  it("gives each shard the channels of its own servers, and DMs and other platforms to shard 0", () => {
    const [first, second] = [discordShardShare({ id: 0, count: 2 }), discordShardShare({ id: 1, count: 2 })];
    const onShard1 = { key: "discord:1100000000000000011", guildId: guildIdOnShard(1, 2) };
    expect([first.serves(onShard1), second.serves(onShard1)]).toEqual([false, true]);
    for (const key of ["discord:user:1400000000000000001", "slack:C0123", "slack:user:U0123", "console"]) {
      expect([first.serves({ key }), second.serves({ key })]).toEqual([true, false]);
    }
    // A channel set up before settings carried its server: shard 0 sends it (the claim keeps it single).
    expect([
      first.serves({ key: "discord:1100000000000000011" }),
      second.serves({ key: "discord:1100000000000000011" }),
    ]).toEqual([true, false]);
    expect(first.name).not.toBe(second.name);
  });

  it("splits the bot's global 50 requests/s between the shards, so together they stay under it", () => {
    const shares = [1, 2, 3, 64, 100].map((count) => ({
      count,
      each: shardRequestsPerSecond({ id: 0, count }),
    }));
    for (const { count, each } of shares) {
      expect(each).toBeGreaterThanOrEqual(1);
      if (count <= 50) expect(each * count).toBeLessThanOrEqual(50);
    }
    expect(shares[0]?.each).toBe(50);
  });
});
