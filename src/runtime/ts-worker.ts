import { Worker, type WorkerOptions } from "node:worker_threads";
import { BACKGROUND_NICE, lowerThreadPriority } from "./background-priority.ts";
import { commandCountData } from "./commands-first.ts";

/**
 * Starts a worker thread running a TypeScript module (`new URL("../x.ts", import.meta.url)`).
 *
 * The bot runs its sources with tsx, and Node 20 does not apply `--import tsx` from a worker's execArgv
 * (the worker fails with ERR_UNKNOWN_FILE_EXTENSION), so the worker starts from a two-line bootstrap that
 * registers tsx's loader in the worker and then imports the module. Both are absolute file URLs, so it
 * works whatever the current directory, under `tsx src/main.ts`, vitest and the benches alike. The
 * parent's execArgv is not inherited: the loader is registered once, by the bootstrap.
 *
 * Every worker started here does background work, so the bootstrap first lowers the thread's CPU
 * priority (see background-priority.ts), before tsx starts its loader thread, which takes the nice
 * value of the thread that creates it: the thread that answers commands comes first.
 */
export function startTsWorker(module: URL, options: Omit<WorkerOptions, "eval" | "execArgv"> = {}): Worker {
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `(${lowerThreadPriority.toString()})(${BACKGROUND_NICE}); import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, {
    ...options,
    // The workers' slices wait while a command is being answered (see commands-first.ts).
    workerData: { ...(options.workerData as object | undefined), ...commandCountData() },
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, ...options.resourceLimits },
    eval: true,
    execArgv: [],
  });
}

/**
 * The bot's worker threads do work now and then (an hourly refresh) and step aside for commands
 * (WORKER_SLICE_MS), so they trade speed for memory: a young generation of 4 MB instead of V8's
 * default 16-32 MB took ~50 MB off the bot's RSS during merges at 100k papers, and they end after
 * WORKER_IDLE_MS without work.
 */
const YOUNG_GENERATION_MB = 4;

/** A worker thread with nothing to do for this long ends (see IdleTimeout); the next request starts one. */
export const WORKER_IDLE_MS = 60_000;
