import { setImmediate as nextTurn } from "node:timers/promises";
import {
  type Logger as CronLogger,
  createTask,
  type RunCoordinator,
  type ScheduledTask,
  type TaskContext,
  type TaskOptions,
} from "node-cron";
import { platformOfKey } from "../core/target.ts";
import { log } from "../log.ts";
import { forEachBounded } from "./bounded.ts";
import { dueInstantOn, isDue, isSchedulable, parseHhMm, type Weekday, weekdayOf } from "./local-time.ts";

/**
 * Decides WHEN each target gets its digest and for WHICH local date; the delivery itself is
 * passed in. The source of "never twice" is the ledger (`hasDelivered`, written by `deliver`)
 * plus an in-process set of targets in flight; the source of "never missed" is that every run
 * delivers everything due today and not yet delivered, whatever triggered the run.
 *
 * Triggers:
 * - one node-cron job per distinct (time, time zone), so a digest leaves on the minute;
 * - a sweep job (every 15 minutes by default) that covers what those jobs cannot, and re-syncs
 *   the jobs with the targets in case a refresh() was missed;
 * - start(): one catch-up run for the digests missed while the bot was down (today's only).
 *
 * What node-cron 4.6 does on DST days with a `timezone` (measured with vitest fake timers
 * running real node-cron jobs through both 2026 change days in America/New_York and Europe/Berlin):
 * - spring forward: a job at a local time inside the gap (`30 2 * * *` in New York on Mar 8,
 *   in Berlin on Mar 29; also `0 2 * * *`) does NOT fire that day. Skipped.
 * - fall back: a job at a local time that happens twice (`30 1 * * *` in New York on Nov 1,
 *   `30 2 * * *` in Berlin on Oct 25) fires ONCE (New York at the first 01:30, Berlin at the
 *   second 02:30). Not doubled.
 * - a job whose moment passes while the process sleeps (suspend, blocked event loop for more
 *   than node-cron's 1 s tolerance) is not run late: node-cron emits `execution:missed`.
 * So: the sweep delivers the skipped spring-forward digest at the jump (03:00 local, the first
 * instant the wall clock reads past 02:30, see local-time.ts); a missed job triggers a run at
 * once; and doubles could only come from overlapping triggers, which the guards below stop.
 *
 * Across processes: with a `coordinator` (TickCoordinator over the shared store) every job is
 * node-cron `distributed`, so of N processes only the one that claims a tick runs it; a missed run
 * asks the coordinator for the same tick too. The tick's claim is renewed while its run lasts and
 * completed when it ends, so a survivor takes over the tick of a process that died (takeover.ts). The sweep's job re-sync is this process's own state,
 * so a process not elected for a sweep still re-syncs. The catch-up at start() is not coordinated:
 * a process that starts alone must make up what is due, and the delivery claims keep it single.
 */

export interface ScheduledTarget {
  /** Target key (src/target.ts): where the digest goes and what the ledger is keyed by. */
  readonly key: string;
  /** "HH:MM", local time in `timezone`. */
  readonly time: string;
  /** IANA time zone. */
  readonly timezone: string;
  readonly paused: boolean;
  /**
   * When the target was set up or last rescheduled. A due instant before it does not count: a
   * digest set up at 10:00 for 09:00 starts tomorrow, as /digest status says, instead of at once.
   */
  readonly since?: Date;
  /** Set for a weekly target: only local dates on this day of the week are due. */
  readonly weekday?: Weekday;
}

export interface SchedulerDeps {
  /** All channel and user targets with their delivery settings, read from the store. */
  listTargets(): Promise<readonly ScheduledTarget[]>;
  /** The ledger: whether the digest of `localDate` already went to `key`. */
  hasDelivered(key: string, localDate: string): Promise<boolean>;
  /** Picks, sends and records the digest in the ledger. May throw; the target is then retried by a later run. */
  deliver(key: string, localDate: string): Promise<void>;
  /** The clock of the catch-up run and of cron-triggered runs. */
  readonly now?: () => Date;
  /**
   * Deliveries running at once within one run, per platform (default DEFAULT_CONCURRENCY). It
   * only has to be high enough that the platform's rate limiter, not this pool, sets the pace.
   */
  readonly concurrency?: number;
  /** node-cron expression of the sweep (default every 15 minutes, UTC). */
  readonly sweepSchedule?: string;
  /**
   * Elects one process per cron tick among those sharing a store (see claim-coordinator.ts).
   * Without it every tick runs in this process, as it should when it is the only one.
   */
  readonly coordinator?: TickRunCoordinator;
}

