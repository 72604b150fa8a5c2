import { parentPort } from "node:worker_threads";
import "../../../src/corpus/sources/source-worker.ts";
import type { ToWorker } from "../../../src/corpus/sources/source-worker-messages.ts";

// The source worker, except that a request for a URL ending in /die kills its thread: a worker that dies.
parentPort?.on("message", (message: ToWorker) => {
  if (message.type === "refresh" && message.request.url.endsWith("/die")) process.exit(3);
});
