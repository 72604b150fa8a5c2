import { existsSync } from "node:fs";
import { REST, Routes } from "discord.js";
import { commands } from "../../../commands/index.ts";
import { ConfigError, loadConfig } from "../../config.ts";
import { plural } from "../../core/text.ts";
import { startError } from "./connect.ts";
import { registerCommands } from "./register-commands.ts";

/**
 * `npm run deploy-commands`: registers /papers and /digest without starting the bot, globally
 * or, with DISCORD_GUILD_ID, in one server.
 */
async function deploy(): Promise<string> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  if (!config.DISCORD_TOKEN) throw new ConfigError("DISCORD_TOKEN: must be set to deploy commands");
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(
    config.DISCORD_TOKEN,
  );
  try {
    const application = (await rest.get(Routes.currentApplication())) as { id: string };
    const count = await registerCommands(rest, application.id, commands, config.DISCORD_GUILD_ID);
    const where = config.DISCORD_GUILD_ID ? `in server ${config.DISCORD_GUILD_ID}` : "globally";
    return `registered ${plural(count, "command")} ${where}`;
  } catch (error) {
    throw startError(error, config.DISCORD_API_URL);
  }
}

deploy().then(
  (done) => process.stdout.write(`paper-picks: ${done}\n`),
  (error: unknown) => {
    process.stderr.write(`paper-picks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
