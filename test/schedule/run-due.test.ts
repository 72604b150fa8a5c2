import { afterEach, describe, expect, test } from "vitest";
import { DigestScheduler, type SchedulerDeps } from "../../src/schedule/digest-scheduler.ts";
import { memoryTargets, quarterHours, type SentDigest, target } from "./memory-targets.ts";

const running: DigestScheduler[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((scheduler) => scheduler.stop()));
});

function scheduler(deps: SchedulerDeps): DigestScheduler {
  const created = new DigestScheduler(deps);
  running.push(created);
  return created;
}

/** Calls runDue every quarter hour from `fromIso` to `toIso`, as the sweep job would. */
async function sweep(
  mem: ReturnType<typeof memoryTargets>,
  digests: DigestScheduler,
  fromIso: string,
  toIso: string,
): Promise<void> {
  for (const instant of quarterHours(fromIso, toIso)) {
    mem.clock.now = instant;
    await digests.runDue(instant);
  }
}

/** "2026-03-08" shifted by whole calendar days. */
function shiftDate(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

function datesOf(sent: readonly SentDigest[], key: string): string[] {
  return sent.filter((digest) => digest.key === key).map((digest) => digest.localDate);
}

describe("due targets across time zones", () => {
  test("one instant delivers exactly the targets whose local time has come, each for its own local date", async () => {
    const mem = memoryTargets([
      target("slack:utc", "09:00", "UTC"),
      target("discord:berlin", "09:00", "Europe/Berlin"),
      target("discord:kolkata", "09:00", "Asia/Kolkata"),
      target("slack:auckland", "09:00", "Pacific/Auckland"),
      target("slack:auckland-late", "09:01", "Pacific/Auckland"),
    ]);
    mem.clock.now = new Date("2026-01-14T20:00:00Z");
    const report = await scheduler(mem.deps).runDue(mem.clock.now);

    expect(report.delivered.toSorted()).toEqual(["discord:berlin", "slack:auckland", "slack:utc"]);
    expect(mem.sent.map(({ key, localDate }) => `${key} ${localDate}`).toSorted()).toEqual([
      "discord:berlin 2026-01-14",
      "slack:auckland 2026-01-15", // already the 15th in Auckland
      "slack:utc 2026-01-14",
    ]);
    // Kolkata is not there: it is 01:30 on the 15th there, and its 09:00 has not come yet.
  });
});

describe("daylight-saving change days, runDue every 15 minutes", () => {
  const cases = [
    // zone, time, first sweep, last sweep (exclusive), change day, the one instant it is delivered that day
    [
      "America/New_York",
      "02:30",
      "2026-03-07T05:00:00Z",
      "2026-03-10T04:00:00Z",
      "2026-03-08",
      "2026-03-08T07:00:00Z",
    ],
    [
      "America/New_York",
      "02:00",
      "2026-03-07T05:00:00Z",
      "2026-03-10T04:00:00Z",
      "2026-03-08",
      "2026-03-08T07:00:00Z",
    ],
    [
      "America/New_York",
      "01:30",
      "2026-10-31T04:00:00Z",
      "2026-11-03T05:00:00Z",
      "2026-11-01",
      "2026-11-01T05:30:00Z",
    ],
    [
      "America/New_York",
      "01:00",
      "2026-10-31T04:00:00Z",
      "2026-11-03T05:00:00Z",
      "2026-11-01",
      "2026-11-01T05:00:00Z",
    ],
    [
      "Europe/Berlin",
      "02:30",
      "2026-03-27T23:00:00Z",
      "2026-03-30T22:00:00Z",
      "2026-03-29",
      "2026-03-29T01:00:00Z",
    ],
    [
      "Europe/Berlin",
      "02:30",
      "2026-10-23T22:00:00Z",
      "2026-10-26T23:00:00Z",
      "2026-10-25",
      "2026-10-25T00:30:00Z",
    ],
    [
      "Europe/Berlin",
      "02:00",
      "2026-10-23T22:00:00Z",
      "2026-10-26T23:00:00Z",
      "2026-10-25",
      "2026-10-25T00:00:00Z",
    ],
  ] as const;

  test.each(cases)(
    "%s %s around %s: exactly one digest per local date",
    async (zone, time, from, to, day, when) => {
      const mem = memoryTargets([target("discord:dst", time, zone)]);
      await sweep(mem, scheduler(mem.deps), from, to);

      expect(datesOf(mem.sent, "discord:dst")).toEqual([shiftDate(day, -1), day, shiftDate(day, 1)]);
      expect(mem.sent.find((digest) => digest.localDate === day)?.at).toBe(new Date(when).toISOString());
    },
  );
});

describe("catch-up after downtime", () => {
  test("down at the configured time, back later the same day: one digest at start, none after", async () => {
    const mem = memoryTargets([target("discord:berlin", "09:00", "Europe/Berlin")]);
    mem.clock.now = new Date("2026-06-10T12:20:00Z"); // 14:20 in Berlin
    const digests = scheduler(mem.deps);

    const caughtUp = await digests.start();
    expect(caughtUp.delivered).toEqual(["discord:berlin"]);
    await sweep(mem, digests, "2026-06-10T12:30:00Z", "2026-06-10T22:00:00Z");

    expect(mem.sent).toEqual([
      { key: "discord:berlin", localDate: "2026-06-10", at: "2026-06-10T12:20:00.000Z" },
    ]);
  });

  test("back the next morning before the time: yesterday is not made up, today's comes at its time", async () => {
    const mem = memoryTargets([target("discord:berlin", "09:00", "Europe/Berlin")]);
    mem.clock.now = new Date("2026-06-11T05:00:00Z"); // 07:00 in Berlin on the 11th; the 10th was missed
    const digests = scheduler(mem.deps);

    const caughtUp = await digests.start();
    expect(caughtUp.delivered).toEqual([]);
    await sweep(mem, digests, "2026-06-11T05:15:00Z", "2026-06-11T22:00:00Z");

    expect(mem.sent).toEqual([
      { key: "discord:berlin", localDate: "2026-06-11", at: "2026-06-11T07:00:00.000Z" },
    ]);
  });

  test("back the next day after the time: one digest, today's, not a second one for yesterday", async () => {
    const mem = memoryTargets([target("slack:kolkata", "09:00", "Asia/Kolkata")]);
    mem.clock.now = new Date("2026-06-11T08:00:00Z"); // 13:30 in Kolkata on the 11th
    const digests = scheduler(mem.deps);

    await digests.start();
    await sweep(mem, digests, "2026-06-11T08:15:00Z", "2026-06-11T18:30:00Z");

    expect(datesOf(mem.sent, "slack:kolkata")).toEqual(["2026-06-11"]);
  });
});

describe("a target set up or rescheduled during the day", () => {
  test("set up after today's time has passed: the first digest is tomorrow's, at its time", async () => {
    const since = new Date("2026-06-10T10:00:00Z"); // 12:00 in Berlin, three hours after 09:00
    const mem = memoryTargets([{ ...target("discord:berlin", "09:00", "Europe/Berlin"), since }]);
    mem.clock.now = since;
    const digests = scheduler(mem.deps);

    expect((await digests.start()).delivered).toEqual([]);
    await sweep(mem, digests, "2026-06-10T10:15:00Z", "2026-06-11T12:00:00Z");

    expect(mem.sent).toEqual([
      { key: "discord:berlin", localDate: "2026-06-11", at: "2026-06-11T07:00:00.000Z" },
    ]);
  });

  test("set up before today's time: today's digest comes at its time", async () => {
    const since = new Date("2026-06-10T05:00:00Z"); // 07:00 in Berlin
    const mem = memoryTargets([{ ...target("discord:berlin", "09:00", "Europe/Berlin"), since }]);
    mem.clock.now = since;
    const digests = scheduler(mem.deps);
    await digests.start();
    await sweep(mem, digests, "2026-06-10T05:15:00Z", "2026-06-10T12:00:00Z");

    expect(datesOf(mem.sent, "discord:berlin")).toEqual(["2026-06-10"]);
  });
});

describe("targets that must not or cannot be delivered", () => {
  test("paused targets are skipped; once resumed the same day they get that day's digest", async () => {
    const mem = memoryTargets([
      target("discord:on", "09:00", "UTC"),
      target("discord:off", "09:00", "UTC", true),
    ]);
    const digests = scheduler(mem.deps);
    const report = await digests.runDue(new Date("2026-06-10T09:00:00Z"));

    expect(report.delivered).toEqual(["discord:on"]);
    expect(report.skipped).toEqual([{ key: "discord:off", reason: "paused" }]);

    mem.targets[1] = target("discord:off", "09:00", "UTC", false);
    const resumed = await digests.runDue(new Date("2026-06-10T11:00:00Z"));
    expect(resumed.delivered).toEqual(["discord:off"]);
    expect(mem.sent.map((digest) => digest.key)).toEqual(["discord:on", "discord:off"]);
  });

  test("a time or zone that cannot be scheduled is reported, and the other targets still go out", async () => {
    const mem = memoryTargets([
      target("discord:bad-time", "25:00", "UTC"),
      target("discord:bad-zone", "09:00", "Mars/Olympus_Mons"),
      target("discord:good", "09:00", "UTC"),
    ]);
    const report = await scheduler(mem.deps).runDue(new Date("2026-06-10T09:30:00Z"));

    expect(report.delivered).toEqual(["discord:good"]);
    expect(report.skipped.toSorted((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: "discord:bad-time", reason: "invalid-schedule" },
      { key: "discord:bad-zone", reason: "invalid-schedule" },
    ]);
  });

  test("a target whose delivery throws does not stop the others, and is retried by the next run", async () => {
    const mem = memoryTargets([
      target("slack:a", "09:00", "UTC"),
      target("slack:broken", "09:00", "UTC"),
      target("slack:c", "09:00", "UTC"),
    ]);
    let brokenWorks = false;
    const digests = scheduler({
      ...mem.deps,
      deliver: async (key, localDate) => {
        if (key === "slack:broken" && !brokenWorks) throw new Error("channel_not_found");
        await mem.deps.deliver(key, localDate);
      },
    });

    const first = await digests.runDue(new Date("2026-06-10T09:00:00Z"));
    expect(first.delivered.toSorted()).toEqual(["slack:a", "slack:c"]);
    expect(first.failed).toEqual([
      { key: "slack:broken", localDate: "2026-06-10", error: "channel_not_found" },
    ]);

    brokenWorks = true;
    const second = await digests.runDue(new Date("2026-06-10T09:15:00Z"));
    expect(second.delivered).toEqual(["slack:broken"]);
    expect(mem.sent.map((digest) => digest.key).toSorted()).toEqual(["slack:a", "slack:broken", "slack:c"]);
  });

  test("when the ledger cannot be read, the target is reported as failed and not sent blindly", async () => {
    const mem = memoryTargets([target("slack:a", "09:00", "UTC"), target("slack:b", "09:00", "UTC")]);
    const report = await scheduler({
      ...mem.deps,
      hasDelivered: async (key, localDate) => {
        if (key === "slack:a") throw new Error("ledger timeout");
        return mem.deps.hasDelivered(key, localDate);
      },
    }).runDue(new Date("2026-06-10T10:00:00Z"));

    expect(report.failed).toEqual([{ key: "slack:a", localDate: "2026-06-10", error: "ledger timeout" }]);
    expect(mem.sent.map((digest) => digest.key)).toEqual(["slack:b"]);
  });
});

describe("never two digests, and bounded work", () => {
  test("overlapping runs (a cron tick and a catch-up) deliver a target once", async () => {
    const mem = memoryTargets([target("discord:one", "09:00", "UTC")]);
    let openGate = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const digests = scheduler({
      ...mem.deps,
      deliver: async (key, localDate) => {
        await gate; // the first run is still sending when the others start
        await mem.deps.deliver(key, localDate);
      },
    });

    const instant = new Date("2026-06-10T09:00:00Z");
    const runs = [digests.runDue(instant), digests.runDue(instant), digests.runDue(instant)];
    await new Promise((resolve) => setImmediate(resolve));
    openGate();
    const reports = await Promise.all(runs);

    expect(mem.sent).toHaveLength(1);
    expect(reports.flatMap((report) => report.delivered)).toEqual(["discord:one"]);
    expect(reports.flatMap((report) => report.skipped)).toEqual([
      { key: "discord:one", reason: "in-flight" },
      { key: "discord:one", reason: "in-flight" },
    ]);
    const later = await digests.runDue(new Date("2026-06-10T09:15:00Z"));
    expect(later.skipped).toEqual([{ key: "discord:one", reason: "already-delivered" }]);
  });

  test("each platform's deliveries go at most `concurrency` at a time, and all of them go", async () => {
    const keys = Array.from({ length: 10 }, (_, index) => [`slack:c${index}`, `discord:${index}`]).flat();
    const mem = memoryTargets(keys.map((key) => target(key, "09:00", "UTC")));
    const active = new Map<string, number>();
    const mostAtOnce = new Map<string, number>();
    const report = await scheduler({
      ...mem.deps,
      concurrency: 4,
      deliver: async (key, localDate) => {
        const platform = key.split(":")[0] as string;
        active.set(platform, (active.get(platform) ?? 0) + 1);
        mostAtOnce.set(platform, Math.max(mostAtOnce.get(platform) ?? 0, active.get(platform) ?? 0));
        await new Promise((resolve) => setImmediate(resolve));
        await mem.deps.deliver(key, localDate);
        active.set(platform, (active.get(platform) ?? 0) - 1);
      },
    }).runDue(new Date("2026-06-10T09:00:00Z"));

    expect(report.delivered.toSorted()).toEqual(keys.toSorted());
    expect(Object.fromEntries(mostAtOnce)).toEqual({ slack: 4, discord: 4 });
  });

  test("a platform whose sends hang does not hold up the other platform's digests", async () => {
    const slack = Array.from({ length: 6 }, (_, index) => `slack:c${index}`);
    const discord = Array.from({ length: 6 }, (_, index) => `discord:${index}`);
    const mem = memoryTargets([...slack, ...discord].map((key) => target(key, "09:00", "UTC")));
    let openGate = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const run = scheduler({
      ...mem.deps,
      concurrency: 2,
      deliver: async (key, localDate) => {
        if (key.startsWith("slack:")) await gate;
        await mem.deps.deliver(key, localDate);
      },
    }).runDue(new Date("2026-06-10T09:00:00Z"));

    // Every Discord digest goes out while Slack is still stuck on its first two.
    while (mem.sent.length < discord.length) await new Promise((resolve) => setImmediate(resolve));
    expect(mem.sent.map((sent) => sent.key).toSorted()).toEqual(discord.toSorted());
    openGate();
    expect((await run).delivered.toSorted()).toEqual([...slack, ...discord].toSorted());
  });
});

describe("weekly targets", () => {
  test("a Sunday 02:30 New York target across the spring-forward Sunday: that day at the jump, then a week later", async () => {
    const mem = memoryTargets([{ ...target("slack:user:U1", "02:30", "America/New_York"), weekday: "sun" }]);
    const digests = scheduler(mem.deps);
    await sweep(mem, digests, "2026-03-06T05:00:00Z", "2026-03-16T05:00:00Z");
    expect(mem.sent.map(({ localDate, at }) => `${localDate} ${at}`)).toEqual([
      // 02:30 does not exist on 2026-03-08: it goes at 03:00 local, 07:00 UTC.
      "2026-03-08 2026-03-08T07:00:00.000Z",
      "2026-03-15 2026-03-15T06:30:00.000Z",
    ]);
  });

  test("a Monday 09:00 Berlin target is not due on the other days of the week", async () => {
    const mem = memoryTargets([{ ...target("discord:user:7", "09:00", "Europe/Berlin"), weekday: "mon" }]);
    await sweep(mem, scheduler(mem.deps), "2026-10-20T00:00:00Z", "2026-10-28T00:00:00Z");
    expect(datesOf(mem.sent, "discord:user:7")).toEqual(["2026-10-26"]);
  });
});
