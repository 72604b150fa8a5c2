import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.ts";
import {
  DiscordStartError,
  discordShardShare,
  discordShardsOf,
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
  readonly shards?: number[];
  readonly pid?: number;
  readonly guilds?: number;
  readonly shardsConnected?: number;
}

/** The JSON log lines of the bot (a manager's and its processes', which share its stderr). */
function logLines(stderr: string): LogLine[] {
  return stderr.split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return []; // not a log line
    }
  });
}

/** The shard ids of the process that wrote a log line, as it names them ("" for a process started by hand). */
function shardsOf(entry: LogLine): string {
  return (entry.shards ?? (entry.shard === undefined ? [] : [entry.shard])).join(",");
}

/** The processes (by their shard ids) that logged "digest delivered" for `target`. */
function deliveringProcesses(stderr: string, target: string): string[] {
  return logLines(stderr)
    .filter((entry) => entry.msg === "digest delivered" && entry.target === target)
    .map(shardsOf);
}

/** The process ids of the processes that finished starting with `shards` (catch-up run included), in order. */
function startedPids(stderr: string, shards: string): number[] {
  return logLines(stderr)
    .filter((entry) => entry.msg?.startsWith("paper-picks is running") && shardsOf(entry) === shards)
    .map((entry) => Number(entry.pid));
}

/** One server with a #digests channel on each of `count` shards, added to the fake before the bot starts. */
function guildPerShard(fake: FakeDiscord, count: number): FakeGuild[] {
  return Array.from({ length: count }, (_, shard) =>
    fake.addGuild({ id: guildIdOnShard(shard, count), name: `Club ${shard}`, channels: ["digests"] }),
  );
}

describe("npm start with DISCORD_SHARDS=2", () => {
  it("runs both shards in the one process it started: every server's digest once, both shards' servers answered, and a clean stop on SIGTERM", async () => {
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

    // Both shards identified, each over its own connection.
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

    // A slash command in a server of shard 1 comes in on shard 1's connection and is answered.
    const answer = await running.command(running.member(ada), {
      command: "papers",
      path: ["search"],
      options: { query: "kv cache" },
    });
    expect(readable(answer.data)).toMatch(/Results 1–5 of \d+ for “kv cache”/);
    // And one in a server of shard 0.
    const there = await running.command(
      { user: ada, guild: onShard0, channel: onShard0.channels[0] as FakeChannel },
      { command: "papers", path: ["help"] },
    );
    expect(readable(there.data)).toContain("/papers");

    // The catch-up run is over once the bot logs that it is running (polled: the log is its only sign).
    await vi.waitFor(() => expect(startedPids(started.stderr(), "")).toEqual([started.child.pid]), {
      timeout: 30_000,
      interval: 100,
    });
    const lines = logLines(started.stderr());
    // No sharding manager: the process started runs the bot, one client with both shards and both servers.
    expect(lines.some((entry) => entry.msg?.includes("shard process"))).toBe(false);
    const connected = lines.filter((entry) => entry.msg === "discord connected");
    expect(connected.map((entry) => [entry.pid, entry.guilds, entry.shardsConnected])).toEqual([
      [started.child.pid, 2, 2],
    ]);
    // Each digest once, by that one process; the DM too.
    for (const channel of channels) {
      expect(running.messagesIn(channel.id)).toHaveLength(1);
      expect(deliveringProcesses(started.stderr(), `discord:${channel.id}`)).toEqual([""]);
    }
    expect(running.messagesIn(String(running.dmChannelOf(ada.id)))).toHaveLength(1);
    expect(deliveringProcesses(started.stderr(), `discord:user:${ada.id}`)).toEqual([""]);
    expect(running.requests.filter((request) => request.method === "PUT")).toHaveLength(1);
    expect(started.stderr()).toContain(`"date":"${today}"`);

    // SIGTERM drains and disconnects both shards; the process exits 0.
    started.child.kill("SIGTERM");
    expect(await exitCodeWithin(started, 25_000, "the sharded bot")).toBe(0);
    await running.waitFor(
      () => (running.openGatewayConnections === 0 ? true : undefined),
      5_000,
      "every gateway connection to close",
    );
  }, 120_000);
});

