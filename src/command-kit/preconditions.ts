import { type CheckedContext, type CommandContext, requires, type Subcommand } from "./define.ts";
import { resolveDigest } from "./resolve-digest.ts";

/**
 * The one place a subcommand's `requires` is checked and every refusal is worded. Who (`admin`) is
 * checked before the options, from the invoker alone; the digest after the
 * options are valid, from the store, so a mistyped option is named first and costs no read.
 */

/** The refusal for who ran the subcommand `name`, or undefined when they may run it. */
export function refuseInvoker(
  name: string,
  subcommand: Subcommand,
  context: CommandContext,
): string | undefined {
  if (requires(subcommand, "admin") && !context.invoker.isAdmin) {
    return (
      `${name} is for server and workspace admins (Manage Server on Discord, workspace admins on Slack). ` +
      "Ask one of them, or try /papers help for what everyone can do."
    );
  }
  return undefined;
}

export type Prepared =
  | { readonly ok: true; readonly context: CheckedContext }
  | { readonly ok: false; readonly refusal: string };

/** The context the handler gets: with the digest resolved when it declares one, or the refusal. */
export async function prepareContext(subcommand: Subcommand, context: CommandContext): Promise<Prepared> {
  const required = requires(subcommand, "digest");
  if (!required && !requires(subcommand, "digest-if-any")) return { ok: true, context };
  const resolved = await resolveDigest(context.services, context.invoker);
  if (resolved.found === "one") return { ok: true, context: { ...context, digest: resolved.settings } };
  if (resolved.found === "several") {
    return {
      ok: false,
      refusal: `This server has digests in ${resolved.names.join(", ")}. Run the command in the channel whose digest you mean.`,
    };
  }
  if (!required) return { ok: true, context: { ...context, digest: undefined } };
  return {
    ok: false,
    refusal: "No daily digest is set up here yet. Run /digest setup in the channel that should get it.",
  };
}
