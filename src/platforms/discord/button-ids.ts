/**
 * A button's custom_id is at most 100 characters, but a button carries a whole command line
 * (`/papers search <a long query> limit:5 page:2`). Lines that fit travel inside the id itself and
 * work forever, across restarts. Longer ones get a short key into a bounded in-memory map: after
 * a restart, or once 10,000 newer long buttons have pushed it out, such a button answers "this
 * button has expired, run the command again" instead of guessing.
 */

const CUSTOM_ID_MAX = 100;
const REMEMBERED_MAX = 10_000;

/** `update`: the answer replaces the message the button is on (paging); `reply`: a new private reply. */
export type ButtonMode = "update" | "reply";

export interface ButtonAction {
  readonly mode: ButtonMode;
  /** The command line to run, or undefined when the button outlived its memory. */
  readonly line: string | undefined;
}

const PREFIX: Record<ButtonMode, string> = { update: "u:", reply: "r:" };

export class ButtonIds {
  readonly #remembered = new Map<string, string>();
  #counter = 0;

  customId(line: string, mode: ButtonMode): string {
    const inline = `${PREFIX[mode]}${line}`;
    if (inline.length <= CUSTOM_ID_MAX) return inline;
    const key = `${PREFIX[mode]}#${(++this.#counter).toString(36)}`;
    this.#remembered.set(key, line);
    if (this.#remembered.size > REMEMBERED_MAX) {
      const oldest = this.#remembered.keys().next().value;
      if (oldest !== undefined) this.#remembered.delete(oldest);
    }
    return key;
  }

  /** Undefined for an id this bot never made (not ours to run). */
  resolve(customId: string): ButtonAction | undefined {
    const mode: ButtonMode | undefined = customId.startsWith(PREFIX.update)
      ? "update"
      : customId.startsWith(PREFIX.reply)
        ? "reply"
        : undefined;
    if (!mode) return undefined;
    const rest = customId.slice(PREFIX[mode].length);
    return { mode, line: rest.startsWith("#") ? this.#remembered.get(customId) : rest };
  }
}
