import { beforeAll, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { type Pick, pickDigest } from "../../src/picks/index.ts";
import { SearchIndex } from "../../src/search/index.ts";
import { loadSeedPapers } from "./seed-corpus.ts";

let papers: readonly Paper[];
let index: SearchIndex;

beforeAll(async () => {
  papers = await loadSeedPapers();
  index = SearchIndex.build(papers);
});

function topicDigest(
  topics: readonly string[],
  delivered: ReadonlySet<string> = new Set(),
  size = 5,
): Pick[] {
  return pickDigest(papers, index, { localDate: "2025-03-10", size, topics, delivered });
}

function matching(topic: string): ReadonlySet<string> {
  return new Set(index.matchAll(topic).keys());
}

describe("a digest filtered by topics", () => {
  it("picks only papers that match the topic and names it in the reason", () => {
    const kvCache = matching("kv cache");
    expect(kvCache.size).toBeGreaterThan(5);
    const picks = topicDigest(["kv cache"]);
    expect(picks).toHaveLength(5);
    for (const pick of picks) {
      expect(kvCache.has(pick.paper.id)).toBe(true);
      expect(pick.topic).toBe("kv cache");
      expect(pick.reason).toBe(`#${pick.paper.rank} on today's list · matches “kv cache”`);
    }
  });

  it("leads with the matching paper highest on the page", () => {
    const kvCache = matching("kv cache");
    const best = Math.min(...papers.filter(({ id }) => kvCache.has(id)).map(({ rank }) => rank));
    expect(topicDigest(["kv cache"])[0]?.paper.rank).toBe(best);
  });

  it("leads with the best-ranked undelivered match for a broad topic, however much was delivered", () => {
    // "model" matches most of the page: the digest walks the trending order rather than scanning matches,
    // until so much has been delivered that scanning the matches is cheaper. Both must agree.
    const model = matching("model");
    expect(model.size).toBeGreaterThan(papers.length / 2);
    for (const deliveredCount of [0, 20, 120]) {
      const delivered = new Set(papers.filter(({ rank }) => rank <= deliveredCount).map(({ id }) => id));
      const best = Math.min(
        ...papers.filter(({ id }) => model.has(id) && !delivered.has(id)).map(({ rank }) => rank),
      );
      const picks = topicDigest(["model"], delivered);
      expect(picks[0]?.paper.rank).toBe(best);
      for (const pick of picks) expect(model.has(pick.paper.id) && !delivered.has(pick.paper.id)).toBe(true);
    }
  });

  it("lets a paper in when it matches any one of several topics, naming the first it matches", () => {
    const flow = matching("optical flow");
    const kvCache = matching("kv cache");
    expect(flow.size).toBeGreaterThan(0);
    const picks = topicDigest(["optical flow", "kv cache"], new Set(), 10);
    expect(picks).toHaveLength(10);
    for (const pick of picks) {
      const expected = flow.has(pick.paper.id) ? "optical flow" : "kv cache";
      expect(kvCache.has(pick.paper.id) || flow.has(pick.paper.id)).toBe(true);
      expect(pick.topic).toBe(expected);
    }
    expect(picks.some(({ topic }) => topic === "optical flow")).toBe(true);
  });

  it("returns nothing, not unrelated papers, when the topic matches no paper", () => {
    expect(matching("zebra husbandry").size).toBe(0);
    expect(topicDigest(["zebra husbandry"])).toEqual([]);
  });

  it("returns nothing, not unrelated papers, once every matching paper has been delivered", () => {
    const flow = matching("optical flow");
    expect(topicDigest(["optical flow"], flow)).toEqual([]);
  });

  it("ignores blank topics instead of treating them as no filter", () => {
    expect(topicDigest(["   "])).toEqual([]);
  });

  it("over 60 days sends each matching paper once and then nothing", () => {
    const kvCache = matching("kv cache");
    const delivered = new Set<string>();
    for (let offset = 0; offset < 60; offset++) {
      for (const { paper } of topicDigest(["kv cache"], delivered, 3)) {
        expect(delivered.has(paper.id)).toBe(false);
        expect(kvCache.has(paper.id)).toBe(true);
        delivered.add(paper.id);
      }
    }
    expect(delivered).toEqual(new Set([...kvCache].filter((id) => papers.some((paper) => paper.id === id))));
    expect(topicDigest(["kv cache"], delivered)).toEqual([]);
  });
});
