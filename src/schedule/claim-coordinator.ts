import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { RunCoordinator } from "node-cron";
import { log } from "../log.ts";
import type { Claims } from "../store/index.ts";

/**
 * How long a tick's claim lasts without a heartbeat. Its holder renews it every third of this
 * while the tick's run lasts and completes it when the run ends, so a completed tick is never run
 * again (a process whose timer fires late finds it taken), and the tick of a holder that died
 * lapses this long after its last heartbeat, for a survivor to take over (takeover.ts).
 */
export const TICK_LEASE_MS = 60 * 1000;

const tickLog = log.child({ module: "schedule" });

/** A cron tick this process holds: its claim and when it took it. */
interface HeldTick {
  readonly holder: string;
  readonly claimedAt: number;
}

/**
 * node-cron's `distributed` run coordinator backed by the store's atomic claim: of N processes on
 * one store, the first to claim a tick runs it, the others skip it. node-cron's key is the task
 * name plus the tick's instant, so identical processes name the same tick alike.
 *
 * `scope` separates processes that do not do the same work (one serving Discord, another Slack):
 * each scope elects its own runner, and takes over only its own scope's ticks.
 */
export class TickCoordinator implements RunCoordinator {
  readonly #held = new Map<string, HeldTick>();
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly claims: Pick<Claims, "claim" | "renew" | "complete">,
    private readonly options: { readonly scope?: () => string; readonly leaseMs?: number } = {},
  ) {}

  get #leaseMs(): number {
    return this.options.leaseMs ?? TICK_LEASE_MS;
  }

  #prefix(): string {
    return `cron:${this.options.scope?.() ?? ""}:`;
  }

  shouldRun(key: string): Promise<boolean> {
    return this.takeOver(`${this.#prefix()}${key}`);
  }

  /** Whether a claim key is a tick of this process's scope. */
  owns(claimKey: string): boolean {
    return claimKey.startsWith(this.#prefix());
  }

  /** Claims the tick (a fresh one, or one whose holder's lease ran out) and holds it until settled. */
  async takeOver(claimKey: string): Promise<boolean> {
    const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
    const claimedAt = Date.now();
    if (!(await this.claims.claim(claimKey, holder, this.#leaseMs))) return false;
    this.#held.set(claimKey, { holder, claimedAt });
    this.#beat();
    return true;
  }

  /**
   * A run that started at `startedAt` ended and no other run is under way: every tick held since
   * before it is done. A tick claimed later belongs to a run not finished yet, and stays held.
   */
  async settle(startedAt: number): Promise<void> {
    const done = [...this.#held].filter(([, tick]) => tick.claimedAt <= startedAt);
    for (const [key] of done) this.#held.delete(key);
    if (this.#held.size === 0) this.#quiet();
    await Promise.all(
      done.map(([key, tick]) =>
        this.claims.complete(key, tick.holder).catch((error: unknown) => {
          // The tick then lapses and a survivor runs it again: deliveries are claimed, so nothing doubles.
          tickLog.warn({ err: error, tick: key }, "could not complete a cron tick's claim");
        }),
      ),
    );
  }

  /** Shutdown: held ticks are left to lapse, for whoever runs next to take over. */
  stop(): void {
    this.#held.clear();
    this.#quiet();
  }

  #beat(): void {
    if (this.#heartbeat) return;
    this.#heartbeat = setInterval(
      () => {
        for (const [key, tick] of this.#held) {
          void this.claims.renew(key, tick.holder, this.#leaseMs).catch((error: unknown) => {
            tickLog.warn({ err: error, tick: key }, "could not renew a cron tick's claim");
          });
        }
      },
      Math.max(1, Math.floor(this.#leaseMs / 3)),
    );
    this.#heartbeat.unref();
  }

  #quiet(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
