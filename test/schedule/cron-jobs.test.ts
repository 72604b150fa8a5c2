import { getTasks } from "node-cron";
import { afterEach, describe, expect, test, vi } from "vitest";
import { DigestScheduler } from "../../src/schedule/digest-scheduler.ts";
import { nextRunAt } from "../../src/schedule/local-time.ts";
import { memoryTargets, target } from "./memory-targets.ts";

const running: DigestScheduler[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((scheduler) => scheduler.stop()));
  vi.useRealTimers();
});

function scheduler(deps: ConstructorParameters<typeof DigestScheduler>[0]): DigestScheduler {
  const created = new DigestScheduler(deps);
  running.push(created);
  return created;
}

/** Lets the fake clock run minute by minute, so every node-cron heartbeat and run in between happens. */
async function advanceHours(hours: number): Promise<void> {
  for (let minute = 0; minute < hours * 60; minute += 1) await vi.advanceTimersByTimeAsync(60_000);
}

function sentAs(sent: readonly { key: string; localDate: string; at: string }[]): string[] {
  return sent.map(({ key, localDate, at }) => `${key} ${localDate} ${at}`);
}

// Real node-cron jobs on a fake clock: this is what the bot does across the two DST days.
describe("node-cron jobs through daylight-saving change days", () => {
  test("spring forward in New York: the 02:30 digest goes out once at 03:00, a 09:07 one on the minute", async () => {
    vi.useFakeTimers({ now: new Date("2026-03-07T12:00:00Z") }); // 07:00 EST, Saturday
    const mem = memoryTargets([
      target("discord:gap", "02:30", "America/New_York"),
      target("discord:nine", "09:07", "America/New_York"),
    ]);
    await scheduler(mem.deps).start();
    await advanceHours(48);

    expect(sentAs(mem.sent)).toEqual([
      "discord:gap 2026-03-07 2026-03-07T12:00:00.000Z", // catch-up at start
      "discord:nine 2026-03-07 2026-03-07T14:07:00.000Z", // 09:07 EST
      "discord:gap 2026-03-08 2026-03-08T07:00:00.000Z", // 03:00 EDT: the clocks jumped over 02:30
      "discord:nine 2026-03-08 2026-03-08T13:07:00.000Z", // 09:07 EDT
      "discord:gap 2026-03-09 2026-03-09T06:30:00.000Z", // 02:30 EDT
    ]);
  });

  test("fall back in New York: the 01:30 digest goes out once, at the first 01:30", async () => {
    vi.useFakeTimers({ now: new Date("2026-10-31T04:00:00Z") }); // 00:00 EDT
    const mem = memoryTargets([target("slack:overlap", "01:30", "America/New_York")]);
    await scheduler(mem.deps).start();
    await advanceHours(54);

    expect(sentAs(mem.sent)).toEqual([
      "slack:overlap 2026-10-31 2026-10-31T05:30:00.000Z",
      "slack:overlap 2026-11-01 2026-11-01T05:30:00.000Z", // 01:30 EDT; 01:30 EST (06:30Z) brings nothing
      "slack:overlap 2026-11-02 2026-11-02T06:30:00.000Z",
    ]);
  });
});

describe("suspend and resume", () => {
  test("a digest whose time passed while the machine slept goes out when the job wakes up", async () => {
    vi.useFakeTimers({ now: new Date("2026-06-10T06:50:00Z") }); // 08:50 in Berlin
    const mem = memoryTargets([target("discord:berlin", "09:00", "Europe/Berlin")]);
    // A sweep that never comes, so the delivery can only come from the 09:00 job.
    await scheduler({ ...mem.deps, sweepSchedule: "0 0 1 1 *" }).start();

    // The wall clock jumps 1h40 while timers stand still, as on a suspended laptop; the 09:00
    // job's timer then fires 10 minutes of awake time later, long after its moment.
    vi.setSystemTime(new Date("2026-06-10T08:30:00Z"));
    await vi.advanceTimersByTimeAsync(11 * 60_000);

    expect(sentAs(mem.sent)).toEqual(["discord:berlin 2026-06-10 2026-06-10T08:40:00.000Z"]);
  });
});

