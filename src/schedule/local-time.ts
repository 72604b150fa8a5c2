import { DateTime } from "luxon";
import { isValidTimeZone } from "../core/time-zone.ts";

/**
 * When is "HH:MM in zone Z" on a given local date? Luxon does the zone math; this file only
 * decides what a delivery time means on the two days a year when the wall clock is not a
 * straight line:
 * - spring forward (02:30 does not exist in New York on 2026-03-08): the delivery happens at
 *   the first instant the wall clock reads 02:30 or later, which is 03:00 local, the moment
 *   the clocks jump. Luxon alone would say 03:30.
 * - fall back (01:30 happens twice in New York on 2026-11-01): the delivery belongs to the
 *   first 01:30. Luxon alone picks the second one.
 * Both follow one rule: a target's time on a date is the earliest instant of that date whose
 * wall clock reads the configured time or later.
 */

export interface ScheduleSettings {
  /** "HH:MM", 24-hour local time. */
  readonly time: string;
  /** IANA time zone, e.g. "Europe/Berlin". */
  readonly timezone: string;
}

export interface HourMinute {
  readonly hour: number;
  readonly minute: number;
}

/** "09:00" or "9:00" (surrounding spaces allowed); anything else, including "24:00", is undefined. */
export function parseHhMm(text: unknown): HourMinute | undefined {
  if (typeof text !== "string") return undefined;
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute };
}

/** The calendar date ("YYYY-MM-DD") that a wall clock in `timezone` shows at `instant`. */
export function localDateIn(instant: Date, timezone: string): string {
  const local = DateTime.fromJSDate(instant, { zone: timezone });
  const date = local.toISODate();
  if (date === null) throw new RangeError(`Cannot read the local date in time zone "${timezone}"`);
  return date;
}

/** Settings checked once, so the functions below cannot meet a bad zone or time half-way. */
interface ResolvedSchedule extends HourMinute {
  readonly zone: string;
}

function resolve(settings: ScheduleSettings): ResolvedSchedule {
  const hourMinute = parseHhMm(settings.time);
  if (!hourMinute) throw new RangeError(`Delivery time "${settings.time}" is not HH:MM`);
  if (!isValidTimeZone(settings.timezone)) throw new RangeError(`Unknown time zone "${settings.timezone}"`);
  return { ...hourMinute, zone: settings.timezone };
}

/** Whether the settings can be scheduled at all; the scheduler skips (and reports) those that cannot. */
export function isSchedulable(settings: ScheduleSettings): boolean {
  return parseHhMm(settings.time) !== undefined && isValidTimeZone(settings.timezone);
}

/** Wall-clock reading at `ms` in `zone`, written as if it were UTC, so wall clocks compare as numbers. */
function wallClockMs(ms: number, zone: string): number {
  const local = DateTime.fromMillis(ms, { zone });
  return ms + local.offset * 60_000;
}

/**
 * The instant a target is due on `localDate` ("YYYY-MM-DD"): the earliest instant of that
 * date whose wall clock reads the configured time or later (see the comment at the top).
 */
export function dueInstantOn(localDate: string, settings: ScheduleSettings): Date {
  const { hour, minute, zone } = resolve(settings);
  const day = DateTime.fromISO(localDate, { zone });
  if (!day.isValid) throw new RangeError(`"${localDate}" is not a date`);
  const wanted = Date.UTC(day.year, day.month - 1, day.day, hour, minute);

  // Every offset the zone uses on that day; a time zone changes offset at most a couple of times a day.
  const guess = day.set({ hour, minute });
  // The instant before the day starts counts too: where midnight itself is skipped (Africa/Cairo),
  // the day opens already in the new offset.
  const beforeDay = DateTime.fromMillis(day.startOf("day").toMillis() - 1, { zone });
  const offsets = new Set([beforeDay.offset, guess.offset, day.endOf("day").offset]);
  const candidates = [...offsets].map((offset) => wanted - offset * 60_000);

  // The wanted wall time exists once (a normal day) or twice (fall back): take the first.
  const exact = candidates.filter((ms) => wallClockMs(ms, zone) === wanted);
  if (exact.length > 0) return new Date(Math.min(...exact));

  // The wanted wall time falls in a spring-forward gap: find the jump, the first instant whose
  // wall clock reads past it. Between the candidates the wall clock only moves forward.
  let before = Math.min(...candidates);
  let after = Math.max(...candidates);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClockMs(middle, zone) >= wanted) after = middle;
    else before = middle;
  }
  return new Date(after);
}

/**
 * Whether a target is due at `now`: its local date at `now`, and whether its time on that
 * date has come. Pure; whether it was already delivered is the ledger's business.
 * Throws a RangeError for a time that is not HH:MM or an unknown zone (check with isSchedulable).
 */
export function isDue(settings: ScheduleSettings, now: Date): { due: boolean; localDate: string } {
  const { zone } = resolve(settings);
  const localDate = localDateIn(now, zone);
  return { due: now.getTime() >= dueInstantOn(localDate, settings).getTime(), localDate };
}

/**
 * The next instant after `now` at which the target's time comes ("/digest status"): today's
 * if it is still ahead, otherwise tomorrow's, each DST-correct. It does not know whether
 * today's digest went out; combine it with the ledger for that.
 */
export function nextRunAt(settings: ScheduleSettings, now: Date): Date {
  const { zone } = resolve(settings);
  const today = DateTime.fromJSDate(now, { zone });
  const todayDue = dueInstantOn(localDateIn(now, zone), settings);
  if (todayDue.getTime() > now.getTime()) return todayDue;
  const tomorrow = today.plus({ days: 1 }).toISODate();
  if (tomorrow === null) throw new RangeError(`Cannot compute tomorrow in time zone "${zone}"`);
  return dueInstantOn(tomorrow, settings);
}

/** The days of the week as `/papers alerts day:` takes them, Monday first (ISO weekday 1..7). */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The day of the week of a local date "YYYY-MM-DD" (a calendar fact: no time zone involved). */
export function weekdayOf(localDate: string): Weekday {
  const [year, month, day] = localDate.split("-").map(Number);
  // 1970-01-01 was a Thursday.
  const days = Math.floor(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1) / 86_400_000);
  return WEEKDAYS[(((days + 3) % 7) + 7) % 7] as Weekday;
}
