import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Child-process and scheduler tests start real processes and timers; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests assert on behaviour, not on log lines; a test that needs the log turns it on itself.
    env: { LOG_LEVEL: "silent" },
  },
});
