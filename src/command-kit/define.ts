import type { z } from "zod";
import type { Message } from "../core/message.ts";
import type { ChannelAccess, Invoker, ThreadOpener, ThreadPost } from "../platforms/contract.ts";
import type { Services } from "../services.ts";
import type { ChannelSettings } from "../store/index.ts";

/** What a platform supplies with each command. */
export interface CommandRequest {
  readonly invoker: Invoker;
  readonly channels: ChannelAccess;
  readonly services: Services;
  /**
   * Sends a note (see notice.ts) once the answer has gone, as a message of its own that only the invoker
   * sees (Discord and Slack): the answer never waits for the notices' store reads. Without it the
   * router adds the notes to the answer, which then waits for them (the console).
   */
  readonly followUp?: (text: string) => Promise<void>;
  /**
   * What the bot lacks on this platform beyond any one channel, one line each (Slack: the scope
   * that checks topic alerts sent by DM); /digest status shows them. Unset: nothing.
   */
  readonly platformWarnings?: () => readonly string[];
  /**
   * The post everyone in the conversation sees (a digest) whose button ran the command; unset when
   * typed, or pressed on an answer only the presser sees. The platform sets it from its own record
   * of the message, never from the button's id. A 👍/👎 given on a channel's post also teaches that
   * channel's profile, and a thread can hang from it.
   */
  readonly post?: ThreadPost;
  /** Discussion threads on this platform; unset where there are none (the console). */
  readonly threads?: ThreadOpener;
}

/** What a handler receives: the request plus every command definition (for help texts). */
export interface CommandContext extends CommandRequest {
  readonly commands: readonly CommandDefinition[];
}

/**
 * What must hold before a subcommand runs; the router checks each (preconditions.ts) and words the refusal.
 * - `admin`: the invoker is a server or workspace admin. Registered as Manage Server only on Discord.
 * - `channel`: typed in a server or workspace channel, not a direct message. Not offered in DMs on Discord.
 * - `digest`: there is a digest this command means (this channel's, or the server's only one); the
 *   handler gets it as `context.digest`.
 * - `digest-if-any`: the same, except that a server with no digest at all is not refused: `context.digest`
 *   is then undefined. A server with several digests elsewhere is still refused with their list.
 */
export type Requirement = "admin" | "channel" | "digest" | "digest-if-any";

/** The context a handler with these requirements receives: a required digest arrives resolved. */
export type ContextFor<Requires extends readonly Requirement[]> = CommandContext &
  ("digest" extends Requires[number] ? { readonly digest: ChannelSettings } : unknown) &
  ("digest-if-any" extends Requires[number] ? { readonly digest: ChannelSettings | undefined } : unknown);

/** The context the router hands to any handler once the requirements hold. */
export interface CheckedContext extends CommandContext {
  readonly digest?: ChannelSettings | undefined;
}

export interface Suggestion {
  readonly name: string;
  readonly value: string;
}

/**
 * One subcommand as written: data (name, description, options as a zod object, what must hold before it
 * runs) plus a handler that returns a neutral message. Platforms register and render from this alone.
 */
export interface SubcommandSpec<Options extends z.ZodObject, Requires extends readonly Requirement[]> {
  /** `["search"]`, or `["topics", "add"]` for a subcommand inside a group. */
  readonly path: readonly [string] | readonly [string, string];
  readonly description: string;
  readonly options: Options;
  /** Checked in this order; `[]` for a subcommand anyone may run anywhere. */
  readonly requires: Requires;
  /** Command lines shown in help, e.g. `/papers search "kv cache" limit:3`. */
  readonly examples?: readonly string[];
  run(context: ContextFor<Requires>, options: z.output<Options>): Promise<Message>;
  /** Values to suggest while the user types `option` (Discord autocomplete). */
  suggest?(context: CommandContext, option: string, partial: string): Promise<readonly Suggestion[]>;
}

/** A subcommand as the router and platforms hold it, whatever its options and requirements. */
export interface Subcommand extends Omit<SubcommandSpec<z.ZodObject, readonly Requirement[]>, "run"> {
  run(context: CheckedContext, options: z.output<z.ZodObject>): Promise<Message>;
}

export interface CommandDefinition {
  readonly name: string;
  readonly description: string;
  readonly subcommands: readonly Subcommand[];
}

/** Keeps the options' and requirements' types flowing into `run` while the list of subcommands stays uniform. */
export function defineSubcommand<Options extends z.ZodObject, const Requires extends readonly Requirement[]>(
  subcommand: SubcommandSpec<Options, Requires>,
): Subcommand {
  return subcommand as unknown as Subcommand;
}

/** Whether `subcommand` declares `requirement`. */
export function requires(subcommand: Subcommand, requirement: Requirement): boolean {
  return subcommand.requires.includes(requirement);
}

/**
 * Whether every subcommand of `command` declares `requirement`: what a platform can only register per
 * command (Discord's default permissions and DM availability) and what help says of the whole command.
 */
export function commandRequires(command: CommandDefinition, requirement: Requirement): boolean {
  return command.subcommands.length > 0 && command.subcommands.every((sub) => requires(sub, requirement));
}
