import { setTimeout as pause } from "node:timers/promises";
import { isMainThread, workerData } from "node:worker_threads";

/**
 * Commands first: while the bot is answering a command, its background work (merging a refreshed
 * source, building the delta index, reading a source's body: in this thread and in its worker threads)
 * waits between two of its slices. On a small machine (2 cores) a merge running beside a command takes
 * the cores the command needs; background work paced blindly (working 1 ms, pausing as long) to leave
 * them room was slow all the time. Stepping aside only while a command runs, it runs flat out the rest of
 * the time: in bench/merge.ts merges took 1.3-1.6 s instead of 1.6-2.0 s, searches during them as fast.
 *
 * The count of commands being answered lives in shared memory: one Int32 the main thread changes and
 * every worker thread started by startTsWorker reads (handed over as workerData), with no message.
 */
const COUNT_KEY = "paperPicksCommandsRunning";

/**
 * The longest a slice of background work waits for commands before it runs anyway: under a steady
 * stream of commands a merge still moves (one slice per wait), only more slowly.
 */
export const MAX_WAIT_MS = 10;

const shared: SharedArrayBuffer =
  !isMainThread && workerData?.[COUNT_KEY] instanceof SharedArrayBuffer
    ? workerData[COUNT_KEY]
    : new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
const running = new Int32Array(shared);

/** What a worker thread needs in its workerData to see this thread's commands (see startTsWorker). */
export function commandCountData(): Record<string, SharedArrayBuffer> {
  return { [COUNT_KEY]: shared };
}

/** Marks a command as being answered until the returned function is called (once; later calls do nothing). */
export function commandStarted(): () => void {
  Atomics.add(running, 0, 1);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    Atomics.sub(running, 0, 1);
  };
}

/** Whether any command is being answered now. */
export function commandsRunning(): boolean {
  return Atomics.load(running, 0) > 0;
}

/**
 * Resolves once no command is being answered, or after `maxWaitMs`, whichever comes first; at once when
 * none is. Background work awaits it between slices.
 */
export async function afterCommands(maxWaitMs = MAX_WAIT_MS): Promise<void> {
  if (!commandsRunning()) return;
  const until = performance.now() + maxWaitMs;
  while (commandsRunning() && performance.now() < until) await pause(1);
}
