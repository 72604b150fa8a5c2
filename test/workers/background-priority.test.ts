import { once } from "node:events";
import { existsSync } from "node:fs";
import { getPriority } from "node:os";
import { describe, expect, it } from "vitest";
import { BACKGROUND_NICE } from "../../src/background-priority.ts";
import { startTsWorker } from "../../src/ts-worker.ts";

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
});
