import { IANAZone } from "luxon";

// Luxon checks a zone by building an Intl formatter, which is slow enough to matter for thousands of
// targets per run. Only valid zones are remembered: there are a few hundred, while bad input is unbounded.
const knownZones = new Set<string>();

/**
 * The shape of a tz database name: "UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires",
 * "Etc/GMT+2". Every part starts with a letter, so no offset ("+02:00", "-0500") can pass, whatever
 * the ICU of this Node accepts (newer ICU takes offsets as zones; Node 20's does not).
 */
const TZ_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z][A-Za-z0-9_+-]*)*$/;

/**
 * Whether `timezone` is an IANA zone this Node's ICU knows. Only named zones pass, because the
 * bot promises DST-safe local times: a fixed offset would silently drift by an hour twice a year.
 */
export function isValidTimeZone(timezone: unknown): boolean {
  if (typeof timezone !== "string" || timezone.length === 0) return false;
  if (knownZones.has(timezone)) return true;
  if (!TZ_NAME.test(timezone) || !IANAZone.isValidZone(timezone)) return false;
  knownZones.add(timezone);
  return true;
}