/** A coordinator that also hears when a run ends, so it can close the ticks it elected (TickCoordinator). */
export interface TickRunCoordinator extends RunCoordinator {
  /** Called when a run that started at `startedAt` (Date.now()) ended and no other run is under way. */
  settle?(startedAt: number): Promise<void>;
}

export type SkipReason = "paused" | "already-delivered" | "in-flight" | "invalid-schedule";

/** What one run did. Targets whose time has not come yet today appear nowhere. */
export interface DueRunReport {
  readonly delivered: readonly string[];
  readonly failed: readonly { readonly key: string; readonly localDate: string; readonly error: string }[];
  readonly skipped: readonly { readonly key: string; readonly reason: SkipReason }[];
}

/** One installed cron job, for status pages and the admin. */
export interface ScheduledSlot {
  readonly time: string;
  readonly timezone: string;
  readonly nextRun: Date | null;
}

/**
 * Each platform gets a pool of its own, so Slack waiting out a 429 (its client pauses every call)
 * never holds up Discord, and the other way round. 32 per platform keeps the platform's limiter
 * the bottleneck, not the pool: discord.js paces to 50 requests/s itself, so at a ~300 ms round trip
 * plus our store writes it needs ~15-20 sends in flight to stay at the limit; Slack's client waits
 * out rate limits on its own. More in flight would buy nothing but more sends to abandon at shutdown.
 */
export const DEFAULT_CONCURRENCY = 32;
const DEFAULT_SWEEP = "*/15 * * * *";
/** The lease node-cron asks a coordinator for; a missed run asks for the same. */
const NODE_CRON_DEFAULT_LEASE_MS = 30_000;

const schedLog = log.child({ module: "schedule" });

// node-cron's own messages (start failures, overlap warnings) go to our structured log, not the console.
const cronLogger: CronLogger = {
  info: (message) => schedLog.info(message),
  warn: (message) => schedLog.warn(message),
  error: (message, error) => schedLog.error({ err: error ?? message }, "node-cron"),
  debug: (message) => schedLog.debug({ detail: message }, "node-cron"),
};

/** Normalised "HH:MM" plus zone: targets at "9:00" and "09:00" in one zone share one job. */
function slotOf(
  target: ScheduledTarget,
): { id: string; time: string; hour: number; minute: number } | undefined {
  if (!isSchedulable(target)) return undefined;
  const parsed = parseHhMm(target.time);
  if (!parsed) return undefined;
  const time = `${String(parsed.hour).padStart(2, "0")}:${String(parsed.minute).padStart(2, "0")}`;
  return { id: `${time} ${target.timezone}`, time, ...parsed };
}

