import { describe, expect, it } from "vitest";
import { describeAge, describeReason } from "../../src/picks/index.ts";

describe("the reason a paper is in a digest", () => {
  it("leads with upvotes and the paper's age when the source has both", () => {
    expect(describeReason({ upvotes: 42, ageDays: 2, rank: 5 })).toBe("▲ 42 · 2 days old");
    expect(describeReason({ upvotes: 7, ageDays: 0, rank: 1 })).toBe("▲ 7 · today");
  });

  it("falls back to the position on today's list when there are no votes and no date", () => {
    expect(describeReason({ rank: 3 })).toBe("#3 on today's list");
  });

  it("does not call a dated list today's when the paper is older", () => {
    expect(describeReason({ rank: 3, ageDays: 4 })).toBe("#3 on its list · 4 days old");
  });

  it("leaves out a position it does not know rather than inventing one", () => {
    expect(describeReason({})).toBe("on today's list");
  });

  it("names the topic that selected the paper", () => {
    expect(describeReason({ rank: 3, topic: "kv cache" })).toBe("#3 on today's list · matches “kv cache”");
    expect(describeReason({ upvotes: 12, ageDays: 1, rank: 2, topic: "  kv   cache " })).toBe(
      "▲ 12 · 1 day old · matches “kv cache”",
    );
  });

  it("keeps a very long topic to one short line", () => {
    const reason = describeReason({ rank: 1, topic: "a".repeat(500) });
    expect(reason.length).toBeLessThan(80);
    expect(reason.endsWith("…”")).toBe(true);
  });

  it("says old ages in weeks, months and years rather than hundreds of days", () => {
    expect(describeAge(1)).toBe("1 day old");
    expect(describeAge(13)).toBe("13 days old");
    expect(describeAge(21)).toBe("3 weeks old");
    expect(describeAge(90)).toBe("3 months old");
    expect(describeAge(800)).toBe("2 years old");
  });
});
