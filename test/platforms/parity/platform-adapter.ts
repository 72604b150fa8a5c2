/** Who runs a command: an ordinary member, or someone the platform counts as an admin there. */
export type Role = "member" | "admin";

/** What a user sees in an answer, reduced to what parity compares. */
export interface SeenAnswer {
  /** All the text shown, for checking what the answer says. */
  readonly text: string;
  /** The papers shown, in the order shown, by the id each card displays. */
  readonly paperIds: readonly string[];
}

/**
 * One platform, driven the way its users drive it: a command line goes in as that platform
 * delivers it (typed options, command text, a prompt line) and comes out as what it shows.
 */
export interface PlatformAdapter {
  run(line: string, as: Role): Promise<SeenAnswer>;
  close(): Promise<void>;
}

export type StartAdapter = (now: () => Date) => Promise<PlatformAdapter>;

/** `id t-1bcd9c10ec3d` at the end of a card's id line (console), footer (Discord) or context (Slack). */
export function shownPaperId(line: string): string | undefined {
  return /(?:^|\s)id (\S+)$/.exec(line.trim())?.[1];
}
