export { TICK_LEASE_MS, TickCoordinator } from "./claim-coordinator.ts";
export type {
  DueRunReport,
  ScheduledSlot,
  ScheduledTarget,
  SchedulerDeps,
  SkipReason,
} from "./digest-scheduler.ts";
export { DigestScheduler } from "./digest-scheduler.ts";
export type { HourMinute, ScheduleSettings } from "./local-time.ts";
export {
  dueInstantOn,
  isDue,
  isSchedulable,
  localDateIn,
  nextRunAt,
  parseHhMm,
  WEEKDAYS,
  type Weekday,
  weekdayOf,
} from "./local-time.ts";
