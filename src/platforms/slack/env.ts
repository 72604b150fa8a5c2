import { z } from "zod";

const list = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().regex(/^[UW][A-Z0-9]{2,}$/, "must be Slack user ids such as U0123ABCD, comma-separated"),
    ),
  );

/** Slack's environment variables, merged into the one config schema in src/config.ts. */
export const slackEnv = {
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^xoxb-[\w-]+$/, "must be a bot token starting with xoxb-")
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .regex(/^xapp-[\w-]+$/, "must be an app-level token starting with xapp-")
    .optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .trim()
    .regex(/^[a-f0-9]{16,}$/i, "must be the app's signing secret (hex)")
    .optional(),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL such as http://127.0.0.1:8080/api/" })
    .optional(),
  SLACK_ADMIN_USER_IDS: list.default([]),
  PORT: z.coerce
    .number({ message: "must be a port number" })
    .int()
    .min(1)
    .max(65_535, "must be a port number")
    .default(3000),
};
