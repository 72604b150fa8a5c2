import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts a worker thread running a TypeScript module (`new URL("./x.ts", import.meta.url)`).
 *
 * The bot runs its sources with tsx, and Node 20 does not apply `--import tsx` from a worker's execArgv
 * (the worker fails with ERR_UNKNOWN_FILE_EXTENSION), so the worker starts from a two-line bootstrap that
 * registers tsx's loader in the worker and then imports the module. Both are absolute file URLs, so it
 * works whatever the current directory, under `tsx src/main.ts`, vitest and the benches alike. The
 * parent's execArgv is not inherited: the loader is registered once, by the bootstrap.
 */
export function startTsWorker(module: URL, options: Omit<WorkerOptions, "eval" | "execArgv"> = {}): Worker {
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true, execArgv: [] });
}
