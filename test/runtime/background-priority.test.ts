import { once } from "node:events";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { describe, expect, it } from "vitest";
import { BACKGROUND_NICE } from "../../src/runtime/background-priority.ts";
import { startTsWorker } from "../../src/runtime/ts-worker.ts";

/** This process's threads (Linux ids). */
const threadIds = (): string[] => readdirSync("/proc/self/task");

/** A thread's nice value, read from /proc (field 19 of its stat line), or undefined once it has ended. */
function niceOf(threadId: string): number | undefined {
  try {
    const fields = readFileSync(`/proc/self/task/${threadId}/stat`, "utf8").split(") ")[1]?.split(" ");
    return Number(fields?.[16]);
  } catch {
    return undefined;
  }
}

// Per-thread nice values are a Linux feature (the bot does nothing elsewhere); CI runs on Linux.
describe.runIf(existsSync("/proc/thread-self"))("worker threads run at a lower CPU priority", () => {
  it("a worker started by startTsWorker runs niced, and the thread answering commands does not", async () => {
    const before = getPriority(process.pid);
    const worker = startTsWorker(new URL("./report-priority.ts", import.meta.url));
    try {
      const [report] = (await once(worker, "message")) as [{ threadId: number; nice: number }];
      expect(report.threadId).not.toBe(process.pid);
      expect(report.nice).toBe(Math.max(before, BACKGROUND_NICE));
      expect(getPriority(process.pid)).toBe(before);
    } finally {
      await worker.terminate();
    }
  });

  it("so do the threads the worker starts, such as the module loader that compiles its TypeScript", async () => {
    const existing = new Set(threadIds());
    const worker = startTsWorker(new URL("./report-priority.ts", import.meta.url));
    try {
      const [report] = (await once(worker, "message")) as [{ threadId: number }];
      const started = threadIds().filter((id) => !existing.has(id));
      // The worker itself, and tsx's loader thread, which it started before importing the module.
      expect(started).toContain(String(report.threadId));
      expect(started.length).toBeGreaterThanOrEqual(2);
      const floor = Math.max(getPriority(process.pid), BACKGROUND_NICE);
      for (const id of started) expect(niceOf(id) ?? floor).toBeGreaterThanOrEqual(floor);
    } finally {
      await worker.terminate();
    }
  });
});
