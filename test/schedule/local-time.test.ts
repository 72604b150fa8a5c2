import { describe, expect, test } from "vitest";
import { dueInstantOn, isDue, localDateIn, nextRunAt, parseHhMm } from "../../src/schedule/local-time.ts";

const at = (iso: string): Date => new Date(iso);

describe("parseHhMm", () => {
  test("reads 24-hour times, with or without a leading zero", () => {
    expect(parseHhMm("09:00")).toEqual({ hour: 9, minute: 0 });
    expect(parseHhMm("9:05")).toEqual({ hour: 9, minute: 5 });
    expect(parseHhMm(" 23:59 ")).toEqual({ hour: 23, minute: 59 });
    expect(parseHhMm("00:00")).toEqual({ hour: 0, minute: 0 });
  });

  test("refuses what is not a time of day instead of throwing", () => {
    for (const bad of ["24:00", "12:60", "9", "9am", "09:00:00", "", "-1:30", "ab:cd"]) {
      expect(parseHhMm(bad), bad).toBeUndefined();
    }
    expect(parseHhMm(undefined)).toBeUndefined();
    expect(parseHhMm(930)).toBeUndefined();
  });
});

describe("localDateIn", () => {
  test("is the date on the wall calendar of the zone, not in UTC", () => {
    const instant = at("2026-01-14T20:30:00Z");
    expect(localDateIn(instant, "UTC")).toBe("2026-01-14");
    expect(localDateIn(instant, "Pacific/Auckland")).toBe("2026-01-15");
    expect(localDateIn(at("2026-01-15T02:00:00Z"), "America/Los_Angeles")).toBe("2026-01-14");
  });
});

describe("isDue around the configured time", () => {
  const cases = [
    // zone, time, last instant before, first instant at, local date
    ["UTC", "09:00", "2026-06-10T08:59:59Z", "2026-06-10T09:00:00Z", "2026-06-10"],
    ["Europe/Berlin", "09:00", "2026-06-10T06:59:59Z", "2026-06-10T07:00:00Z", "2026-06-10"],
    ["Europe/Berlin", "09:00", "2026-01-10T07:59:59Z", "2026-01-10T08:00:00Z", "2026-01-10"],
    ["Asia/Kolkata", "09:00", "2026-06-10T03:29:59Z", "2026-06-10T03:30:00Z", "2026-06-10"],
    // Auckland (UTC+13 in January) is due while it is still the day before in UTC.
    ["Pacific/Auckland", "09:00", "2026-01-14T19:59:59Z", "2026-01-14T20:00:00Z", "2026-01-15"],
    ["Pacific/Auckland", "23:30", "2026-06-10T11:29:59Z", "2026-06-10T11:30:00Z", "2026-06-10"],
  ] as const;

  test.each(cases)(
    "%s %s: not due a second before, due at the minute",
    (timezone, time, before, on, date) => {
      const target = { time, timezone };
      expect(isDue(target, at(before))).toEqual({ due: false, localDate: date });
      expect(isDue(target, at(on))).toEqual({ due: true, localDate: date });
    },
  );

  test("stays due for the rest of the local day and is not due early the next day", () => {
    const target = { time: "09:00", timezone: "Asia/Kolkata" };
    expect(isDue(target, at("2026-06-10T18:29:00Z"))).toEqual({ due: true, localDate: "2026-06-10" });
    expect(isDue(target, at("2026-06-10T18:30:00Z"))).toEqual({ due: false, localDate: "2026-06-11" });
  });

  test("throws a RangeError for settings that cannot be scheduled", () => {
    expect(() => isDue({ time: "25:00", timezone: "UTC" }, new Date())).toThrow(RangeError);
    expect(() => isDue({ time: "09:00", timezone: "Nowhere/Land" }, new Date())).toThrow(RangeError);
  });
});

describe("dueInstantOn daylight-saving change days", () => {
  test("a time inside the spring-forward gap is due when the clocks jump (03:00 local)", () => {
    expect(dueInstantOn("2026-03-08", { time: "02:30", timezone: "America/New_York" })).toEqual(
      at("2026-03-08T07:00:00Z"),
    );
    expect(dueInstantOn("2026-03-29", { time: "02:30", timezone: "Europe/Berlin" })).toEqual(
      at("2026-03-29T01:00:00Z"),
    );
  });

  test("a time that happens twice on the fall-back day is due at its first occurrence", () => {
    expect(dueInstantOn("2026-11-01", { time: "01:30", timezone: "America/New_York" })).toEqual(
      at("2026-11-01T05:30:00Z"), // 01:30 EDT; the second 01:30 (EST) is 06:30Z
    );
    expect(dueInstantOn("2026-10-25", { time: "02:30", timezone: "Europe/Berlin" })).toEqual(
      at("2026-10-25T00:30:00Z"), // 02:30 CEST; the second 02:30 (CET) is 01:30Z
    );
  });

  test("where midnight itself is skipped, an early time is due when the day begins", () => {
    // Cairo moves from 00:00 EET straight to 01:00 EEST on 2026-04-24.
    expect(dueInstantOn("2026-04-24", { time: "00:30", timezone: "Africa/Cairo" })).toEqual(
      at("2026-04-23T22:00:00Z"),
    );
  });
});

describe("nextRunAt", () => {
  test("is today's time while it is still ahead, tomorrow's once it has passed", () => {
    const target = { time: "09:00", timezone: "Europe/Berlin" };
    expect(nextRunAt(target, at("2026-06-10T06:00:00Z"))).toEqual(at("2026-06-10T07:00:00Z"));
    expect(nextRunAt(target, at("2026-06-10T07:00:00Z"))).toEqual(at("2026-06-11T07:00:00Z"));
  });

  test("keeps the local time across a DST change (09:00 stays 09:00 local)", () => {
    const newYork = { time: "09:00", timezone: "America/New_York" };
    expect(nextRunAt(newYork, at("2026-03-07T15:00:00Z"))).toEqual(at("2026-03-08T13:00:00Z"));
    const berlin = { time: "09:00", timezone: "Europe/Berlin" };
    expect(nextRunAt(berlin, at("2026-10-24T08:00:00Z"))).toEqual(at("2026-10-25T08:00:00Z"));
  });

  test("gives the gap time on spring-forward day as the jump, and never the second 01:30 on fall-back day", () => {
    const gap = { time: "02:30", timezone: "America/New_York" };
    expect(nextRunAt(gap, at("2026-03-07T12:00:00Z"))).toEqual(at("2026-03-08T07:00:00Z"));
    const overlap = { time: "01:30", timezone: "America/New_York" };
    expect(nextRunAt(overlap, at("2026-10-31T12:00:00Z"))).toEqual(at("2026-11-01T05:30:00Z"));
    // After the first 01:30, the next delivery is the next day's, not the repeated 01:30 an hour later.
    expect(nextRunAt(overlap, at("2026-11-01T05:45:00Z"))).toEqual(at("2026-11-02T06:30:00Z"));
  });
});
