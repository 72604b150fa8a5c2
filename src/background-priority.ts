import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/**
 * The nice value of the bot's worker threads (fetching sources, building the delta index). Their work
 * can wait; a command cannot. On a 2-core machine a worker at normal priority took the core a search
 * (or the store read before its reply) was waiting for: searches during a merge took up to 2-3x longer
 * (bench/merge.ts). At nice 10 the kernel runs the bot's other threads first and gives a worker the
 * rest, so the merge still finishes in about the same time when the machine is otherwise idle.
 */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's CPU priority to {@link BACKGROUND_NICE}, for a worker thread's first step;
 * never raises it (a bot started with `nice -n 15` keeps its workers at 15).
 * Linux applies a nice value to one thread when given that thread's id; elsewhere there is no per-thread
 * nice value, so it does nothing there rather than lower the whole bot.
 */
export function lowerThreadPriority(): void {
  const threadId = currentThreadId();
  if (threadId === undefined) return;
  try {
    if (getPriority(threadId) < BACKGROUND_NICE) setPriority(threadId, BACKGROUND_NICE);
  } catch {
    // Raising a nice value needs no privilege; a sandbox may still refuse it, and the worker runs as is.
  }
}

/** The kernel's id of the calling thread (Linux, from /proc/thread-self), or undefined elsewhere. */
export function currentThreadId(): number | undefined {
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    return Number.isInteger(threadId) && threadId > 0 ? threadId : undefined;
  } catch {
    return undefined;
  }
}
