import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Child-process and scheduler tests start real processes and timers; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
