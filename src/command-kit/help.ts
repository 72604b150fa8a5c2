import { type CommandDefinition, commandRequires, type Subcommand } from "./define.ts";
import { optionSpecs, optionUsage } from "./option-specs.ts";

export function usageLine(command: CommandDefinition, subcommand: Subcommand): string {
  const options = optionSpecs(subcommand.options).map(optionUsage);
  return [`/${command.name}`, ...subcommand.path, ...options].join(" ");
}

export function commandHelp(command: CommandDefinition): string {
  const lines = command.subcommands.map(
    (subcommand) => `${usageLine(command, subcommand)}\n    ${subcommand.description}`,
  );
  const who = commandRequires(command, "admin") ? " (server and workspace admins only)" : "";
  return [`/${command.name}: ${command.description}${who}`, "", ...lines].join("\n");
}

export function subcommandHelp(command: CommandDefinition, subcommand: Subcommand): string {
  const examples = subcommand.examples?.length ? `\nExample: ${subcommand.examples.join("   ")}` : "";
  return `Usage: ${usageLine(command, subcommand)}${examples}`;
}
