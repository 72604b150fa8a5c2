import { type Message, textMessage } from "../core/message.ts";
import { log } from "../log.ts";
import { commandStarted } from "../runtime/commands-first.ts";
import { bindOptions } from "./bind-options.ts";
import { splitWords } from "./command-line.ts";
import type { CommandContext, CommandDefinition, CommandRequest, Subcommand, Suggestion } from "./define.ts";
import { commandHelp, subcommandHelp } from "./help.ts";
import type { Notice, SayNote } from "./notice.ts";
import { optionSpecs } from "./option-specs.ts";
import { prepareContext, refuseInvoker } from "./preconditions.ts";
import { UserError } from "./user-error.ts";

/** A command as platforms deliver it when they parse options themselves (Discord). */
export interface Invocation {
  readonly command: string;
  readonly path: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Told how long each known command took to answer (refusals and failures included); the
 * metrics hang here without the router knowing about them. Unknown commands are not reported,
 * so what users type never becomes a label.
 */
export type CommandObserver = (command: string, platform: string, seconds: number) => void;

/**
 * The one boundary every command passes through, on every platform: find the subcommand,
 * check what it requires (preconditions.ts), validate options with its schema, run it, and turn
 * any failure into a readable ephemeral answer.
 */
export class CommandRouter {
  constructor(
    readonly commands: readonly CommandDefinition[],
    /** Things a user must hear at their next command, whatever it is (e.g. "your alerts paused"). */
    private readonly notices: readonly Notice[] = [],
    private readonly observe?: CommandObserver,
  ) {}

