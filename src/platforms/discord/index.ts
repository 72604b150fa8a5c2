export { runShardManager } from "./shard-manager.ts";
export { planDiscordShards, type ShardPlan, splitShards } from "./shard-plan.ts";
export {
  allShards,
  type DiscordShards,
  discordShardShare,
  discordShardsOf,
  holdsShardZero,
  shardRequestsPerSecond,
} from "./shards.ts";
export { type DiscordPlatform, startDiscord } from "./start-discord.ts";
export { DiscordStartError } from "./start-error.ts";
