import type { Paper } from "../core/paper.ts";

/**
 * The trending score, kept small enough to explain in one sentence:
 *
 *   score = popularity × freshness
 *
 * - popularity = 1 + ln(1 + upvotes) when the source counts votes; otherwise the source's own
 *   trending rank stands in, with #1 counted like RANK_ONE_UPVOTES votes, #2 like half that,
 *   and so on. Logarithmic, so 400 votes do not bury everything with 40.
 * - freshness = 0.5 ^ (age in whole days / HALF_LIFE_DAYS), age measured from the paper's
 *   date (publishedAt, else featuredAt) to the digest's local date. Papers dated after that
 *   date count as today's, never fresher. Undated papers count as UNDATED_AGE_DAYS old.
 */
export const HALF_LIFE_DAYS = 3;
export const RANK_ONE_UPVOTES = 100;
export const UNDATED_AGE_DAYS = 1;
/** Beyond this age freshness stops falling, so ancient papers keep a popularity order instead of underflowing to 0. */
const OLDEST_AGE_DAYS = 1000;

/** Votes as a usable count, or undefined when absent or nonsense (negative, NaN, infinite). */
export function knownUpvotes(paper: Paper): number | undefined {
  const votes = paper.upvotes;
  if (votes === undefined || !Number.isFinite(votes) || votes < 0) return undefined;
  return Math.floor(votes);
}

/** The paper's position in its source, or undefined when it is nonsense (below 1, NaN). */
export function knownRank(paper: Paper): number | undefined {
  const rank = paper.rank;
  return Number.isFinite(rank) && rank >= 1 ? Math.floor(rank) : undefined;
}

export function popularity(paper: Paper): number {
  const votes = knownUpvotes(paper);
  if (votes !== undefined) return 1 + Math.log1p(votes);
  // A paper without a usable rank counts as the last of any list.
  return 1 + Math.log1p(RANK_ONE_UPVOTES / (knownRank(paper) ?? Number.MAX_SAFE_INTEGER));
}

/** The paper's calendar day (days since 1970-01-01), or undefined when it has no usable date. */
export function paperDay(paper: Paper): number | undefined {
  return calendarDay(paper.publishedAt) ?? calendarDay(paper.featuredAt);
}

/**
 * Days since 1970-01-01 of an ISO 8601 date or timestamp, read from its calendar date as
 * written ("2025-03-04T23:30:00-08:00" is March 4th, the author's day). Reading the first ten
 * characters instead of Date.parse keeps a million papers cheap to score.
 */
export function calendarDay(iso: string | undefined): number | undefined {
  if (iso === undefined || iso.length < 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) {
    return undefined;
  }
  const year = digits(iso, 0, 4);
  const month = digits(iso, 5, 2);
  const day = digits(iso, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (iso.length > 10 && iso.charCodeAt(10) !== 84 /* T */ && iso.charCodeAt(10) !== 32) return undefined;
  return daysFromCivil(year, month, day);
}

/** Whole days from the paper's day to the digest's day; papers from the future are 0 (today). */
export function ageInDays(day: number | undefined, localDay: number): number | undefined {
  if (day === undefined) return undefined;
  return Math.max(0, localDay - day);
}

export function freshness(ageDays: number | undefined): number {
  const age = Math.min(ageDays ?? UNDATED_AGE_DAYS, OLDEST_AGE_DAYS);
  return 0.5 ** (age / HALF_LIFE_DAYS);
}

export function trendingScore(paper: Paper, localDay: number): number {
  return popularity(paper) * freshness(ageInDays(paperDay(paper), localDay));
}

/** Parses `digits` decimal digits at `start`; -1 when any of them is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm; no Date objects in the hot loop). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
