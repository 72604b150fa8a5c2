import { REST, Routes } from "discord.js";
import type { Config } from "../../config.ts";
import { ConfigError } from "../../config.ts";
import { startError } from "./connect.ts";

/** How many shards the bot has, how many Discord lets identify at once, and which process runs which. */
export interface ShardPlan {
  readonly count: number;
  readonly maxConcurrency: number;
  /** The shard ids of each process, in order: one list of all of them unless DISCORD_SHARDS_PER_PROCESS splits them. */
  readonly processes: readonly (readonly number[])[];
}

/** Shards 0 to count - 1 in runs of `perProcess` consecutive ids; unset, all in one. */
export function splitShards(count: number, perProcess: number | undefined): number[][] {
  const size = Math.max(1, Math.min(count, perProcess ?? count));
  const processes: number[][] = [];
  for (let first = 0; first < count; first += size) {
    processes.push(Array.from({ length: Math.min(size, count - first) }, (_, offset) => first + offset));
  }
  return processes;
}

/** The part of GET /gateway/bot that sharding reads. */
interface GatewayBot {
  readonly shards?: number;
  readonly session_start_limit?: { readonly max_concurrency?: number };
}

/**
 * DISCORD_SHARDS as a number of shards: a number stays as it is, `auto` takes Discord's
 * recommendation from GET /gateway/bot (which also says how many shards may identify at once);
 * DISCORD_SHARDS_PER_PROCESS splits them into processes.
 * Asked through the configured API URL: discord.js's own "auto" always asks discord.com.
 * A refused token or an unreachable Discord becomes the same one-line DiscordStartError as at connect.
 */
export async function planDiscordShards(
  config: Pick<
    Config,
    "DISCORD_TOKEN" | "DISCORD_API_URL" | "DISCORD_SHARDS" | "DISCORD_SHARDS_PER_PROCESS" | "METRICS_PORT"
  >,
): Promise<ShardPlan> {
  if (!config.DISCORD_TOKEN || config.DISCORD_SHARDS === 1)
    return { count: 1, maxConcurrency: 1, processes: [[0]] };
  // No sweeper timers: this client makes one request, and must not keep a process alive after it.
  const rest = new REST({
    ...(config.DISCORD_API_URL !== undefined && { api: config.DISCORD_API_URL }),
    hashSweepInterval: 0,
    handlerSweepInterval: 0,
  }).setToken(config.DISCORD_TOKEN);
  let gateway: GatewayBot;
  try {
    gateway = (await rest.get(Routes.gatewayBot())) as GatewayBot;
  } catch (error) {
    throw startError(error, config.DISCORD_API_URL);
  }
  const recommended = Math.max(1, Math.trunc(gateway.shards ?? 1));
  const count = config.DISCORD_SHARDS === "auto" ? recommended : config.DISCORD_SHARDS;
  const maxConcurrency = Math.max(1, Math.trunc(gateway.session_start_limit?.max_concurrency ?? 1));
  const processes = splitShards(count, config.DISCORD_SHARDS_PER_PROCESS);
  // A process whose first shard is i serves its metrics on METRICS_PORT + i: each port must exist.
  const lastFirst = processes.at(-1)?.[0] ?? 0;
  if (config.METRICS_PORT !== undefined && config.METRICS_PORT + lastFirst > 65_535) {
    throw new ConfigError(
      `METRICS_PORT (got ${config.METRICS_PORT}): with ${processes.length} shard processes it must be at most ${65_535 - lastFirst}, since the process whose first shard is i listens on METRICS_PORT + i`,
    );
  }
  return { count, maxConcurrency, processes };
}
