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

/** The local date `offset` days after 2025-03-01. */
function day(offset: number): string {
  return new Date(Date.UTC(2025, 2, 1 + offset)).toISOString().slice(0, 10);
}

function digestFor(localDate: string, delivered: ReadonlySet<string>, size = 5): Pick[] {
  return pickDigest(papers, index, { localDate, size, topics: [], delivered });
}

describe("daily picks from the seed page", () => {
  it("has the whole seed page to pick from", () => {
    expect(papers).toHaveLength(196);
  });

  it("starts the first day at the top of the page and says so", () => {
    const picks = digestFor(day(0), new Set());
    expect(picks).toHaveLength(5);
    expect(picks[0]?.paper.rank).toBe(1);
    expect(picks[0]?.reason).toBe("#1 on today's list");
    // Diversity may swap neighbours, never reach deep into the page on day one.
    for (const pick of picks) expect(pick.paper.rank).toBeLessThanOrEqual(10);
  });

  it("walks down the page one paper a day when the digest holds one paper", () => {
    const delivered = new Set<string>();
    const ranks: number[] = [];
    for (let offset = 0; offset < 10; offset++) {
      const [pick] = digestFor(day(offset), delivered, 1);
      if (pick === undefined) throw new Error(`no pick on ${day(offset)}`);
      ranks.push(pick.paper.rank);
      delivered.add(pick.paper.id);
    }
    expect(ranks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("gives the same picks for the same corpus, target and date", () => {
    const delivered = new Set(papers.slice(0, 7).map(({ id }) => id));
    const first = digestFor(day(3), delivered).map(({ paper }) => paper.id);
    const again = pickDigest([...papers], SearchIndex.build(papers), {
      localDate: day(3),
      size: 5,
      topics: [],
      delivered: new Set(delivered),
    });
    expect(again.map(({ paper }) => paper.id)).toEqual(first);
  });

  it("over 60 days never sends a paper twice, sends every paper once, then sends nothing", () => {
    const delivered = new Set<string>();
    const perDay: number[] = [];
    for (let offset = 0; offset < 60; offset++) {
      const picks = digestFor(day(offset), delivered);
      for (const { paper } of picks) {
        expect(delivered.has(paper.id), `${paper.id} repeated on ${day(offset)}`).toBe(false);
        delivered.add(paper.id);
      }
      perDay.push(picks.length);
    }
    expect(delivered.size).toBe(papers.length);
    // 196 papers at 5 a day: 39 full days, one last paper, then 20 empty days.
    expect(perDay.slice(0, 39)).toEqual(Array(39).fill(5));
    expect(perDay[39]).toBe(1);
    expect(perDay.slice(40)).toEqual(Array(20).fill(0));
  });
});
