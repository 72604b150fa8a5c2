import { splitWords, type Word } from "../../../src/command-kit/command-line.ts";
import type { OptionSpec } from "../../../src/command-kit/option-specs.ts";
import { optionSpecs } from "../../../src/command-kit/option-specs.ts";
import type { CommandRouter } from "../../../src/command-kit/router.ts";
import type { CommandInvocation, OptionValue } from "../../fakes/discord/interactions.ts";

/**
 * What a Discord user fills in for a command line: the subcommand they pick, `name:value` typed
 * into that option's field, and the other words into the free-text field(s) in order (a greedy
 * one takes them all). Built from the command's option specs, independently of the text binder,
 * so a binding difference between Discord and the text platforms shows up as a parity failure.
 */
export function typedInvocation(router: CommandRouter, line: string): CommandInvocation {
  const words = splitWords(line.trim());
  const command = (words[0]?.value ?? "").replace(/^\//, "");
  const subcommand = router.findSubcommand(
    command,
    words.slice(1, 3).map((word) => word.value.toLowerCase()),
  );
  if (!subcommand) throw new Error(`“${line}” names no subcommand, so Discord would not offer it`);
  const specs = optionSpecs(subcommand.options);

  const options: Record<string, OptionValue> = {};
  const loose: Word[] = [];
  for (const word of words.slice(1 + subcommand.path.length)) {
    const named = /^([a-z][\w-]*):(.+)$/i.exec(word.value);
    const spec = named && specs.find((candidate) => candidate.name === named[1]);
    if (named && spec) options[spec.name] = typed(spec, named[2] as string);
    else loose.push(word);
  }
  for (const spec of specs.filter((candidate) => !(candidate.name in options))) {
    if (loose.length === 0) break;
    const taken = spec.greedy ? loose.splice(0) : loose.splice(0, 1);
    options[spec.name] = typed(
      spec,
      taken.map((word) => (spec.keepQuotes ? word.raw : word.value)).join(" "),
    );
  }
  if (loose.length > 0) throw new Error(`“${line}” has words no Discord option takes`);
  return { command, path: subcommand.path, options };
}

function typed(spec: OptionSpec, value: string): OptionValue {
  if (spec.type === "integer" || spec.type === "number") {
    // Discord's client only sends numbers in a number field; a case with text there cannot happen.
    if (!/^-?\d+(\.\d+)?$/.test(value))
      throw new Error(`Discord would not accept “${value}” for ${spec.name}`);
    return Number(value);
  }
  if (spec.type === "boolean") return value === "true";
  if (spec.channel) return { channel: value };
  return value;
}
