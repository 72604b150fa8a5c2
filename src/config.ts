import { validate as isCronExpression } from "node-cron";
import { z } from "zod";
import { isValidTimeZone } from "./core/time-zone.ts";
import { isSourceContact } from "./corpus/sources/user-agent.ts";
import { discordEnv } from "./platforms/discord/env.ts";
import { slackEnv } from "./platforms/slack/env.ts";

/**
 * The whole environment as one schema, read once at start-up. A bad value stops start-up with
 * one line naming the variable; nothing else in the code reads process.env.
 */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM between 00:00 and 23:59");

const timeZone = z.string().refine(isValidTimeZone, "must be an IANA time zone such as UTC or Europe/Berlin");

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

export const configSchema = z.object({
  CORPUS: z
    .string()
    .trim()
    .min(1, "must name at least one corpus file, glob or folder")
    .default("data/papers.txt"),
  CORPUS_WATCH: flag.default(true),
  // How often the http(s) sources of CORPUS are fetched; hourly is polite to arXiv and Hugging Face.
  CORPUS_REFRESH: z
    .string()
    .trim()
    .refine(isCronExpression, 'must be a cron expression such as "0 * * * *" (minute hour day month weekday)')
    .default("0 * * * *"),
  // Goes into the User-Agent of every fetch, so arXiv and the other sources can reach whoever runs the bot.
  SOURCE_CONTACT: z
    .string()
    .trim()
    .refine(isSourceContact, "must be an e-mail address or an http(s) URL, such as ops@example.org")
    .optional(),
  STORE_URL: z
    .string()
    .regex(
      /^(sqlite|redis|rediss|postgres|postgresql):\/\/.+/,
      "must be sqlite://relative/path.sqlite, sqlite:///absolute/path.sqlite, redis://host:6379 or postgres://user@host:5432/database",
    )
    .default("sqlite://data/paper-picks.sqlite"),
  DIGEST_DEFAULT_TIME: hhmm.default("09:00"),
  DIGEST_DEFAULT_TIMEZONE: timeZone.default("UTC"),
  DIGEST_DEFAULT_SIZE: z.coerce
    .number({ message: "must be a whole number from 1 to 10" })
    .int("must be a whole number from 1 to 10")
    .min(1, "must be a whole number from 1 to 10")
    .max(10, "must be a whole number from 1 to 10")
    .default(5),
  // How long a digest delivery's claim lasts without a heartbeat: after a process dies, the others
  // take its deliveries over within this (plus 15 s at most). Cron ticks lapse in half of it.
  DIGEST_CLAIM_LEASE_SECONDS: z.coerce
    .number({ message: "must be a whole number of seconds from 2 to 3600" })
    .int("must be a whole number of seconds from 2 to 3600")
    .min(2, "must be a whole number of seconds from 2 to 3600")
    .max(3600, "must be a whole number of seconds from 2 to 3600")
    .default(120),
  // Unset, nothing listens. Scrapers usually reach it from the network, but it exposes the bot's
  // workload, so it binds to loopback unless METRICS_HOST says otherwise (0.0.0.0 for all interfaces).
  METRICS_PORT: z.coerce
    .number({ message: "must be a port number from 1 to 65535" })
    .int("must be a port number from 1 to 65535")
    .min(1, "must be a port number from 1 to 65535")
    .max(65535, "must be a port number from 1 to 65535")
    .optional(),
  METRICS_HOST: z
    .string()
    .trim()
    .min(1, "must be an address such as 127.0.0.1 or 0.0.0.0")
    .default("127.0.0.1"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      message: "must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  ...discordEnv,
  ...slackEnv,
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (FOO= in .env) means "not set", as most tools read it.
  const present = Object.fromEntries(
    Object.entries(env).filter(
      ([key, value]) => key in configSchema.shape && value !== undefined && value !== "",
    ),
  );
  const result = configSchema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? "environment");
  // Secrets are never echoed, not even when they are wrong.
  const shown = /TOKEN|SECRET/.test(name) ? "" : ` (got ${JSON.stringify(env[name])})`;
  throw new ConfigError(`${name}${shown}: ${issue?.message ?? "is invalid"}`);
}
