import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.ts";

describe("CORPUS_REFRESH", () => {
  it("defaults to hourly and accepts any cron expression", () => {
    expect(loadConfig({}).CORPUS_REFRESH).toBe("0 * * * *");
    expect(loadConfig({ CORPUS_REFRESH: " */30 6-22 * * 1-5 " }).CORPUS_REFRESH).toBe("*/30 6-22 * * 1-5");
  });

  it("stops start-up with one line naming the variable when the expression is not cron", () => {
    expect(() => loadConfig({ CORPUS_REFRESH: "every hour" })).toThrow(ConfigError);
    expect(() => loadConfig({ CORPUS_REFRESH: "61 * * * *" })).toThrow(
      /^CORPUS_REFRESH \(got "61 \* \* \* \*"\): must be a cron expression/,
    );
  });
});