describe("refresh", () => {
  test("keeps one job per time and zone in use, and a changed time takes effect that day", async () => {
    vi.useFakeTimers({ now: new Date("2026-06-10T10:00:00Z") }); // 12:00 Berlin, 15:30 Kolkata
    const mem = memoryTargets([
      target("discord:a", "09:00", "Europe/Berlin"),
      target("slack:b", "9:00", "Europe/Berlin"),
      target("discord:c", "18:37", "Asia/Kolkata"),
      target("slack:paused", "07:00", "UTC", true),
    ]);
    const digests = scheduler(mem.deps);
    await digests.start();

    const slots = digests.slots().map(({ time, timezone }) => `${time} ${timezone}`);
    expect(slots.toSorted()).toEqual(["09:00 Europe/Berlin", "18:37 Asia/Kolkata"]);
    // node-cron and our own DST-aware arithmetic agree on when the Berlin job fires next.
    const berlin = digests.slots().find((slot) => slot.timezone === "Europe/Berlin");
    expect(berlin?.nextRun).toEqual(nextRunAt({ time: "09:00", timezone: "Europe/Berlin" }, new Date()));

    mem.targets[2] = target("discord:c", "19:07", "Asia/Kolkata");
    await digests.refresh();
    expect(digests.slots().map(({ time, timezone }) => `${time} ${timezone}`)).toEqual([
      "09:00 Europe/Berlin",
      "19:07 Asia/Kolkata",
    ]);

    await advanceHours(4);
    expect(sentAs(mem.sent.filter((digest) => digest.key === "discord:c"))).toEqual([
      "discord:c 2026-06-10 2026-06-10T13:37:00.000Z", // 19:07 in Kolkata, not 18:37
    ]);

    mem.targets.splice(0, 2);
    await digests.refresh();
    expect(digests.slots().map(({ time }) => time)).toEqual(["19:07"]);
  });
});

describe("sweep", () => {
  test("a target added without a refresh() still gets its own job at the next sweep", async () => {
    vi.useFakeTimers({ now: new Date("2026-06-10T10:05:00Z") });
    const mem = memoryTargets([target("discord:a", "09:00", "Europe/Berlin")]);
    const digests = scheduler(mem.deps);
    await digests.start();

    mem.targets.push(target("slack:new", "21:10", "America/Sao_Paulo"));
    await vi.advanceTimersByTimeAsync(10 * 60_000 + 1_000); // past the 10:15 sweep

    expect(digests.slots().map(({ time, timezone }) => `${time} ${timezone}`)).toEqual([
      "09:00 Europe/Berlin",
      "21:10 America/Sao_Paulo",
    ]);
  });
});

describe("real node-cron wiring", () => {
  test("a job fires on the real clock and delivers, and after stop() nothing runs and no timer is left", async () => {
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    const tasksBefore = getTasks().size;
    // Paused at start, so the catch-up sends nothing and the delivery can only come from the cron job.
    const mem = memoryTargets([target("console", "00:00", "UTC", true)]);
    let listings = 0;
    let firstDelivery = (): void => undefined;
    const delivered = new Promise<void>((resolve) => {
      firstDelivery = resolve;
    });
    const digests = scheduler({
      ...mem.deps,
      sweepSchedule: "* * * * * *", // every second
      listTargets: async () => {
        listings += 1;
        return mem.deps.listTargets();
      },
      deliver: async (key, localDate) => {
        await mem.deps.deliver(key, localDate);
        firstDelivery();
      },
    });

    const caughtUp = await digests.start();
    expect(caughtUp.delivered).toEqual([]);
    mem.targets[0] = target("console", "00:00", "UTC", false);
    let giveUp: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      giveUp = setTimeout(() => resolve("timeout"), 5_000);
    });
    expect(await Promise.race([delivered, timeout])).toBeUndefined();
    clearTimeout(giveUp);
    expect(mem.sent.map((digest) => digest.key)).toEqual(["console"]);

    await digests.stop();
    const listingsAtStop = listings;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(listings).toBe(listingsAtStop);
    expect(getTasks().size).toBe(tasksBefore);
    // No more timers than before the scheduler existed (other suites may have left fewer or more behind).
    const timersAfter = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    expect(timersAfter).toBeLessThanOrEqual(timersBefore);
  });
});
