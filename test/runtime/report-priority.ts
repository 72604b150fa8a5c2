import { readlinkSync } from "node:fs";
import { getPriority } from "node:os";
import { parentPort } from "node:worker_threads";

// Started by background-priority.test.ts through startTsWorker: tells the test this thread's id and nice value.
const threadId = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
parentPort?.postMessage({ threadId, nice: getPriority(threadId) });
