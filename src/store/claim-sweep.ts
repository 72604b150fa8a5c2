import { log } from "../log.ts";
import type { Claims } from "./claims.ts";

/**
 * How often expired claims are deleted. Claims expire at most a lease, or the retention of a
 * completed claim, after they are written, so a few hours' delay only keeps a few hours' rows.
 */
export const CLAIM_SWEEP_EVERY_MS = 6 * 60 * 60 * 1000;

/**
 * Deletes expired claims at open and then every CLAIM_SWEEP_EVERY_MS, so the SQLite and
 * PostgreSQL claim tables hold about a retention period's worth of rows instead of every claim
 * ever taken. A failed sweep is logged and tried again at the next tick: it never fails the
 * store. The timer does not keep the process alive, and `stop()` waits for a sweep under way so
 * that closing the store never cuts a statement off.
 */
export class ClaimSweep {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(
    private readonly claims: Claims,
    private readonly everyMs: number = CLAIM_SWEEP_EVERY_MS,
  ) {}

  /** Sweeps once now (resolves when done, never rejects), then on the timer. */
  start(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.sweep(), this.everyMs);
    this.#timer.unref();
    return this.sweep();
  }

  /** One sweep, after any sweep still running; never rejects. */
  sweep(): Promise<void> {
    this.#running = this.#running.then(async () => {
      try {
        const removed = await this.claims.removeExpired();
        if (removed > 0) log.debug({ removed }, "store: removed expired claims");
      } catch (error) {
        log.warn({ err: error }, "store: could not remove expired claims; trying again later");
      }
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
