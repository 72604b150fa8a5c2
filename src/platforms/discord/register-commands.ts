import { type REST, Routes } from "discord.js";
import type { CommandDefinition } from "../../command-kit/define.ts";
import { commandsJson } from "./command-json.ts";

/**
 * Replaces the application's commands with ours (a PUT is idempotent and drops removed ones):
 * globally by default, or in one server when `guildId` is given, where changes show at once.
 */
export async function registerCommands(
  rest: REST,
  applicationId: string,
  commands: readonly CommandDefinition[],
  guildId?: string,
): Promise<number> {
  const body = commandsJson(commands);
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, { body })) as unknown[];
  return registered.length;
}
