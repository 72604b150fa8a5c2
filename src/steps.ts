import { setTimeout as pause } from "node:timers/promises";

/**
 * Long work written as a generator that yields wherever it may pause (between papers, between blocks of
 * an array) and returns its result. Start-up runs it straight through ({@link runSteps}); merging new
 * papers while the bot answers commands spreads it over the event loop ({@link runStepsInSlices}), so no
 * search waits behind more than one short slice of it.
 */
export type Steps<T> = Generator<void, T, undefined>;

/**
 * A slice's length. A search that becomes due mid-slice waits for the rest of it, and a command waits
 * once per hop through the event loop (a store read, the reply), so slices stay far below an idle
 * search's p95 at 100k papers (~3 ms; issue 6: search p95 during a merge <= 2 x idle). Measured with
 * bench/merge.ts: 1 ms slices gave a p95 during merges of 7.7-11 ms, 0.5 ms about 6 ms, while the
 * merge took 1.1-1.3 s instead of 0.5-1.0 s (the bar is 2 s).
 */
export const SLICE_MS = 0.5;

/**
 * A worker thread's slice (see search/delta-worker.ts and corpus/sources/source-worker.ts). Background
 * work runs in a worker so the thread that answers commands is left alone, but on a small machine (2
 * cores) a worker at full speed still slows that thread: its own garbage collection and compilation
 * take the other core, and searches during a merge took 15-60 ms at p95 instead of ~5 (bench/merge.ts).
 * Working 1 ms and pausing about as long leaves a core's worth of room; a merge takes ~20% longer.
 */
export const WORKER_SLICE_MS = 1;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Runs the steps in slices of about `sliceMs`, with a pause of about a millisecond after each: a timer,
 * not setImmediate, so the event loop waits for I/O in between and a command's store reads and replies go
 * through during the pause instead of each waiting for the next slice to end.
 */
export async function runStepsInSlices<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let sliceEnd = performance.now() + sliceMs;
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() >= sliceEnd) {
      await pause(0);
      sliceEnd = performance.now() + sliceMs;
    }
  }
}
