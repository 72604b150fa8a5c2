import { type CheckedContext, type CommandContext, requires, type Subcommand } from "./define.ts";
import { resolveDigest } from "./resolve-digest.ts";

/**
 * The one place a subcommand's `requires` is checked and every refusal is worded. Where (`channel`)
 * and who (`admin`) are checked before the options, from the invoker alone; the digest after the
 * options are valid, from the store, so a mistyped option is named first and costs no read. A rule
 * that needs what the handler reads (who added a paper) is worded here too, for the handler to ask.
 */

/** Who the bot counts as an admin, said the same way in every refusal. */
const WHO_ADMINS_ARE = "Manage Server on Discord, workspace admins on Slack";
const ASK_ADMIN = "Ask one of them, or try /papers help for what everyone can do.";

/** The refusal for who ran the subcommand `name`, or undefined when they may run it. */
export function refuseInvoker(
  name: string,
  subcommand: Subcommand,
  context: CommandContext,
): string | undefined {
  if (requires(subcommand, "channel")) {
    const outside = refuseOutsideChannel(name, context);
    if (outside !== undefined) return outside;
  }
  if (requires(subcommand, "admin") && !context.invoker.isAdmin) {
    return `${name} is for server and workspace admins (${WHO_ADMINS_ARE}). ${ASK_ADMIN}`;
  }
  return undefined;
}

/**
 * The refusal for a channel's command typed in a direct message, or undefined in a channel: the
 * `channel` requirement, and what a handler asks when only some of its options need a channel.
 */
export function refuseOutsideChannel(name: string, context: CommandContext): string | undefined {
  if (!context.invoker.isDirectMessage) return undefined;
  return `${name} works on a channel's reading list, so it needs a channel, not a direct message. Run it in the channel you mean.`;
}

/**
 * The refusal for changing what another person added (a paper on a channel's reading list):
 * whoever added it may, and so may an admin, decided from the invoker as `admin` is. Undefined
 * when the invoker may.
 */
export function refuseUnlessAdderOrAdmin(
  name: string,
  adder: { readonly userId: string; readonly userName?: string | undefined },
  context: CommandContext,
): string | undefined {
  if (adder.userId === context.invoker.userId || context.invoker.isAdmin) return undefined;
  const who = adder.userName ?? "someone else";
  return `${name} is for whoever added the paper (${who} did) and for server and workspace admins (${WHO_ADMINS_ARE}). ${ASK_ADMIN}`;
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
