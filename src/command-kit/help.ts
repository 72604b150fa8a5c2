import { type CommandDefinition, commandRequires, requires, type Subcommand } from "./define.ts";
import { optionSpecs, optionUsage } from "./option-specs.ts";

export function usageLine(command: CommandDefinition, subcommand: Subcommand): string {
  const options = optionSpecs(subcommand.options).map(optionUsage);
  return [`/${command.name}`, ...subcommand.path, ...options].join(" ");
}

export function commandHelp(command: CommandDefinition): string {
  const allAdmin = commandRequires(command, "admin");
  // Where only some subcommands are for admins, each of them says so on its own line.
  const lines = command.subcommands.map((subcommand) => {
    const admins = !allAdmin && requires(subcommand, "admin") ? " (admins)" : "";
    return `${usageLine(command, subcommand)}\n    ${subcommand.description}${admins}`;
  });
  const who = allAdmin ? " (server and workspace admins only)" : "";
  return [`/${command.name}: ${command.description}${who}`, "", ...lines].join("\n");
}

export function subcommandHelp(command: CommandDefinition, subcommand: Subcommand): string {
  const examples = subcommand.examples?.length ? `\nExample: ${subcommand.examples.join("   ")}` : "";
  return `Usage: ${usageLine(command, subcommand)}${examples}`;
}
