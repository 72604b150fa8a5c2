import type { TargetShare } from "../../app.ts";
import type { Config } from "../../config.ts";
import { parseTargetKey } from "../../core/target.ts";

/** One gateway shard of the bot: `id` of `count`. */
export interface DiscordShard {
  readonly id: number;
  readonly count: number;
}

/**
 * The shard this process runs, when discord.js's ShardingManager spawned it (it sets SHARDS and
 * SHARD_COUNT for its children, and the discord.js Client identifies with them). Undefined in a
 * process that is not a shard.
 */
export function discordShardOf(config: Pick<Config, "SHARDS" | "SHARD_COUNT">): DiscordShard | undefined {
  if (config.SHARDS === undefined || config.SHARD_COUNT === undefined) return undefined;
  if (config.SHARDS >= config.SHARD_COUNT) return undefined;
  return { id: config.SHARDS, count: config.SHARD_COUNT };
}

/** Discord's global REST limit for a bot, all its shards together (discord.js's default pacing). */
export const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

/**
 * The global limit belongs to the bot's token, not to a connection: shards pacing to 50 each would
 * together run into 429s (and Discord bans tokens that keep doing that), so each takes its share.
 */
export function shardRequestsPerSecond(shard: DiscordShard): number {
  return Math.max(1, Math.floor(DISCORD_GLOBAL_REQUESTS_PER_SECOND / shard.count));
}

/** Discord's rule: a server's events come through shard (server id >> 22) % shard count. */
export function shardOfGuild(guildId: string, shardCount: number): number | undefined {
  if (!/^\d{1,20}$/.test(guildId)) return undefined;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * What one shard's process delivers: the channels of the servers that shard holds; direct
 * messages (`discord:user:<id>`), which Discord routes through shard 0, and every other
 * platform's targets (Slack runs in shard 0 only) on shard 0. A channel whose settings predate
 * the server id falls to shard 0 too: any process can post through REST, and the delivery claim
 * keeps it single either way.
 */
export function discordShardShare(shard: DiscordShard): TargetShare {
  return {
    name: `discord#${shard.id}/${shard.count}`,
    serves({ key, guildId }) {
      const target = parseTargetKey(key);
      if (!target) return false;
      if (target.platform !== "discord" || target.kind === "user" || guildId === undefined) {
        return shard.id === 0;
      }
      return (shardOfGuild(guildId, shard.count) ?? 0) === shard.id;
    },
  };
}
