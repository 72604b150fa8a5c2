/**
 * What the bot's threads did with the CPU within some windows, from Linux's per-thread scheduler
 * counters (/proc/self/task/<id>/schedstat: time running, time waiting runnable for a CPU). A search that
 * is late with no garbage collection and no work of ours in its way is late because its thread, or the
 * thread doing its store read, waited for a core: these counters tell how long that was, and who ran.
 */
import { readdirSync, readFileSync } from "node:fs";

interface ThreadTimes {
  readonly runMs: number;
  readonly waitMs: number;
  /** The nice value: the workers run niced (see src/background-priority.ts). */
  readonly nice: number;
}

function snapshot(): Map<number, ThreadTimes> {
  const threads = new Map<number, ThreadTimes>();
  let ids: string[];
  try {
    ids = readdirSync("/proc/self/task");
  } catch {
    return threads; // not Linux
  }
  for (const id of ids) {
    try {
      const [run, wait] = readFileSync(`/proc/self/task/${id}/schedstat`, "utf8").split(" ").map(Number);
      const stat = readFileSync(`/proc/self/task/${id}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      threads.set(Number(id), { runMs: (run ?? 0) / 1e6, waitMs: (wait ?? 0) / 1e6, nice: Number(stat[16]) });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/** Sums each thread's running and waiting time over the windows passed to `measure`. */
export class ThreadCpu {
  readonly #totals = new Map<number, ThreadTimes>();

  /** Runs `work`, adding what each thread did meanwhile to the totals. */
  async measure<T>(work: () => Promise<T>): Promise<T> {
    const before = snapshot();
    try {
      return await work();
    } finally {
      for (const [id, after] of snapshot()) {
        const start = before.get(id) ?? { runMs: 0, waitMs: 0, nice: after.nice };
        const total = this.#totals.get(id) ?? { runMs: 0, waitMs: 0, nice: after.nice };
        this.#totals.set(id, {
          runMs: total.runMs + after.runMs - start.runMs,
          waitMs: total.waitMs + after.waitMs - start.waitMs,
          nice: after.nice,
        });
      }
    }
  }

  /**
   * One line: the main thread, the worker threads (niced), and the process's other threads at normal
   * priority (V8's compiler and garbage-collector helper, libuv's pool that runs the store's reads,
   * tsx's loader), each as "ran X ms, waited Y ms for a core".
   */
  summary(): string {
    if (this.#totals.size === 0) return "no per-thread scheduler counters here (Linux only)";
    const groups = { main: sum(), workers: sum(), others: sum() };
    for (const [id, times] of this.#totals) {
      const group = id === process.pid ? groups.main : times.nice > 0 ? groups.workers : groups.others;
      group.add(times);
    }
    const busiest = [...this.#totals]
      .filter(([id, times]) => id !== process.pid && times.nice <= 0)
      .sort(([, a], [, b]) => b.runMs - a.runMs)[0];
    return [
      `main thread ${groups.main}`,
      `worker threads ${groups.workers}`,
      `the process's other threads ${groups.others}${busiest === undefined ? "" : ` (the busiest ran ${busiest[1].runMs.toFixed(0)} ms)`}`,
    ].join("; ");
  }
}

function sum() {
  let runMs = 0;
  let waitMs = 0;
  return {
    add(times: ThreadTimes) {
      runMs += times.runMs;
      waitMs += times.waitMs;
    },
    toString: () => `ran ${runMs.toFixed(0)} ms, waited ${waitMs.toFixed(0)} ms for a core`,
  };
}
