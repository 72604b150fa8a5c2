import type { CommandContext } from "./define.ts";

/**
 * Something a user must hear at their next command, whatever the command (e.g. "your alerts paused").
 * `check` starts with the command, so its store read runs while the command does its own work instead of
 * after it; the router calls the `say` it returned only once the command answered, so a command that
 * failed leaves the note for the next one. On Discord and Slack the note follows the answer in a message
 * of its own (CommandRequest.followUp), so the answer never waits for the read: during a merge, on a
 * busy 2-core machine, the read's thread could wait for a core for milliseconds (bench/merge.ts).
 */
export interface Notice {
  /** Whether there may be something to say: `undefined` (the common case) when there is not. */
  check(context: CommandContext): Promise<SayNote | undefined>;
}

/** Says the note: returns its text (undefined if it turned out there is nothing to say) and marks it said. */
export type SayNote = () => Promise<string | undefined>;
