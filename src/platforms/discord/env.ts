import { z } from "zod";

const shardIdsMessage = "must be a list of shard ids such as [0,1] (set by the sharding manager)";

/** Discord's environment variables, merged into the one config schema in src/config.ts. */
export const discordEnv = {
  DISCORD_TOKEN: z
    .string()
    .trim()
    .regex(
      /^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/,
      "must be a bot token from the Discord developer portal (three dot-separated parts)",
    )
    .optional(),
  DISCORD_API_URL: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL such as http://127.0.0.1:8080/api" })
    .optional(),
  DISCORD_GUILD_ID: z
    .string()
    .regex(/^\d{17,20}$/, "must be a server id (a snowflake of 17-20 digits)")
    .optional(),
  // How many gateway shards: "auto" asks Discord (GET /gateway/bot). However many, they run in
  // this one process (discord.js's internal sharding) unless DISCORD_SHARDS_PER_PROCESS splits them.
  DISCORD_SHARDS: z
    .string()
    .trim()
    .regex(/^(auto|[1-9]\d{0,3})$/, "must be auto or a whole number of shards from 1 to 9999")
    .transform((value) => (value === "auto" ? ("auto" as const) : Number(value)))
    .default("auto"),
  // Unset, every shard runs in one process; a number makes the started process a sharding manager
  // that runs the shards in processes of this many each.
  DISCORD_SHARDS_PER_PROCESS: z
    .string()
    .trim()
    .regex(/^[1-9]\d{0,3}$/, "must be a whole number of shards from 1 to 9999")
    .transform(Number)
    .optional(),
  // Set by the sharding manager in the processes it spawns (not by users): the shard ids this
  // process runs, as a JSON list such as [0,1] (a bare id or 0,1 are read too), and the total.
  // discord.js's Client reads the same two variables.
  SHARDS: z
    .string()
    .trim()
    .regex(/^(\[\s*\d{1,4}(\s*,\s*\d{1,4})*\s*\]|\d{1,4}(\s*,\s*\d{1,4})*)$/, shardIdsMessage)
    .transform((value) =>
      [
        ...new Set(
          value
            .replace(/[[\]\s]/g, "")
            .split(",")
            .map(Number),
        ),
      ].sort((a, b) => a - b),
    )
    .optional(),
  SHARD_COUNT: z.coerce
    .number({ message: "must be a shard count (set by the sharding manager)" })
    .int("must be a shard count (set by the sharding manager)")
    .min(1, "must be a shard count (set by the sharding manager)")
    .optional(),
};
