import { z } from "zod";

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
  // How many gateway shards, one process each: "auto" asks Discord (GET /gateway/bot), and a
  // recommendation of 1 runs everything in this one process, with no sharding manager.
  DISCORD_SHARDS: z
    .string()
    .trim()
    .regex(/^(auto|[1-9]\d{0,3})$/, "must be auto or a whole number of shards from 1 to 9999")
    .transform((value) => (value === "auto" ? ("auto" as const) : Number(value)))
    .default("auto"),
  // Set by discord.js's ShardingManager in the processes it spawns (not by users): this process's
  // shard id and the total. discord.js's Client reads them too, to identify as that shard.
  SHARDS: z.coerce
    .number({ message: "must be a shard id (set by the sharding manager)" })
    .int("must be a shard id (set by the sharding manager)")
    .min(0, "must be a shard id (set by the sharding manager)")
    .optional(),
  SHARD_COUNT: z.coerce
    .number({ message: "must be a shard count (set by the sharding manager)" })
    .int("must be a shard count (set by the sharding manager)")
    .min(1, "must be a shard count (set by the sharding manager)")
    .optional(),
};
