import type { Word } from "./command-line.ts";
import type { OptionSpec } from "./option-specs.ts";

/**
 * Binds the words after a subcommand to its options: `name:value` (or `name=value`) by name,
 * the rest by position in definition order, a greedy option taking all remaining words.
 * Values stay strings; the zod schema coerces and validates them, so chat text and Discord's
 * typed options go through the same checks.
 */
export type BindResult =
  | { readonly ok: true; readonly values: Record<string, string> }
  | { readonly ok: false; readonly problem: string };

const named = /^([a-zA-Z][\w-]*)[:=]([\s\S]*)$/;

export function bindOptions(specs: readonly OptionSpec[], words: readonly Word[]): BindResult {
  const values: Record<string, string> = {};
  const positional: Word[] = [];
  for (const word of words) {
    const match = named.exec(word.raw);
    const spec = match && specs.find((candidate) => candidate.name === match[1]?.toLowerCase());
    if (!match || !spec) {
      // `author:vaswani` is query syntax, not an option of ours: it stays in the text.
      positional.push(word);
      continue;
    }
    const rawValue = match[2] ?? "";
    values[spec.name] = spec.keepQuotes ? rawValue : (named.exec(word.value)?.[2] ?? rawValue);
  }

  const unbound = specs.filter((spec) => !(spec.name in values));
  let next = 0;
  for (const spec of unbound) {
    if (next >= positional.length) break;
    if (spec.greedy) {
      const rest = positional.slice(next);
      values[spec.name] = rest.map((word) => (spec.keepQuotes ? word.raw : word.value)).join(" ");
      next = positional.length;
      break;
    }
    values[spec.name] = (positional[next] as Word).value;
    next++;
  }
  if (next < positional.length) {
    const extra = positional
      .slice(next)
      .map((word) => word.raw)
      .join(" ");
    return { ok: false, problem: `I don't know what to do with “${truncate(extra, 60)}”.` };
  }
  return { ok: true, values };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
