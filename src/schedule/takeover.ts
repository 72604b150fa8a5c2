import { log } from "../log.ts";
import type { Claims } from "../store/index.ts";
import { forEachBounded } from "./bounded.ts";
import type { TickCoordinator } from "./claim-coordinator.ts";

/**
 * How often a process looks for work a dead holder left. A delivery claim lapses 2 minutes (its
 * lease) after its holder stopped renewing it, a tick 1 minute after (TICK_LEASE_MS); so a survivor
 * starts on it within lease + this, well inside lease + 30 s.
 */
export const TAKEOVER_EVERY_MS = 15 * 1000;

/** Lapsed deliveries taken over at once; the platform's limiter, not this, sets the pace. */
const TAKEOVER_CONCURRENCY = 16;

const takeoverLog = log.child({ module: "takeover" });

export interface TakeoverDeps {
  readonly claims: Pick<Claims, "lapsed">;
  readonly ticks: Pick<TickCoordinator, "owns" | "takeOver">;
  /** A sweep's run (DigestScheduler.sweepNow): everything due and not delivered yet. */
  sweep(): Promise<void>;
  /** Whether this process can deliver the delivery claim `key` (its platform runs here). */
  serves(key: string): boolean;
  /** Delivers, or reconciles, the delivery of claim `key` (DigestService.deliver of its target and date). */
  deliver(key: string): Promise<void>;
  readonly everyMs?: number;
}

/**
 * Survivors take over: every TAKEOVER_EVERY_MS each process lists the claims whose lease ran out
 * unfinished (ClaimBackend.lapsed, one indexed read) and, of those it can serve:
 * - a cron tick of its scope: claims it (one process wins) and runs a sweep, which delivers every
 *   target due and not yet delivered, the ones the dead process never reached included;
 * - a delivery: delivers it, through DigestService, which takes the claim over (again one process
 *   wins) and, for a claim left *sending*, looks the post up on the platform before anything else.
 * Nothing waits for the next sweep or for the dead process to come back, and nothing is sent
 * twice: every step goes through an atomic claim. With nothing lapsed a check is that one read.
 */
export class Takeover {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(private readonly deps: TakeoverDeps) {}

  start(): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.check(), this.deps.everyMs ?? TAKEOVER_EVERY_MS);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a check under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One look (joined when one is under way); never rejects. */
  check(): Promise<void> {
    this.#running ??= this.#check()
      .catch((error: unknown) => takeoverLog.warn({ err: error }, "could not look for lapsed claims"))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  async #check(): Promise<void> {
    const lapsed = await this.deps.claims.lapsed();
    if (lapsed.length === 0) return;
    let tookTick = false;
    for (const key of lapsed.filter((key) => this.deps.ticks.owns(key))) {
      if (!(await this.deps.ticks.takeOver(key))) continue;
      takeoverLog.info({ tick: key }, "took over a cron tick whose holder stopped; running it");
      tookTick = true;
    }
    if (tookTick) await this.deps.sweep();
    const deliveries = lapsed.filter((key) => this.deps.serves(key));
    await forEachBounded(deliveries, TAKEOVER_CONCURRENCY, async (key) => {
      try {
        await this.deps.deliver(key);
      } catch (error) {
        // The delivery logged why; its claim lapses again or was released, so a later check retries.
        takeoverLog.debug({ err: error, claim: key }, "taking over a lapsed delivery failed");
      }
    });
  }
}
