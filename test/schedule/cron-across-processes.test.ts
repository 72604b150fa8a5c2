import { afterEach, describe, expect, test, vi } from "vitest";
import { TickCoordinator } from "../../src/schedule/claim-coordinator.ts";
import { DigestScheduler, type SchedulerDeps } from "../../src/schedule/digest-scheduler.ts";
import { backends, useBackendStores } from "../store/backends.ts";
import { memoryTargets, target } from "./memory-targets.ts";

const running: DigestScheduler[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((scheduler) => scheduler.stop()));
  vi.useRealTimers();
});

/** Only the timers node-cron runs on and the clock: store drivers keep their real I/O callbacks. */
function fakeClockAt(iso: string): void {
  vi.useFakeTimers({
    now: new Date(iso),
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
}

function startScheduler(deps: SchedulerDeps): DigestScheduler {
  const scheduler = new DigestScheduler({ ...deps, sweepSchedule: "0 0 1 1 *" });
  running.push(scheduler);
  return scheduler;
}

/** Minute by minute, letting both processes finish each tick (elections go to the real store). */
async function advanceMinutes(minutes: number, processes: readonly DigestScheduler[]): Promise<void> {
  for (let minute = 0; minute < minutes; minute += 1) {
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(processes.map((scheduler) => scheduler.idle()));
  }
}

describe.each(backends)("two processes on one $name store", (backend) => {
  const stores = useBackendStores(backend);

  test.skipIf(backend.url === undefined)(
    "each cron tick runs in only one of them, day after day",
    async () => {
      const [storeA, storeB] = [await stores.open(), await stores.open()];
      fakeClockAt("2026-06-10T06:58:00Z"); // 08:58 in Berlin
      // Each process with a ledger of its own: only the election keeps the second one from sending.
      const processA = memoryTargets([target("discord:berlin", "09:00", "Europe/Berlin")]);
      const processB = memoryTargets([target("discord:berlin", "09:00", "Europe/Berlin")]);
      const schedulers = [
        startScheduler({ ...processA.deps, coordinator: new TickCoordinator(storeA.claims) }),
        startScheduler({ ...processB.deps, coordinator: new TickCoordinator(storeB.claims) }),
      ];
      for (const scheduler of schedulers) expect((await scheduler.start()).delivered).toEqual([]);

      await advanceMinutes(4, schedulers);
      await vi.advanceTimersByTimeAsync((23 * 60 + 55) * 60_000); // to 08:57 the next day
      await advanceMinutes(4, schedulers);

      const sent = [...processA.sent, ...processB.sent].map(({ localDate, at }) => `${localDate} ${at}`);
      expect(sent.toSorted()).toEqual([
        "2026-06-10 2026-06-10T07:00:00.000Z",
        "2026-06-11 2026-06-11T07:00:00.000Z",
      ]);
    },
  );
});

test("without a coordinator each process runs every tick, as a lone process must", async () => {
  fakeClockAt("2026-06-10T06:58:00Z");
  const processA = memoryTargets([target("discord:berlin", "09:00", "Europe/Berlin")]);
  const processB = memoryTargets([target("discord:berlin", "09:00", "Europe/Berlin")]);
  const schedulers = [startScheduler(processA.deps), startScheduler(processB.deps)];
  for (const scheduler of schedulers) await scheduler.start();

  await advanceMinutes(4, schedulers);

  expect([...processA.sent, ...processB.sent].map(({ at }) => at)).toEqual([
    "2026-06-10T07:00:00.000Z",
    "2026-06-10T07:00:00.000Z",
  ]);
});