  /** Runs a typed line such as `/papers search "kv cache" limit:3` (console, Slack, buttons). */
  async runLine(line: string, request: CommandRequest): Promise<Message> {
    const words = splitWords(line.trim());
    const commandName = words[0]?.value.replace(/^\//, "").toLowerCase() ?? "";
    const command = this.commands.find((candidate) => candidate.name === commandName);
    if (!command) return textMessage(this.overview(commandName ? `Unknown command “/${commandName}”.` : ""));
    const found = this.locate(
      command,
      words.slice(1, 3).map((word) => word.value.toLowerCase()),
    );
    if (!found) {
      const asked = words[1]?.value;
      return textMessage(
        [asked && asked !== "help" ? `Unknown subcommand “${asked}”.` : "", commandHelp(command)]
          .filter(Boolean)
          .join("\n\n"),
      );
    }
    const bound = bindOptions(optionSpecs(found.options), words.slice(1 + found.path.length));
    if (!bound.ok) return textMessage(`${bound.problem}\n${subcommandHelp(command, found)}`);
    return this.execute(command, found, bound.values, request);
  }

  /** Runs an invocation whose options a platform already separated (Discord's typed options). */
  async run(invocation: Invocation, request: CommandRequest): Promise<Message> {
    const command = this.commands.find((candidate) => candidate.name === invocation.command);
    if (!command) return textMessage(this.overview(`Unknown command “/${invocation.command}”.`));
    const found = this.locate(command, invocation.path);
    if (!found) return textMessage(commandHelp(command));
    return this.execute(command, found, invocation.options, request);
  }

  async suggest(invocation: Invocation & { readonly focused: string }, request: CommandRequest) {
    const command = this.commands.find((candidate) => candidate.name === invocation.command);
    const found = command && this.locate(command, invocation.path);
    if (!found?.suggest) return [] as readonly Suggestion[];
    const partial = String(invocation.options[invocation.focused] ?? "");
    // Suggestions are answers a user waits for too: background work steps aside (see commands-first.ts).
    const ended = commandStarted();
    try {
      return await found.suggest({ ...request, commands: this.commands }, invocation.focused, partial);
    } catch (error) {
      log.warn({ err: error, command: invocation.command }, "autocomplete failed");
      return [];
    } finally {
      ended();
    }
  }

  findSubcommand(commandName: string, path: readonly string[]): Subcommand | undefined {
    const command = this.commands.find((candidate) => candidate.name === commandName);
    return command && this.locate(command, path);
  }

  private locate(command: CommandDefinition, words: readonly string[]): Subcommand | undefined {
    // A two-word path (a group such as `topics add`) wins over a one-word one.
    return (
      command.subcommands.find(
        (candidate) =>
          candidate.path.length === 2 && candidate.path[0] === words[0] && candidate.path[1] === words[1],
      ) ??
      command.subcommands.find((candidate) => candidate.path.length === 1 && candidate.path[0] === words[0])
    );
  }

  private async execute(
    command: CommandDefinition,
    subcommand: Subcommand,
    rawOptions: Readonly<Record<string, unknown>>,
    request: CommandRequest,
  ): Promise<Message> {
    // Background work steps aside until the answer is ready (see commands-first.ts).
    const ended = commandStarted();
    const started = performance.now();
    try {
      return await this.answer(command, subcommand, rawOptions, request);
    } finally {
      ended();
      this.report(command, subcommand, request, performance.now() - started);
    }
  }

  private report(command: CommandDefinition, subcommand: Subcommand, request: CommandRequest, ms: number) {
    if (!this.observe) return;
    const name = [`/${command.name}`, ...subcommand.path].join(" ");
    try {
      this.observe(name, request.invoker.platform, ms / 1000);
    } catch (error) {
      // Counting must never cost a user their answer.
      log.warn({ err: error, command: name }, "command observer failed");
    }
  }

  private async answer(
    command: CommandDefinition,
    subcommand: Subcommand,
    rawOptions: Readonly<Record<string, unknown>>,
    request: CommandRequest,
  ): Promise<Message> {
    const context: CommandContext = { ...request, commands: this.commands };
    const name = [`/${command.name}`, ...subcommand.path].join(" ");
    const refusal = refuseInvoker(name, subcommand, context);
    if (refusal !== undefined) return textMessage(refusal);
    const missing = optionSpecs(subcommand.options).find(
      (spec) => spec.required && (rawOptions[spec.name] === undefined || rawOptions[spec.name] === ""),
    );
    if (missing) return textMessage(`${name} needs ${missing.name}.\n${subcommandHelp(command, subcommand)}`);
    const parsed = subcommand.options.safeParse(rawOptions);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const option = String(issue?.path[0] ?? "");
      const given = rawOptions[option];
      const shown = given === undefined ? "" : ` (you gave “${String(given).slice(0, 60)}”)`;
      return textMessage(
        `${option} ${issue?.message ?? "is not valid"}${shown}.\n${subcommandHelp(command, subcommand)}`,
      );
    }
    // The notices' checks (store reads) run while the command works; see notice.ts.
    const notes = this.notices.map((notice) =>
      notice.check(context).catch((error: unknown) => {
        log.warn({ err: error }, "notice check failed");
        return undefined;
      }),
    );
    // Where the answer waits for the notes (no followUp): keyv hands a read to its driver only a few
    // promise turns after the call, and a command such as a search keeps the thread from its start to its
    // answer: one turn of the event loop lets the reads leave first, so they run (in the driver's
    // threads, or on the wire) beside the command.
    if (notes.length > 0 && request.followUp === undefined) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    try {
      const prepared = await prepareContext(subcommand, context);
      if (!prepared.ok) return textMessage(prepared.refusal);
      const message = await subcommand.run(prepared.context, parsed.data);
      if (request.followUp === undefined) return await this.withNotes(message, notes);
      void this.followUpNotes(notes, request.followUp);
      return message;
    } catch (error) {
      if (error instanceof UserError) return textMessage(error.message);
      const reference = Math.random().toString(36).slice(2, 8);
      log.error(
        { err: error, command: name, reference, platform: context.invoker.platform },
        "command failed",
      );
      return textMessage(
        `Sorry, ${name} failed on our side (reference ${reference}). Please try again in a moment.`,
      );
    }
  }

  /** The answer with the notes that there are to say added to its text. */
  private async withNotes(
    message: Message,
    notes: readonly Promise<SayNote | undefined>[],
  ): Promise<Message> {
    const said = await this.say(notes);
    return said.length ? { ...message, text: [message.text, ...said].filter(Boolean).join("\n\n") } : message;
  }

  /** Sends each note there is to say as a follow-up of the answer; never throws. */
  private async followUpNotes(
    notes: readonly Promise<SayNote | undefined>[],
    followUp: (text: string) => Promise<void>,
  ): Promise<void> {
    for (const text of await this.say(notes)) {
      await followUp(text).catch((error: unknown) => log.warn({ err: error }, "notice not sent"));
    }
  }

  /** Says the notes whose checks found something (each marks itself said); their texts, in order. */
  private async say(notes: readonly Promise<SayNote | undefined>[]): Promise<string[]> {
    const said: string[] = [];
    for (const note of notes) {
      const say = await note;
      const text = await say?.().catch((error: unknown) => {
        log.warn({ err: error }, "notice failed");
        return undefined;
      });
      if (text) said.push(text);
    }
    return said;
  }

  private overview(prefix: string): string {
    const list = this.commands.map((command) => `/${command.name} help: ${command.description}`).join("\n");
    return [prefix, `Commands:\n${list}`].filter(Boolean).join("\n\n");
  }
}
