import { defineConfig } from "vitest/config";

/**
 * Tests that count or inspect the threads of their own process: inside a worker thread they would
 * see the other test files' threads too, so they run the way the bot does, on a process's main thread.
 */
const ownProcess = ["test/runtime/background-priority.test.ts"];

export default defineConfig({
  test: {
    // Two files at a time even on 2 cores (vitest's default there is one): most files wait on
    // sockets, timers and child processes rather than compute, so the suite runs in about three
    // quarters of the time (docs/benchmarks.md, "The test suite").
    maxWorkers: 2,
    // Child-process and scheduler tests start real processes and timers; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests assert on behaviour, not on log lines; a test that needs the log turns it on itself.
    env: { LOG_LEVEL: "silent" },
    projects: [
      {
        extends: true,
        test: {
          name: "threads",
          include: ["test/**/*.test.ts"],
          exclude: ownProcess,
          // Two worker threads that each run file after file with one module cache, rather than a
          // new Node process per file that imports discord.js, Bolt and the core again: importing
          // was over a fifth of the suite's CPU (docs/benchmarks.md, "The test suite"). This holds
          // because no test leaves module state behind: fake timers and spies are restored after
          // each test, and a test that needs a process of its own (a working directory, signals,
          // exit codes) spawns one.
          pool: "threads",
          isolate: false,
        },
      },
      { extends: true, test: { name: "own process", include: ownProcess, pool: "forks" } },
    ],
  },
});
