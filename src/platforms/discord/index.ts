export { runShardManager } from "./shard-manager.ts";
export { planDiscordShards } from "./shard-plan.ts";
export { type DiscordShard, discordShardOf, discordShardShare, shardRequestsPerSecond } from "./shards.ts";
export { type DiscordPlatform, startDiscord } from "./start-discord.ts";
export { DiscordStartError } from "./start-error.ts";
