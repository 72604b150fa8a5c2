import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { threadName } from "../../src/platforms/discord/discord-threads.ts";
import { fuzzRuns } from "./fuzz-runs.ts";

describe("a Discord thread's name, from any paper title", () => {
  it("is 1–100 characters on one line, and the title itself when it fits", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.stringMatching(/^[\w.-]{1,64}$/), (title, paperId) => {
        const name = threadName({ paperId, title, snippet: "" });
        expect(name.length).toBeGreaterThanOrEqual(1);
        expect(name.length).toBeLessThanOrEqual(100);
        expect(name).not.toMatch(/[\n\r\t]/);
        const plain = title.replace(/\s+/g, " ").trim();
        if (plain.length > 0 && plain.length <= 100) expect(name).toBe(plain);
      }),
      fuzzRuns(10_000),
    );
  });
});
