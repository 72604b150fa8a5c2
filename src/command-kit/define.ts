import type { z } from "zod";
import type { Message } from "../core/message.ts";
import type { ChannelAccess, Invoker } from "../platforms/contract.ts";
import type { Services } from "../services.ts";

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
}

/** What a handler receives: the request plus every command definition (for help texts). */
export interface CommandContext extends CommandRequest {
  readonly commands: readonly CommandDefinition[];
}

export type Access = "everyone" | "admin";

export interface Suggestion {
  readonly name: string;
  readonly value: string;
}

/**
 * One subcommand: data (name, description, options as a zod object, who may run it) plus a
 * handler that returns a neutral message. Platforms register and render from this alone.
 */
export interface Subcommand<Options extends z.ZodObject = z.ZodObject> {
  /** `["search"]`, or `["topics", "add"]` for a subcommand inside a group. */
  readonly path: readonly [string] | readonly [string, string];
  readonly description: string;
  readonly options: Options;
  readonly access: Access;
  /** Command lines shown in help, e.g. `/papers search "kv cache" limit:3`. */
  readonly examples?: readonly string[];
  run(context: CommandContext, options: z.output<Options>): Promise<Message>;
  /** Values to suggest while the user types `option` (Discord autocomplete). */
  suggest?(context: CommandContext, option: string, partial: string): Promise<readonly Suggestion[]>;
}

export interface CommandDefinition {
  readonly name: string;
  readonly description: string;
  /** "admin" registers the command as Manage Server only and unavailable in DMs; each run is still checked. */
  readonly access: Access;
  readonly subcommands: readonly Subcommand[];
}

/** Keeps the options' types flowing into `run` while the list of subcommands stays uniform. */
export function defineSubcommand<Options extends z.ZodObject>(subcommand: Subcommand<Options>): Subcommand {
  return subcommand as unknown as Subcommand;
}
