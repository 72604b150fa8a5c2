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
};
