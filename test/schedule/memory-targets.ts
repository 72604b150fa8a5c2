import type { ScheduledTarget, SchedulerDeps } from "../../src/schedule/digest-scheduler.ts";

/** One digest that went out: to whom, for which local date, and at which instant of the test clock. */
export interface SentDigest {
  readonly key: string;
  readonly localDate: string;
  readonly at: string;
}

/**
 * Scheduler inputs kept in plain arrays and a set, as the store and the lead's delivery would
 * keep them: a target list, a ledger of (target, local date), and a log of what was sent.
 * `clock.now` is the instant the test is at (the real or fake-timer clock when unset); deliveries
 * are stamped with it.
 */
export function memoryTargets(initial: ScheduledTarget[]) {
  const targets = [...initial];
  const ledger = new Set<string>();
  const sent: SentDigest[] = [];
  const clock: { now: Date | undefined } = { now: undefined };
  const now = (): Date => clock.now ?? new Date();
  const deps: SchedulerDeps = {
    listTargets: async () => [...targets],
    hasDelivered: async (key, localDate) => ledger.has(`${key} ${localDate}`),
    deliver: async (key, localDate) => {
      sent.push({ key, localDate, at: now().toISOString() });
      ledger.add(`${key} ${localDate}`);
    },
    now,
  };
  return { targets, ledger, sent, clock, deps };
}

export function target(key: string, time: string, timezone: string, paused = false): ScheduledTarget {
  return { key, time, timezone, paused };
}

/** Every quarter hour from `fromIso` (inclusive) to `toIso` (exclusive). */
export function* quarterHours(fromIso: string, toIso: string): Generator<Date> {
  for (let ms = Date.parse(fromIso); ms < Date.parse(toIso); ms += 15 * 60_000) yield new Date(ms);
}
