import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { type DedupeResult, dedupeCheckpointSteps, dedupePapers } from "../../src/corpus/dedupe-papers.ts";
import { TrailingDedupe } from "../../src/corpus/trailing-dedupe.ts";
import { runSteps } from "../../src/runtime/steps.ts";

function paper(id: string, title: string, source: string, extra: Partial<Paper> = {}): Paper {
  return { id, title, abstract: `About ${title}.`, authors: [], rank: 1, source, ...extra };
}

const seed = [
  paper("s-1", "Sparse Attention at Scale", "seed.txt"),
  paper("s-2", "Graph Sparsifiers Revisited", "seed.txt"),
];
const daily = [
  // The seed's first paper again (by title), with counts the seed lacks.
  paper("2501.00001", "Sparse attention at scale", "hf", { upvotes: 3 }),
  paper("2501.00002", "Holographic Reservoirs", "hf", { upvotes: 5 }),
];
const arxiv = [
  // A copy of the daily list's own paper: it fills what that one lacks.
  paper("2501.00002", "Holographic reservoirs", "arxiv", { categories: ["cs.LG"] }),
  paper("2501.00003", "Aperiodic Samplers", "arxiv"),
];

/** Deduplicating everything from scratch: what an update must give. */
function whole(files: readonly (readonly Paper[])[]): DedupeResult {
  return dedupePapers([...seed, ...files.flat()]);
}

function started(files: readonly (readonly Paper[])[]): TrailingDedupe {
  const checkpoint = runSteps(dedupeCheckpointSteps([seed]));
  return runSteps(TrailingDedupe.scanSteps(checkpoint, files));
}

const resultOf = (dedupe: TrailingDedupe): DedupeResult => runSteps(dedupe.resultSteps());

describe("deduplication of the live sources, brought up to date by a refresh", () => {
  it("takes newer copies in place and new papers at the sources' ends, as a full pass would", () => {
    const dedupe = started([daily, arxiv]);
    expect(resultOf(dedupe)).toEqual(whole([daily, arxiv]));

    // New upvotes for a paper merged into the seed's and for one kept from the daily list; new papers
    // at the end of both sources, one of them the seed's second paper again.
    const dailyNext = [
      paper("2501.00001", "Sparse attention at scale", "hf", { upvotes: 30 }),
      paper("2501.00002", "Holographic Reservoirs", "hf", { upvotes: 50 }),
      paper("2501.00009", "Graph sparsifiers revisited", "hf", { upvotes: 1 }),
      paper("2501.00010", "Quasicrystalline Tokenizers", "hf"),
    ];
    const arxivNext = [...arxiv, paper("2501.00011", "Reservoir Sampling Without Reservoirs", "arxiv")];
    expect(runSteps(dedupe.updateSteps([dailyNext, arxivNext]))).toBe(true);

    const updated = resultOf(dedupe);
    expect(updated).toEqual(whole([dailyNext, arxivNext]));
    const byId = new Map(updated.papers.map((kept) => [kept.id, kept]));
    expect(byId.get("s-1")?.upvotes).toBe(30);
    expect(byId.get("s-2")?.upvotes).toBe(1);
    expect(byId.get("2501.00002")).toMatchObject({ upvotes: 50, categories: ["cs.LG"] });
    expect(updated.duplicatesBySource).toEqual(
      new Map([
        ["hf", 2],
        ["arxiv", 1],
      ]),
    );
  });

  it("declines, changing nothing, where a new paper would take a later file's paper's place", () => {
    const dedupe = started([daily, arxiv]);
    const before = resultOf(dedupe);
    // The daily list now brings the paper arXiv listed: in CORPUS order the daily copy comes first.
    const dailyNext = [...daily, paper("2501.00003", "Aperiodic Samplers", "hf")];
    expect(runSteps(dedupe.updateSteps([dailyNext, arxiv]))).toBe(false);
    expect(resultOf(dedupe)).toEqual(before);
  });

  it("declines a copy with a new title, a shorter source, or another number of files", () => {
    const renamed = [paper("2501.00001", "Sparse Attention, Revised", "hf"), ...daily.slice(1)];
    expect(runSteps(started([daily, arxiv]).updateSteps([renamed, arxiv]))).toBe(false);
    expect(runSteps(started([daily, arxiv]).updateSteps([daily.slice(1), arxiv]))).toBe(false);
    expect(runSteps(started([daily, arxiv]).updateSteps([daily]))).toBe(false);
  });

  it("gives what a full pass gives over many random refreshes, or declines", () => {
    // A small pool of titles and ids, so that copies meet each other across files often.
    let state = 42;
    const random = (below: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % below;
    };
    const titles = ["Alpha Models", "Beta Graphs", "Gamma Rays", "Delta Rules", "Sparse Attention at Scale"];
    // Some ids are shared too, the seed's among them: copies then meet by id and by title in turn.
    const ids = ["s-1", "shared-1", "shared-2"];
    const fresh = (source: string, n: number) =>
      paper(
        random(5) === 0 ? (ids[random(ids.length)] as string) : `${source}-${n}`,
        `${titles[random(titles.length)]} ${random(3) === 0 ? "" : n}`,
        source,
        {
          ...(random(2) === 0 ? { upvotes: random(100) } : {}),
          ...(random(3) === 0 ? { comments: random(9) } : {}),
        },
      );
    let files: Paper[][] = [[fresh("a", 0)], [fresh("b", 0)], [fresh("c", 0)]];
    let dedupe = started(files);
    let updates = 0;
    for (let round = 1; round <= 300; round++) {
      files = files.map((papers, file) => {
        const source = ["a", "b", "c"][file] as string;
        const next = papers.map((old) =>
          random(4) === 0 ? { ...old, upvotes: random(100), ...(random(2) === 0 ? { url: "u" } : {}) } : old,
        );
        for (let n = random(3); n > 0; n--) next.push(fresh(source, round * 10 + n));
        return random(3) === 0 ? papers : next;
      });
      if (runSteps(dedupe.updateSteps(files))) updates++;
      else dedupe = started(files);
      expect(resultOf(dedupe)).toEqual(whole(files));
    }
    // Most refreshes are the kind an update handles; the rest checked the fallback.
    expect(updates).toBeGreaterThan(50);
  });
});
