import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { forYou } from "../../src/picks/index.ts";
import { SearchIndex } from "../../src/search/index.ts";
import { DISTINCT_SUBJECTS, fixturePaper } from "./fixtures.ts";

const paper = (id: string, title: string, abstract: string, publishedAt = "2026-12-01"): Paper =>
  fixturePaper({ id, title, abstract, publishedAt });

const kv = [
  paper("kv1", "KV cache compression for long context", "We compress the key value cache of transformers."),
  paper(
    "kv2",
    "Paged KV cache eviction",
    "Evicting key value cache entries keeps long context inference fast.",
  ),
  paper(
    "kv3",
    "Quantized KV cache",
    "Low-bit quantization of the key value cache for long context decoding.",
  ),
];
const folding = [
  paper(
    "pf1",
    "Protein folding with graph networks",
    "Predicting protein structure from amino acid sequences.",
  ),
  paper(
    "pf2",
    "Protein structure diffusion",
    "A diffusion model generates protein backbones and amino acid sequences.",
  ),
];
const vision = paper(
  "qv",
  "Quantized vision transformers",
  "Low-bit quantization of vision transformers for images.",
);
const others = DISTINCT_SUBJECTS.slice(1).map((subject, i) =>
  paper(`o${i}`, subject.title, subject.abstract),
);
const corpus = [...kv, ...folding, vision, ...others];
const index = SearchIndex.build(corpus);
const ids = (picks: readonly { paper: Paper }[]) => picks.map((pick) => pick.paper.id);

describe("for you", () => {
  it("learns from one 👍: the papers on its subject first, never the rated one, each naming it", () => {
    const picks = forYou(index, [{ paperId: "kv1", value: "up" }], "2026-12-07");
    expect(ids(picks).slice(0, 2).sort()).toEqual(["kv2", "kv3"]);
    expect(ids(picks)).not.toContain("kv1");
    expect(picks.every((pick) => pick.becauseId === "kv1")).toBe(true);
  });

  it("names the 👍 paper each pick is most like", () => {
    const picks = forYou(
      index,
      [
        { paperId: "pf1", value: "up" },
        { paperId: "kv1", value: "up" },
      ],
      "2026-12-07",
    );
    expect(picks.find((pick) => pick.paper.id === "pf2")?.becauseId).toBe("pf1");
    expect(picks.find((pick) => pick.paper.id === "kv2")?.becauseId).toBe("kv1");
  });

  it("pushes papers like the ones rated 👎 down", () => {
    const liked = forYou(index, [{ paperId: "kv3", value: "up" }], "2026-12-07");
    expect(ids(liked)).toContain("qv");
    const score = (picks: typeof liked, id: string) => picks.find((pick) => pick.paper.id === id)?.score ?? 0;
    const withDislike = forYou(
      index,
      [
        { paperId: "qv", value: "down" },
        { paperId: "kv3", value: "up" },
      ],
      "2026-12-07",
    );
    expect(score(withDislike, "qv")).toBe(0);
    expect(ids(withDislike)).not.toContain("qv");
    expect(ids(withDislike).slice(0, 2).sort()).toEqual(["kv1", "kv2"]);
  });

  it("prefers the fresher of two papers with the same text", () => {
    const twins = [...corpus, paper("kv2-old", kv[1]?.title ?? "", kv[1]?.abstract ?? "", "2026-10-08")];
    const picks = forYou(SearchIndex.build(twins), [{ paperId: "kv1", value: "up" }], "2026-12-07");
    const fresh = picks.find((pick) => pick.paper.id === "kv2");
    const old = picks.find((pick) => pick.paper.id === "kv2-old");
    // 54 days older (6 and 60 days old), a half-life of 30.
    expect((old?.score ?? 0) / (fresh?.score ?? 1)).toBeCloseTo(0.5 ** (54 / 30), 4);
  });

  it("is empty with no 👍 or only unknown papers, and refuses a date that is not one", () => {
    expect(forYou(index, [{ paperId: "kv1", value: "down" }], "2026-12-07")).toEqual([]);
    expect(forYou(index, [{ paperId: "gone", value: "up" }], "2026-12-07")).toEqual([]);
    expect(() => forYou(index, [], "yesterday")).toThrow(RangeError);
  });
});
