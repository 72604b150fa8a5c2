import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "../log.ts";
import type { Claims, Taken } from "../store/index.ts";

const PREFIX = "digest:";

/** The claim key of (target, local date), also the idempotency key of its sends: one per delivery. */
export function deliveryKey(targetKey: string, localDate: string): string {
  return `${PREFIX}${targetKey}@${localDate}`;
}

/** The (target, local date) of a delivery key; `undefined` for any other claim key. */
export function parseDeliveryKey(key: string): { targetKey: string; localDate: string } | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const at = key.lastIndexOf("@");
  if (at <= PREFIX.length) return undefined;
  const localDate = key.slice(at + 1);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(localDate)) return undefined;
  return { targetKey: key.slice(PREFIX.length, at), localDate };
}

/** Unique per attempt, readable in the store: which machine and process holds a day. */
function newHolder(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

/**
 * One delivery attempt's hold on (target, local date) in the store's claims.
 *
 * Guarantees: the claim is settled at most once (completed, released, left for a reconcile, or
 * found taken over), so an attempt never releases a day it completed or another process now
 * holds; once a send may have begun (`markSending`) the claim is never released by a failure
 * whose outcome is unknown, only left to lapse for a look-up; while sending, the lease is renewed
 * so no survivor takes over a send that is still in flight; once abandoned at shutdown it refuses
 * to start sending, so nothing is sent after drain() gave it up.
 */
export class DeliveryClaim {
  readonly key: string;
  readonly holder = newHolder();
  #settled = false;
  #abandoned = false;
  #sending = false;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #stop = new AbortController();

  constructor(
    private readonly claims: Pick<Claims, "take" | "renew" | "markSending" | "complete" | "release">,
    readonly targetKey: string,
    readonly localDate: string,
    private readonly leaseMs: number,
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

  /** Completed, released, left for a reconcile or lost: nothing is left to give back. */
  get settled(): boolean {
    return this.#settled;
  }

  /** A send may have begun: a failure now cannot tell whether the post went out. */
  get sending(): boolean {
    return this.#sending;
  }

  /** `undefined` when another attempt (another process, or an earlier run) holds or completed the day. */
  take(): Promise<Taken | undefined> {
    return this.claims.take(this.key, this.holder, this.leaseMs);
  }

  /**
   * Written before the send's first byte: from now on a takeover looks the post up instead of
   * posting blind. Throws when the attempt was abandoned, or when the lease ran out and another
   * attempt took the day over: that one delivers, this must not.
   */
  async markSending(detail: string): Promise<void> {
    if (this.#abandoned)
      throw new Error(`the delivery claim "${this.key}" was abandoned at shutdown; not sending`);
    if (!(await this.claims.markSending(this.key, this.holder, this.leaseMs, detail))) {
      this.#settled = true;
      throw new Error(`the delivery claim "${this.key}" was taken over by another process; not sending`);
    }
    this.#sending = true;
    this.#beat();
  }

  /** Sent (or closed without a send): the day is done for good, with the post's id when there is one. */
  async complete(messageId?: string): Promise<void> {
    this.#quiet();
    const completed = await this.claims.complete(this.key, this.holder, messageId);
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

  /**
   * After a failure, best effort (never throws): a claim whose send may have posted is left
   * *sending* to lapse in one more lease, so that a post still on its way has landed before a
   * takeover looks it up; any other is released (the lease, or retention once completed, would
   * free the day anyway).
   */
  async giveUp(mayHavePosted: boolean): Promise<void> {
    this.#quiet();
    if (this.#settled) return;
    this.#settled = true;
    const step = mayHavePosted
      ? this.claims.renew(this.key, this.holder, this.leaseMs)
      : this.claims.release(this.key, this.holder);
    await step.catch((error: unknown) => {
      this.log.error({ err: error, claim: this.key }, "could not give a delivery claim back");
    });
  }

  /** Keeps an unconfirmed send's claim for `forMs` so nobody tries it again meanwhile. */
  async hold(forMs: number): Promise<void> {
    this.#quiet();
    this.#settled = true;
    await this.claims.renew(this.key, this.holder, forMs).catch((error: unknown) => {
      this.log.error({ err: error, claim: this.key }, "could not keep an unconfirmed delivery claim");
    });
  }

  /** Shutdown gave this attempt up; its caller gives the claim back. */
  abandon(): void {
    this.#abandoned = true;
    this.#stop.abort();
  }

  abandonedError(): Error {
    return new Error(`the delivery of ${this.targetKey} for ${this.localDate} was abandoned at shutdown`);
  }

  /** Renews the lease a third of the way through each, so a send in flight is never taken over. */
  #beat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(
      () => {
        void this.claims.renew(this.key, this.holder, this.leaseMs).catch((error: unknown) => {
          this.log.warn({ err: error, claim: this.key }, "could not renew a delivery claim");
        });
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    this.#heartbeat.unref();
  }

  #quiet(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
