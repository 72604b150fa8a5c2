import { parentPort } from "node:worker_threads";
import { commandsRunning } from "../../src/runtime/commands-first.ts";

// Started by commands-first.test.ts through startTsWorker: answers each message with whether this
// worker sees a command being answered on the thread that started it.
parentPort?.on("message", () => parentPort?.postMessage(commandsRunning()));
