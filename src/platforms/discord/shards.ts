import type { TargetShare } from "../../app.ts";
import type { Config } from "../../config.ts";
import { parseTargetKey } from "../../core/target.ts";

/** The gateway shards one process runs: `ids` of `count` shards in all. */
export interface DiscordShards {
  readonly ids: readonly number[];
  readonly count: number;
}

/** Shards 0 to count - 1: one process holding every shard of the bot. */
export function allShards(count: number): DiscordShards {
  return { ids: Array.from({ length: count }, (_, id) => id), count };
}

/**
 * The shards this process runs when the sharding manager spawned it (it sets SHARDS and
 * SHARD_COUNT for its children, and the discord.js Client identifies with them). Undefined in a
 * process that is not one of the manager's.
 */
export function discordShardsOf(config: Pick<Config, "SHARDS" | "SHARD_COUNT">): DiscordShards | undefined {
  if (config.SHARDS === undefined || config.SHARD_COUNT === undefined || config.SHARDS.length === 0)
    return undefined;
  const count = config.SHARD_COUNT;
  if (config.SHARDS.some((id) => id >= count)) return undefined;
  return { ids: config.SHARDS, count };
}

/** Whether the process that runs these shards also runs shard 0: DMs, topic alerts, Slack and command registration. */
export function holdsShardZero(shards: DiscordShards | undefined): boolean {
  return shards === undefined || shards.ids.includes(0);
}

/** Discord's global REST limit for a bot, all its shards together (discord.js's default pacing). */
export const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

/**
 * The global limit belongs to the bot's token, not to a connection or a process: processes pacing
 * to 50 each would together run into 429s (and Discord bans tokens that keep doing that), so each
 * process takes its shards' part of it. A process with every shard takes all of it.
 */
export function shardRequestsPerSecond(shards: DiscordShards): number {
  return Math.max(1, Math.floor((DISCORD_GLOBAL_REQUESTS_PER_SECOND * shards.ids.length) / shards.count));
}

/** Discord's rule: a server's events come through shard (server id >> 22) % shard count. */
export function shardOfGuild(guildId: string, shardCount: number): number | undefined {
  if (!/^\d{1,20}$/.test(guildId)) return undefined;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * What one process of a split bot delivers: the channels of the servers its shards hold; direct
 * messages (`discord:user:<id>`), which Discord routes through shard 0, and every other
 * platform's targets (Slack runs beside shard 0 only) in the process that holds shard 0. A channel
 * whose settings predate the server id falls to shard 0's process too: any process can post
 * through REST, and the delivery claim keeps it single either way. `name` is the process's own
 * (its shard ids), so the cron ticks of two processes never share a claim.
 */
export function discordShardShare(shards: DiscordShards): TargetShare {
  const ids = new Set(shards.ids);
  const zero = ids.has(0);
  return {
    name: `discord#${shards.ids.join(",")}/${shards.count}`,
    serves({ key, guildId }) {
      const target = parseTargetKey(key);
      if (!target) return false;
      if (target.platform !== "discord" || target.kind === "user" || guildId === undefined) return zero;
      return ids.has(shardOfGuild(guildId, shards.count) ?? 0);
    },
  };
}
