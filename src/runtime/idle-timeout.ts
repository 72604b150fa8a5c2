/**
 * Calls `onIdle` once `ms` have passed since the last `idle()` with no `busy()` after it: the worker
 * threads end when they have had nothing to do for a while, so the memory they hold (tens of MB each)
 * is the bot's again between hourly refreshes. The timer never keeps the process alive.
 */
export class IdleTimeout {
  readonly #ms: number;
  readonly #onIdle: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number, onIdle: () => void) {
    this.#ms = ms;
    this.#onIdle = onIdle;
  }

  busy(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  idle(): void {
    this.busy();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onIdle();
    }, this.#ms).unref();
  }
}
