import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { forYou, type LikeSearch } from "../../src/picks/index.ts";

const paper = (id: string, publishedAt = "2026-12-01"): Paper => ({
  id,
  title: `Paper ${id}`,
  abstract: "",
  authors: [],
  publishedAt,
  rank: 1,
  source: "fixture",
});

/** A "more like this" index with fixed neighbours and scores. */
function likeSearch(neighbours: Record<string, readonly [Paper, number][]>): LikeSearch {
  return {
    similar: (paperId) => ({
      hits: (neighbours[paperId] ?? []).map(([hit, score]) => ({ paper: hit, score })),
    }),
  };
}

const [x, y, z, a] = [paper("x"), paper("y"), paper("z"), paper("a")];

describe("for you", () => {
  it("ranks papers by how like they are to the ones rated 👍, naming the closest", () => {
    const index = likeSearch({
      a: [
        [x, 10],
        [y, 8],
      ],
      b: [
        [z, 4],
        [y, 4],
      ],
    });
    const picks = forYou(
      index,
      [
        { paperId: "a", value: "up" },
        { paperId: "b", value: "up" },
      ],
      "2026-12-07",
    );
    // y is like both (0.8 + 1.0), x like a only (1.0), z like b only (1.0); ties go by id.
    expect(picks.map((pick) => pick.paper.id)).toEqual(["y", "x", "z"]);
    expect(picks.find((pick) => pick.paper.id === "x")?.becauseId).toBe("a");
    expect(picks.find((pick) => pick.paper.id === "z")?.becauseId).toBe("b");
  });

  it("pushes papers like the ones rated 👎 down, and drops those it makes irrelevant", () => {
    const index = likeSearch({
      a: [
        [x, 10],
        [y, 8],
      ],
      d: [
        [x, 6],
        [z, 6],
      ],
    });
    const liked = forYou(index, [{ paperId: "a", value: "up" }], "2026-12-07");
    expect(liked.map((pick) => pick.paper.id)).toEqual(["x", "y"]);
    const both = forYou(
      index,
      [
        { paperId: "d", value: "down" },
        { paperId: "a", value: "up" },
      ],
      "2026-12-07",
    );
    // x: 1.0 − 0.5 × 1.0 = 0.5, now below y's 0.8; z is only like the 👎 paper: not picked.
    expect(both.map((pick) => pick.paper.id)).toEqual(["y", "x"]);
  });

  it("never picks a rated paper, and prefers the fresher of two equally like papers", () => {
    const old = paper("old", "2026-10-08");
    const index = likeSearch({
      a: [
        [old, 10],
        [x, 10],
        [a, 10],
      ],
    });
    const picks = forYou(index, [{ paperId: "a", value: "up" }], "2026-12-07");
    expect(picks.map((pick) => pick.paper.id)).toEqual(["x", "old"]);
    // 60 days old, a half-life of 30: a quarter of the score.
    expect((picks[1]?.score ?? 0) / (picks[0]?.score ?? 1)).toBeCloseTo(0.25, 1);
  });

  it("is empty with no 👍, and refuses a date that is not one", () => {
    expect(forYou(likeSearch({}), [{ paperId: "a", value: "down" }], "2026-12-07")).toEqual([]);
    expect(() => forYou(likeSearch({}), [], "yesterday")).toThrow(RangeError);
  });
});
