import { type Config, ConfigError } from "../../config.ts";

/** How the app reaches Slack: Socket Mode (no public URL) or Slack's HTTP requests to our receiver. */
export type SlackConnection =
  | {
      readonly mode: "socket";
      readonly botToken: string;
      readonly appToken: string;
      readonly apiUrl?: string;
    }
  | {
      readonly mode: "http";
      readonly botToken: string;
      readonly signingSecret: string;
      readonly port: number;
      readonly apiUrl?: string;
    };

/**
 * The rules that span variables, which the per-variable schema cannot say: a bot token always,
 * then an app token (Socket Mode) or a signing secret (HTTP). Each failure is one line naming
 * the variable, like every other configuration error.
 */
export function slackConnection(config: Config): SlackConnection {
  const botToken = config.SLACK_BOT_TOKEN;
  if (!botToken) {
    throw new ConfigError(
      "SLACK_BOT_TOKEN: is required to run on Slack (the Bot User OAuth Token, xoxb-…, from your app's OAuth & Permissions page)",
    );
  }
  const apiUrl = config.SLACK_API_URL;
  if (config.SLACK_APP_TOKEN) {
    return { mode: "socket", botToken, appToken: config.SLACK_APP_TOKEN, ...(apiUrl && { apiUrl }) };
  }
  if (!config.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      "SLACK_SIGNING_SECRET: is required when SLACK_APP_TOKEN is not set (HTTP mode verifies every request with it); " +
        "or set SLACK_APP_TOKEN (xapp-…) to use Socket Mode",
    );
  }
  return {
    mode: "http",
    botToken,
    signingSecret: config.SLACK_SIGNING_SECRET,
    port: config.PORT,
    ...(apiUrl && { apiUrl }),
  };
}
