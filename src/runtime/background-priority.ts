/**
 * The nice value of the bot's worker threads (fetching sources, building the delta index). Their work
 * can wait; a command cannot. On a 2-core machine a worker at normal priority took the core a search
 * (or the store read before its reply) was waiting for: searches during a merge took up to 2-3x longer
 * (bench/merge.ts). At nice 10 the kernel runs the bot's other threads first and gives a worker the
 * rest, so the merge still finishes in about the same time when the machine is otherwise idle.
 */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's CPU priority to `nice`; never raises it (a bot started with `nice -n 15`
 * keeps its workers at 15). Linux applies a nice value to one thread when given that thread's id;
 * elsewhere there is no per-thread nice value, so it does nothing there rather than lower the whole bot.
 *
 * It is the first thing a worker runs (see startTsWorker), before tsx registers its module loader:
 * Linux threads take the nice value of the thread that creates them, so the loader's own thread, which
 * compiles every module the worker imports (~0.2 s of CPU per start), is niced too. That is why it is
 * self-contained (built-in modules through process.getBuiltinModule, no import, no other function): its
 * source runs as is in the worker's bootstrap, where no TypeScript module can be imported yet.
 */
export function lowerThreadPriority(nice: number): void {
  const { readlinkSync } = process.getBuiltinModule("node:fs");
  const { getPriority, setPriority } = process.getBuiltinModule("node:os");
  let threadId: number;
  try {
    threadId = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
  } catch {
    return; // not Linux
  }
  if (!Number.isInteger(threadId) || threadId <= 0) return;
  try {
    if (getPriority(threadId) < nice) setPriority(threadId, nice);
  } catch {
    // Raising a nice value needs no privilege; a sandbox may still refuse it, and the worker runs as is.
  }
}
