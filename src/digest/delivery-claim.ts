import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "../log.ts";
import type { Claims } from "../store/index.ts";

/** The claim key of (target, local date), also the idempotency key of its sends: one per delivery. */
export function deliveryKey(targetKey: string, localDate: string): string {
  return `digest:${targetKey}@${localDate}`;
}

/** Unique per attempt, readable in the store: which machine and process holds a day. */
function newHolder(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

/**
 * One delivery attempt's hold on (target, local date) in the store's claims.
 *
 * Guarantees: the claim is settled at most once (completed, released, or found taken over), so an
 * attempt never releases a day it completed or another process now holds; once abandoned at
 * shutdown it refuses to complete, so nothing is sent after drain() gave it up.
 */
export class DeliveryClaim {
  readonly key: string;
  readonly holder = newHolder();
  #settled = false;
  #abandoned = false;
  readonly #stop = new AbortController();

  constructor(
    private readonly claims: Pick<Claims, "claim" | "complete" | "release">,
    readonly targetKey: string,
    readonly localDate: string,
    private readonly log: Logger,
  ) {
    this.key = deliveryKey(targetKey, localDate);
  }

  /** Given up at shutdown: it takes no further step towards a send. */
  get abandoned(): boolean {
    return this.#abandoned;
  }

  /** Aborts at shutdown: cuts a backoff wait short. */
  get signal(): AbortSignal {
    return this.#stop.signal;
  }

  /** Completed, released or lost: nothing is left to give back. */
  get settled(): boolean {
    return this.#settled;
  }

  /** `false` when another attempt (another process, or an earlier run) holds or completed the day. */
  take(leaseMs: number): Promise<boolean> {
    return this.claims.claim(this.key, this.holder, leaseMs);
  }

  /**
   * Makes the day ours for good, just before its send. Throws when the attempt was abandoned, or
   * when the lease ran out and another attempt took the day over: that one delivers, this must not.
   */
  async complete(): Promise<void> {
    if (this.#abandoned)
      throw new Error(`the delivery claim "${this.key}" was abandoned at shutdown; not sending`);
    const completed = await this.claims.complete(this.key, this.holder);
    this.#settled = true;
    if (!completed)
      throw new Error(`the delivery claim "${this.key}" was taken over by another process; not sending`);
  }

  /** Nothing was sent (already in the ledger, paused, not set up): the day stays open for a later run. */
  async reopen(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    await this.claims.release(this.key, this.holder);
  }

  /** After a failure: best effort, since the lease (or retention, once completed) frees the day anyway. */
  async releaseQuietly(): Promise<void> {
    this.#settled = true;
    await this.claims.release(this.key, this.holder).catch((error: unknown) => {
      this.log.error({ err: error, claim: this.key }, "could not release a delivery claim");
    });
  }

  /** Shutdown gave this attempt up; its caller releases the claim. */
  abandon(): void {
    this.#abandoned = true;
    this.#stop.abort();
  }

  abandonedError(): Error {
    return new Error(`the delivery of ${this.targetKey} for ${this.localDate} was abandoned at shutdown`);
  }
}
