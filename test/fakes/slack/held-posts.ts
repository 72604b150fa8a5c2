/**
 * A Slack that has taken a message but not answered yet: while held, each `chat.postMessage` is
 * made (recorded in the workspace, visible to everyone) the moment it arrives, and only its HTTP
 * answer waits until release(). That is the state a bot is in at the worst moment to lose it:
 * the message is out, and the bot has not heard so. Tests use it to catch a bot with every send
 * in flight, then kill or stop it there.
 */
export class HeldPosts {
  #holding = false;
  readonly #waiting = new Set<() => void>();

  /** From now on, answers to posts wait until release(). */
  hold(): void {
    this.#holding = true;
  }

  /** Answers every held post now, and answers at once from now on. */
  release(): void {
    this.#holding = false;
    for (const answer of this.#waiting) answer();
    this.#waiting.clear();
  }

  /** How many posts are waiting for their answer. */
  get waiting(): number {
    return this.#waiting.size;
  }

  /** The fake's hook: resolves when the answer to a post just made may be sent. */
  answerWhenReleased(): Promise<void> {
    if (!this.#holding) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waiting.add(resolve));
  }
}
