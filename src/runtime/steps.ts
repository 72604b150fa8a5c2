import { setTimeout as pause } from "node:timers/promises";
import { isMainThread } from "node:worker_threads";
import { afterCommands, commandsRunning, MAX_WAIT_MS } from "./commands-first.ts";

/**
 * Long work written as a generator that yields wherever it may pause (between papers, between blocks of
 * an array) and returns its result. Start-up runs it straight through ({@link runSteps}); merging new
 * papers while the bot answers commands spreads it over the event loop ({@link runStepsInSlices}), so no
 * search waits behind more than one short slice of it.
 */
export type Steps<T> = Generator<void, T, undefined>;

/**
 * A slice's length on the main thread. A search that becomes due mid-slice waits for the rest of it (and
 * from then on the merge waits for the search: see commands-first.ts), so slices stay far below an idle
 * search's p95 at 100k papers (~3 ms), for bench/merge.ts's bar: search p95 during a merge <= 2 x idle.
 * Measured with bench/merge.ts: 1 ms slices gave a p95 during merges of 7.7-11 ms, 0.5 ms about 6 ms, while the
 * merge took 1.1-1.3 s instead of 0.5-1.0 s (the bar is 2 s).
 */
export const SLICE_MS = 0.5;

/**
 * A worker thread's slice (see search/delta-worker.ts and corpus/sources/source-worker.ts): a command
 * that starts mid-slice shares the cores with the worker for at most this long, then the worker waits
 * for it (see pauseBetweenSlices). Background work runs in a worker so the thread that answers commands
 * is left alone, but on a small machine (2 cores) a worker running beside a command still slows it: its
 * garbage collection and compilation take the other core (searches during a merge took 15-60 ms at p95
 * instead of ~5 when workers ran flat out, bench/merge.ts).
 */
export const WORKER_SLICE_MS = 1;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs the steps in slices of about `sliceMs`, with {@link pauseBetweenSlices} after each. */
export async function runStepsInSlices<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let sliceEnd = performance.now() + sliceMs;
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() >= sliceEnd) {
      await pauseBetweenSlices();
      sliceEnd = performance.now() + sliceMs;
    }
  }
}

/**
 * The pause between two slices of background work: one turn of the event loop, then, while a command is
 * being answered, until it is (see commands-first.ts). In a worker thread the turn is setImmediate: the
 * worker runs at full speed while no command waits (it used to pause as long as it worked, which made
 * merges ~20% longer and still left commands sharing the cores with it). On the main thread, a timer of
 * about a millisecond, not setImmediate: the event loop waits for I/O in between, so a new command gets
 * in at once, and the merge's allocations (hence its garbage collection) stay spread out: back-to-back
 * main-thread slices made merges ~25% shorter but searches during them ~15% slower at p95 (bench/merge.ts).
 */
export async function pauseBetweenSlices(maxWaitMs = MAX_WAIT_MS): Promise<void> {
  if (isMainThread) await pause(0);
  else if (!commandsRunning()) await new Promise((resolve) => setImmediate(resolve));
  await afterCommands(maxWaitMs);
}