/** Targets by platform, each group in the order of the run. */
function groupByPlatform<T extends { readonly key: string }>(items: readonly T[]): Iterable<readonly T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const platform = platformOfKey(item.key);
    const group = groups.get(platform);
    if (group) group.push(item);
    else groups.set(platform, [item]);
  }
  return groups.values();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class DigestScheduler {
  readonly #deps: SchedulerDeps;
  readonly #slotJobs = new Map<string, { job: ScheduledTask; time: string; timezone: string }>();
  #sweepJob: ScheduledTask | undefined;
  /** Targets claimed by a run in this process: a cron tick and a catch-up never deliver one target together. */
  readonly #inFlight = new Set<string>();
  /** Runs under way, so that stop() can wait for them. */
  readonly #runs = new Set<Promise<unknown>>();
  /** Reconciliations are chained: two quick refresh() calls must not install one job twice. */
  #reconciling: Promise<void> = Promise.resolve();
  #started = false;
  /** Set by stop(): runs under way start no further deliveries, so shutdown is not a burst of refusals. */
  #stopping = false;
  /** The coordinator with its elections tracked, so stop() and idle() wait for them like for runs. */
  readonly #coordinator: RunCoordinator | undefined;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
    const coordinator = deps.coordinator;
    this.#coordinator = coordinator && {
      shouldRun: (key, ttlMs) => this.#track(Promise.resolve(coordinator.shouldRun(key, ttlMs))),
    };
  }

  /**
   * Installs the jobs, then makes up what was missed today while the bot was down, and returns
   * that run's report. Jobs go first so that nothing falls between the catch-up and the first tick.
   */
  async start(): Promise<DueRunReport> {
    if (!this.#started) {
      this.#started = true;
      this.#stopping = false;
      const name = "digest sweep";
      const sweep = createTask(this.#deps.sweepSchedule ?? DEFAULT_SWEEP, () => this.#fire(undefined), {
        ...this.#taskOptions(name),
        timezone: "UTC",
      });
      sweep.on("execution:missed", (context: TaskContext) => void this.#fireMissed(name, context, undefined));
      // Another process runs this sweep; the jobs of this one still need re-syncing.
      sweep.on("execution:skipped", () => void this.#resync());
      sweep.start();
      this.#sweepJob = sweep;
      await this.refresh();
    }
    return this.runDue();
  }

  /** Settings changed: add and remove cron jobs so there is one per distinct (time, zone) in use. */
  refresh(): Promise<void> {
    const reconciled = this.#reconciling.then(() => this.#reconcile());
    this.#reconciling = reconciled.catch(() => undefined);
    return reconciled;
  }

  /** Delivers every target that is due at `now` and has no digest for its local date yet. */
  runDue(now: Date = this.#now()): Promise<DueRunReport> {
    return this.#track(this.#run(now, undefined));
  }

  /**
   * A sweep's run now, outside the cron jobs: what a survivor does after taking over the tick of
   * a process that died (takeover.ts). Settles the ticks this process holds when it ends.
   */
  sweepNow(): Promise<void> {
    return this.#fire(undefined);
  }

  /** The installed per-time jobs (the sweep aside) and when each fires next. */
  slots(): readonly ScheduledSlot[] {
    return [...this.#slotJobs.values()].map(({ job, time, timezone }) => ({
      time,
      timezone,
      nextRun: job.getNextRun(),
    }));
  }

  /**
   * Resolves once no run and no election is under way in this process (tests and shutdown use it
   * after a tick: an election's winner starts its run in the same turn of the event loop).
   */
  async idle(): Promise<void> {
    while (this.#runs.size > 0) {
      await Promise.allSettled([...this.#runs]);
      await nextTurn();
    }
  }

  /** Stops every job; runs under way start no new delivery, and those delivering are waited for. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#stopping = true;
    const jobs = [...this.#slotJobs.values()].map((slot) => slot.job);
    if (this.#sweepJob) jobs.push(this.#sweepJob);
    this.#slotJobs.clear();
    this.#sweepJob = undefined;
    await Promise.all(jobs.map((job) => job.destroy()));
    await this.#reconciling;
    // A reconciliation that was listing targets when stop() began finds #started false and installs nothing.
    await Promise.allSettled([...this.#runs]);
  }

  #now(): Date {
    return this.#deps.now ? this.#deps.now() : new Date();
  }

  #track<T>(run: Promise<T>): Promise<T> {
    this.#runs.add(run);
    const forget = (): void => {
      this.#runs.delete(run);
    };
    run.then(forget, forget);
    return run;
  }

  /** A cron-triggered run; `slotId` narrows it to the targets of one job. Never rejects. */
  async #fire(slotId: string | undefined): Promise<void> {
    const startedAt = Date.now();
    try {
      await this.#fireOnce(slotId);
    } finally {
      // This run's own entry in #runs is gone by now; any left belong to runs still going.
      if (this.#runs.size === 0) await this.#deps.coordinator?.settle?.(startedAt);
    }
  }

  async #fireOnce(slotId: string | undefined): Promise<void> {
    if (!this.#started) return;
    try {
      const report = await this.#track(this.#run(this.#now(), slotId));
      if (report.delivered.length > 0 || report.failed.length > 0) {
        schedLog.info(
          { slot: slotId ?? "sweep", delivered: report.delivered.length, failed: report.failed.length },
          "digest run finished",
        );
      }
    } catch (error) {
      schedLog.error({ err: error, slot: slotId ?? "sweep" }, "digest run could not list targets");
    }
    // The sweep also re-syncs the jobs, so a refresh() that failed (or was never called) heals within one sweep.
    if (slotId === undefined) await this.#resync();
  }

  async #resync(): Promise<void> {
    if (!this.#started) return;
    await this.refresh().catch((error: unknown) => {
      schedLog.error({ err: error }, "digest jobs could not be refreshed");
    });
  }

  /**
   * A tick whose moment passed while the process slept: node-cron drops it, so it is run now,
   * after the same election a punctual tick goes through (another process has probably run it).
   */
  async #fireMissed(name: string, context: TaskContext, slotId: string | undefined): Promise<void> {
    if (this.#coordinator) {
      const key = `${name}:${context.date.toISOString()}`;
      const elected = await Promise.resolve(
        this.#coordinator.shouldRun(key, NODE_CRON_DEFAULT_LEASE_MS),
      ).catch((error: unknown) => {
        schedLog.error({ err: error, slot: slotId ?? "sweep" }, "digest run coordinator failed");
        return false;
      });
      if (!elected) {
        if (slotId === undefined) await this.#resync();
        return;
      }
    }
    await this.#fire(slotId);
  }

  #taskOptions(name: string): TaskOptions {
    const options: TaskOptions = { name, noOverlap: true, logger: cronLogger };
    if (this.#coordinator) {
      options.distributed = true;
      options.runCoordinator = this.#coordinator;
    }
    return options;
  }

  async #reconcile(): Promise<void> {
    if (!this.#started) return;
    const targets = await this.#deps.listTargets();
    if (!this.#started) return;

    const wanted = new Map<string, { time: string; timezone: string; hour: number; minute: number }>();
    for (const target of targets) {
      if (target.paused) continue;
      const slot = slotOf(target);
      if (slot) wanted.set(slot.id, { ...slot, timezone: target.timezone });
    }

    for (const [id, { job }] of this.#slotJobs) {
      if (wanted.has(id)) continue;
      this.#slotJobs.delete(id);
      await job.destroy();
    }
    for (const [id, slot] of wanted) {
      if (this.#slotJobs.has(id)) continue;
      const name = `digest ${id}`;
      const job = createTask(`${slot.minute} ${slot.hour} * * *`, () => this.#fire(id), {
        ...this.#taskOptions(name),
        timezone: slot.timezone,
      });
      // Fired late after a suspend or a blocked event loop: node-cron would drop the run; do it now.
      job.on("execution:missed", (context: TaskContext) => void this.#fireMissed(name, context, id));
      job.start();
      this.#slotJobs.set(id, { job, time: slot.time, timezone: slot.timezone });
    }
  }

  async #run(now: Date, slotId: string | undefined): Promise<DueRunReport> {
    const targets = await this.#deps.listTargets();
    const delivered: string[] = [];
    const failed: { key: string; localDate: string; error: string }[] = [];
    const skipped: { key: string; reason: SkipReason }[] = [];

    // Claim synchronously, before any await, so a run started meanwhile sees the claims.
    const claimed: { key: string; localDate: string }[] = [];
    // Thousands of targets share a few dozen (time, zone) pairs; the zone math is done once per pair.
    const dueBySlot = new Map<string, { due: boolean; localDate: string; dueAt: number }>();
    for (const target of targets) {
      const slot = slotOf(target);
      if (slotId !== undefined && slot?.id !== slotId) continue;
      if (target.paused) {
        skipped.push({ key: target.key, reason: "paused" });
        continue;
      }
      if (!slot) {
        schedLog.warn(
          { target: target.key, time: target.time, timezone: target.timezone },
          "digest target has a delivery time or time zone that cannot be scheduled",
        );
        skipped.push({ key: target.key, reason: "invalid-schedule" });
        continue;
      }
      let dueness = dueBySlot.get(slot.id);
      if (!dueness) {
        const { due, localDate } = isDue(target, now);
        dueness = { due, localDate, dueAt: dueInstantOn(localDate, target).getTime() };
        dueBySlot.set(slot.id, dueness);
      }
      const { due, localDate, dueAt } = dueness;
      if (!due || (target.since !== undefined && dueAt < target.since.getTime())) continue;
      if (target.weekday !== undefined && weekdayOf(localDate) !== target.weekday) continue;
      if (this.#inFlight.has(target.key)) {
        skipped.push({ key: target.key, reason: "in-flight" });
        continue;
      }
      this.#inFlight.add(target.key);
      claimed.push({ key: target.key, localDate });
    }

    const deliverOne = async ({ key, localDate }: { key: string; localDate: string }): Promise<void> => {
      if (this.#stopping) {
        // Not tried: it stays due, and the next process (or this one restarted) delivers it.
        this.#inFlight.delete(key);
        return;
      }
      const where = { target: key, platform: platformOfKey(key), date: localDate };
      let delivering = false;
      try {
        if (await this.#deps.hasDelivered(key, localDate)) {
          skipped.push({ key, reason: "already-delivered" });
          return;
        }
        delivering = true;
        await this.#deps.deliver(key, localDate);
        delivered.push(key);
      } catch (error) {
        // A delivery logs its own failure (with its kind); a ledger that cannot be read is ours to tell.
        if (delivering) schedLog.debug({ err: error, ...where }, "digest delivery failed in this run");
        else schedLog.error({ err: error, ...where }, "digest run could not read the ledger");
        failed.push({ key, localDate, error: errorText(error) });
      } finally {
        this.#inFlight.delete(key);
      }
    };
    const concurrency = this.#deps.concurrency ?? DEFAULT_CONCURRENCY;
    await Promise.all(
      [...groupByPlatform(claimed)].map((group) => forEachBounded(group, concurrency, deliverOne)),
    );
    return { delivered, failed, skipped };
  }
}
