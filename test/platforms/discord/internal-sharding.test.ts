import { afterEach, describe, expect, it } from "vitest";
import { splitShards } from "../../../src/platforms/discord/index.ts";
import { guildIdOnShard, shardOfGuild } from "../../fakes/discord/fake-discord.ts";
import type { FakeChannel, FakeGuild } from "../../fakes/discord/payloads.ts";
import { ADMIN_PERMISSIONS, ada, admin, type DiscordBot, readable, startDiscordBot } from "./discord-bot.ts";

let running: DiscordBot | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const SHARDS = 4;
const morning = () => new Date("2026-11-26T08:00:00Z");

describe("several gateway shards in one process", () => {
  it("connects every shard in one client, answers each shard's servers, and delivers each server's digest once", async () => {
    const guilds: FakeGuild[] = [];
    running = await startDiscordBot({
      now: morning,
      shards: SHARDS,
      prepare(fake) {
        // One server on each shard (the fake's own first server lies on one of them too).
        for (let shard = 0; shard < SHARDS; shard++) {
          guilds.push(
            fake.addGuild({
              id: guildIdOnShard(shard, SHARDS),
              name: `Club ${shard}`,
              channels: ["digests"],
            }),
          );
        }
      },
    });
    const { fake, bot } = running;
    expect(guilds.map((guild) => shardOfGuild(guild.id, SHARDS))).toEqual([0, 1, 2, 3]);

    // One identify per shard, each over a connection of its own, all from this process's one client.
    expect([...fake.gateway.shards].sort()).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
    ]);
    expect(fake.openGatewayConnections).toBe(SHARDS);
    // The commands belong to the application: registered once, not once per shard.
    expect(fake.requests.filter((request) => request.method === "PUT")).toHaveLength(1);

    // A slash command in a server of each shard comes in on that shard's connection and is answered.
    for (const guild of guilds) {
      const channel = guild.channels[0] as FakeChannel;
      const answer = await fake.command(
        { user: admin, guild, channel, permissions: ADMIN_PERMISSIONS },
        { command: "digest", path: ["setup"] },
      );
      expect(readable(answer.data)).toContain(`daily picks in #${channel.name}`);
    }
    const search = await fake.command(
      { user: ada, guild: guilds[1] as FakeGuild, channel: guilds[1]?.channels[0] as FakeChannel },
      { command: "papers", path: ["search"], options: { query: "kv cache" } },
    );
    expect(readable(search.data)).toMatch(/Results 1–5 of \d+ for “kv cache”/);

    // The one process serves every shard's channels: each gets its digest, once.
    const report = await bot.app.services.scheduler.runDue(new Date("2026-11-26T09:00:00Z"));
    expect(report.failed).toEqual([]);
    await bot.app.services.scheduler.runDue(new Date("2026-11-26T09:30:00Z"));
    for (const guild of guilds) {
      const posted = fake.messagesIn((guild.channels[0] as FakeChannel).id);
      expect(posted).toHaveLength(1);
      expect(posted[0]?.body.content).toContain("Today's picks");
    }
  });

  it("splits the shards into processes of DISCORD_SHARDS_PER_PROCESS consecutive ids, or keeps them in one", () => {
    expect(splitShards(4, undefined)).toEqual([[0, 1, 2, 3]]);
    expect(splitShards(4, 2)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(splitShards(5, 2)).toEqual([[0, 1], [2, 3], [4]]);
    expect(splitShards(3, 1)).toEqual([[0], [1], [2]]);
    expect(splitShards(3, 8)).toEqual([[0, 1, 2]]);
    expect(splitShards(1, undefined)).toEqual([[0]]);
  });
});
