import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { type PickRequest, pickDigest } from "../../src/picks/index.ts";
import { SearchIndex } from "../../src/search/index.ts";
import { distinctPaper, fixturePaper } from "./fixtures.ts";

const TODAY = "2025-03-10";

function digest(papers: readonly Paper[], request: Partial<PickRequest> = {}) {
  return pickDigest(papers, SearchIndex.build(papers), {
    localDate: TODAY,
    size: 5,
    topics: [],
    delivered: new Set(),
    ...request,
  });
}

const ids = (picks: readonly { readonly paper: Paper }[]) => picks.map(({ paper }) => paper.id);

describe("the trending order of a digest", () => {
  it("puts more upvoted papers of the same day first, and says how many votes and how old", () => {
    const papers = [
      distinctPaper(0, { id: "few", upvotes: 5, publishedAt: "2025-03-08T09:00:00Z", rank: 1 }),
      distinctPaper(1, { id: "many", upvotes: 500, publishedAt: "2025-03-08T09:00:00Z", rank: 3 }),
      distinctPaper(2, { id: "some", upvotes: 50, publishedAt: "2025-03-08T09:00:00Z", rank: 2 }),
    ];
    const picks = digest(papers);
    expect(ids(picks)).toEqual(["many", "some", "few"]);
    expect(picks.map(({ reason }) => reason)).toEqual([
      "▲ 500 · 2 days old",
      "▲ 50 · 2 days old",
      "▲ 5 · 2 days old",
    ]);
  });

  it("puts fresher papers first when the votes are equal", () => {
    const papers = [
      distinctPaper(0, { id: "last-week", upvotes: 20, publishedAt: "2025-03-03" }),
      distinctPaper(1, { id: "today", upvotes: 20, publishedAt: "2025-03-10T23:59:00Z" }),
      distinctPaper(2, { id: "yesterday", upvotes: 20, publishedAt: "2025-03-09" }),
    ];
    const picks = digest(papers);
    expect(ids(picks)).toEqual(["today", "yesterday", "last-week"]);
    expect(picks.map(({ reason }) => reason)).toEqual([
      "▲ 20 · today",
      "▲ 20 · 1 day old",
      "▲ 20 · 7 days old",
    ]);
  });

  it("lets a runaway favourite beat a fresh paper nobody voted for, but not a month later", () => {
    const papers = [
      distinctPaper(0, { id: "quiet-today", upvotes: 3, publishedAt: TODAY }),
      distinctPaper(1, { id: "favourite-yesterday", upvotes: 400, publishedAt: "2025-03-09" }),
      distinctPaper(2, { id: "favourite-last-month", upvotes: 400, publishedAt: "2025-02-08" }),
    ];
    expect(ids(digest(papers))).toEqual(["favourite-yesterday", "quiet-today", "favourite-last-month"]);
  });

  it("treats papers from after the digest's date as today's, not as fresher", () => {
    const papers = [
      distinctPaper(0, { id: "next-week", upvotes: 10, publishedAt: "2025-03-17" }),
      distinctPaper(1, { id: "today", upvotes: 11, publishedAt: TODAY }),
    ];
    const picks = digest(papers);
    expect(ids(picks)).toEqual(["today", "next-week"]);
    expect(picks[1]?.reason).toBe("▲ 10 · today");
  });

  it("uses the day a list featured the paper when it has no publication date", () => {
    const papers = [
      distinctPaper(0, { id: "featured-long-ago", upvotes: 30, featuredAt: "2025-01-02" }),
      distinctPaper(1, { id: "featured-today", upvotes: 30, featuredAt: TODAY }),
    ];
    const picks = digest(papers);
    expect(ids(picks)).toEqual(["featured-today", "featured-long-ago"]);
    expect(picks[0]?.reason).toBe("▲ 30 · today");
  });

  it("follows the source's own order when it has neither votes nor dates", () => {
    const papers = [3, 1, 2].map((rank) => distinctPaper(rank, { id: `rank-${rank}`, rank }));
    const picks = digest(papers);
    expect(ids(picks)).toEqual(["rank-1", "rank-2", "rank-3"]);
    expect(picks[2]?.reason).toBe("#3 on today's list");
  });

  it("gives a higher score to each paper it puts earlier", () => {
    const papers = Array.from({ length: 6 }, (_, i) =>
      distinctPaper(i, { id: `p${i}`, upvotes: 10 * (i + 1), publishedAt: `2025-03-0${i + 1}` }),
    );
    const scores = digest(papers, { size: 6 }).map(({ score }) => score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(scores).size).toBe(6);
  });

  it("gives the same picks for the same corpus and date, even from a fresh copy of the corpus", () => {
    // Ten papers tied on every signal: only the id hash can order them.
    const papers = Array.from({ length: 10 }, (_, i) =>
      distinctPaper(i, { id: `tie-${i}`, upvotes: 7, publishedAt: "2025-03-09" }),
    );
    const first = ids(digest(papers, { size: 4 }));
    expect(ids(digest([...papers].reverse(), { size: 4 }))).toEqual(first);
    expect(
      ids(
        digest(
          papers.map((paper) => ({ ...paper })),
          { size: 4 },
        ),
      ),
    ).toEqual(first);
  });
});

describe("what a digest leaves out", () => {
  const papers = Array.from({ length: 4 }, (_, i) => distinctPaper(i, { id: `p${i}`, rank: i + 1 }));

  it("never picks a paper already delivered to the target", () => {
    const picks = digest(papers, { delivered: new Set(["p0", "p2"]) });
    expect(ids(picks)).toEqual(["p1", "p3"]);
  });

  it("returns nothing when every paper has been delivered", () => {
    expect(digest(papers, { delivered: new Set(papers.map(({ id }) => id)) })).toEqual([]);
  });

  it("never lists one paper twice even when the corpus repeats an id", () => {
    const repeated = [...papers, { ...papers[0], rank: 9 } as Paper];
    expect(ids(digest(repeated, { size: 10 }))).toEqual(["p0", "p1", "p2", "p3"]);
  });

  it("keeps the digest between 1 and 10 papers whatever size is asked", () => {
    const many = Array.from({ length: 30 }, (_, i) => distinctPaper(i, { id: `m${i}`, rank: i + 1 }));
    expect(digest(many, { size: 0 })).toHaveLength(1);
    expect(digest(many, { size: 25 })).toHaveLength(10);
    expect(digest(many, { size: Number.NaN })).toHaveLength(10);
    expect(digest(many, { size: 3.7 })).toHaveLength(3);
  });

  it("survives papers with nonsense votes, ranks and dates, ranking them last and saying only what is known", () => {
    const odd = [
      fixturePaper({
        id: "odd",
        upvotes: -5,
        rank: Number.NaN,
        publishedAt: "last Tuesday",
        featuredAt: "2025-02-30",
      }),
      distinctPaper(1, { id: "normal", rank: 2 }),
    ];
    const picks = digest(odd);
    expect(ids(picks)).toEqual(["normal", "odd"]);
    expect(picks[1]?.reason).toBe("on today's list");
  });

  it("refuses a local date that is not a calendar date", () => {
    expect(() => digest(papers, { localDate: "2025-02-30" })).toThrow(RangeError);
    expect(() => digest(papers, { localDate: "tomorrow" })).toThrow(RangeError);
  });
});
