import { getPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { currentThreadId } from "../../src/background-priority.ts";

// Started by background-priority.test.ts through startTsWorker: tells the test this thread's nice value.
const threadId = currentThreadId();
parentPort?.postMessage({ threadId, nice: threadId === undefined ? undefined : getPriority(threadId) });