describe("npm start with DISCORD_SHARDS=4 and DISCORD_SHARDS_PER_PROCESS=2", () => {
  it("runs two processes of two shards: each delivers its servers' digests once, answers its servers, and a dead one is restarted, and all stop on SIGTERM", async () => {
    fake = await FakeDiscord.start({ maxConcurrency: 16 });
    const running = fake;
    const guilds = guildPerShard(running, 4);
    dir = await mkdtemp(join(tmpdir(), "paper-picks-discord-shards-"));
    const storeUrl = `sqlite://${join(dir, "store.sqlite")}`;
    const { timezone, today } = middayZone();
    await seedStore(storeUrl, guilds, timezone);

    bot = startBotProcess({
      DISCORD_TOKEN: running.token,
      DISCORD_API_URL: running.apiUrl,
      DISCORD_SHARDS: "4",
      DISCORD_SHARDS_PER_PROCESS: "2",
      STORE_URL: storeUrl,
      DIGEST_DEFAULT_TIME: "00:00",
      DIGEST_DEFAULT_TIMEZONE: timezone,
    });
    const started = bot;

    await running.waitFor(
      () => (running.gateway.shards.length >= 4 ? true : undefined),
      60_000,
      "all four shards to identify",
    );
    expect([...running.gateway.shards].sort()).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
    ]);
    const channels = guilds.flatMap((guild) => guild.channels);
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

    // A slash command in a server of shard 3 (second process) and of shard 0 (first) are answered.
    for (const guild of [guilds[3], guilds[0]] as FakeGuild[]) {
      const answer = await running.command(
        { user: ada, guild, channel: guild.channels[0] as FakeChannel },
        { command: "papers", path: ["search"], options: { query: "kv cache" } },
      );
      expect(readable(answer.data)).toMatch(/Results 1–5 of \d+ for “kv cache”/);
    }

    await vi.waitFor(
      () =>
        expect([startedPids(started.stderr(), "0,1"), startedPids(started.stderr(), "2,3")]).toEqual([
          [expect.any(Number)],
          [expect.any(Number)],
        ]),
      { timeout: 30_000, interval: 100 },
    );
    // READY and GUILD_CREATE gave each process the servers of its own two shards only (the
    // fake's own first server included).
    const held = (low: boolean) =>
      running.guilds.filter((guild) => shardOfGuild(guild.id, 4) < 2 === low).length;
    const connected = logLines(started.stderr()).filter((entry) => entry.msg === "discord connected");
    expect(connected.map((entry) => [shardsOf(entry), entry.guilds, entry.shardsConnected]).sort()).toEqual([
      ["0,1", held(true), 2],
      ["2,3", held(false), 2],
    ]);
    // Each digest once, by the process that holds the channel's server; DMs by shard 0's.
    for (const [index, guild] of guilds.entries()) {
      const holder = index < 2 ? "0,1" : "2,3";
      for (const channel of guild.channels) {
        expect(running.messagesIn(channel.id)).toHaveLength(1);
        expect(deliveringProcesses(started.stderr(), `discord:${channel.id}`)).toEqual([holder]);
      }
    }
    expect(running.messagesIn(String(running.dmChannelOf(ada.id)))).toHaveLength(1);
    expect(deliveringProcesses(started.stderr(), `discord:user:${ada.id}`)).toEqual(["0,1"]);
    // The commands belong to the application: shard 0's process registers them, once.
    expect(running.requests.filter((request) => request.method === "PUT")).toHaveLength(1);
    expect(started.stderr()).toContain(`"date":"${today}"`);

    // A process that dies is started again: its shards identify anew, answer their servers, and its
    // catch-up finds today's digests already delivered.
    const [crashed] = startedPids(started.stderr(), "2,3");
    process.kill(Number(crashed), "SIGKILL");
    // Polled from the log: the new process's start-up makes no request the fake could wake on.
    await vi.waitFor(() => expect(startedPids(started.stderr(), "2,3")).toHaveLength(2), {
      timeout: 60_000,
      interval: 100,
    });
    expect(running.gateway.shards).toHaveLength(6);
    expect([...running.gateway.shards.slice(-2)].sort()).toEqual([
      [2, 4],
      [3, 4],
    ]);
    const afterRestart = await running.command(
      { user: ada, guild: guilds[2] as FakeGuild, channel: guilds[2]?.channels[0] as FakeChannel },
      { command: "papers", path: ["help"] },
    );
    expect(readable(afterRestart.data)).toContain("/papers");
    for (const channel of channels) expect(running.messagesIn(channel.id)).toHaveLength(1);
    expect(startedPids(started.stderr(), "0,1")).toHaveLength(1);

    // SIGTERM to the manager stops every process (each drains) and the manager exits 0.
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
    // However many shards, by default they all run in one process.
    expect(await planDiscordShards(loadConfig(env))).toEqual({
      count: 3,
      maxConcurrency: 4,
      processes: [[0, 1, 2]],
    });
    expect(await planDiscordShards(loadConfig({ ...env, DISCORD_SHARDS: "2" }))).toEqual({
      count: 2,
      maxConcurrency: 4,
      processes: [[0, 1]],
    });
    expect(await planDiscordShards(loadConfig({ ...env, DISCORD_SHARDS_PER_PROCESS: "2" }))).toEqual({
      count: 3,
      maxConcurrency: 4,
      processes: [[0, 1], [2]],
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
    for (const wrong of ["0", "-2", "1.5", "two", "auto"]) {
      expect(() => loadConfig({ DISCORD_SHARDS_PER_PROCESS: wrong })).toThrow(
        /^DISCORD_SHARDS_PER_PROCESS \(got "[^"]*"\): must be a whole number/,
      );
    }
    // The process whose first shard is i serves metrics on METRICS_PORT + i: the last one must still be a port.
    await expect(
      planDiscordShards(loadConfig({ ...env, DISCORD_SHARDS_PER_PROCESS: "1", METRICS_PORT: "65535" })),
    ).rejects.toThrow(/^METRICS_PORT/);
    // All shards in one process: one port.
    expect((await planDiscordShards(loadConfig({ ...env, METRICS_PORT: "65535" }))).processes).toHaveLength(
      1,
    );
  });

  it("reads the shard ids the manager sets in SHARDS, and names SHARDS when it is wrong", () => {
    expect(discordShardsOf(loadConfig({ SHARDS: "[2,3]", SHARD_COUNT: "4" }))).toEqual({
      ids: [2, 3],
      count: 4,
    });
    expect(discordShardsOf(loadConfig({ SHARDS: "1", SHARD_COUNT: "2" }))).toEqual({ ids: [1], count: 2 });
    expect(discordShardsOf(loadConfig({ SHARDS: "0,1", SHARD_COUNT: "4" }))).toEqual({
      ids: [0, 1],
      count: 4,
    });
    // A shard the bot does not have, or no count: not a process of the manager's.
    expect(discordShardsOf(loadConfig({ SHARDS: "[3,4]", SHARD_COUNT: "4" }))).toBeUndefined();
    expect(discordShardsOf(loadConfig({ SHARDS: "[0]" }))).toBeUndefined();
    expect(() => loadConfig({ SHARDS: "[0,a]" })).toThrow(
      /^SHARDS \(got "\[0,a\]"\): must be a list of shard ids/,
    );
  });

  it("gives each process the channels of its shards' servers, and DMs and other platforms to shard 0's", () => {
    const [first, second] = [
      discordShardShare({ ids: [0], count: 2 }),
      discordShardShare({ ids: [1], count: 2 }),
    ];
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

    // Processes of two shards out of four: each takes the servers of both its shards.
    const [low, high] = [
      discordShardShare({ ids: [0, 1], count: 4 }),
      discordShardShare({ ids: [2, 3], count: 4 }),
    ];
    for (let shard = 0; shard < 4; shard++) {
      const channel = { key: "discord:1100000000000000011", guildId: guildIdOnShard(shard, 4) };
      expect([low.serves(channel), high.serves(channel)]).toEqual(shard < 2 ? [true, false] : [false, true]);
    }
    expect([
      low.serves({ key: "discord:user:1400000000000000001" }),
      high.serves({ key: "slack:C0123" }),
    ]).toEqual([true, false]);
    expect(low.name).not.toBe(high.name);
  });

  it("splits the bot's global 50 requests/s between the processes by their shards, so together they stay under it", () => {
    const shares = [1, 2, 3, 64, 100].map((count) => ({
      count,
      each: shardRequestsPerSecond({ ids: [0], count }),
    }));
    for (const { count, each } of shares) {
      expect(each).toBeGreaterThanOrEqual(1);
      if (count <= 50) expect(each * count).toBeLessThanOrEqual(50);
    }
    expect(shares[0]?.each).toBe(50);
    expect(shardRequestsPerSecond({ ids: [0, 1], count: 4 })).toBe(25);
    expect(shardRequestsPerSecond({ ids: [0, 1, 2, 3], count: 4 })).toBe(50);
  });
});
