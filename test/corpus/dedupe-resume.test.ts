import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import {
  type DedupeCheckpoint,
  type DedupeResult,
  dedupeCheckpointSteps,
  dedupePapers,
} from "../../src/corpus/dedupe-papers.ts";
import { TrailingDedupe } from "../../src/corpus/trailing-dedupe.ts";
import { runSteps } from "../../src/runtime/steps.ts";

function resume(checkpoint: DedupeCheckpoint, files: readonly (readonly Paper[])[]): DedupeResult {
  return runSteps(runSteps(TrailingDedupe.scanSteps(checkpoint, files)).resultSteps());
}

function paper(id: string, title: string, source: string, extra: Partial<Paper> = {}): Paper {
  return { id, title, abstract: `About ${title}.`, authors: [], rank: 1, source, ...extra };
}

const seedFile = [
  paper("t-1", "Sparse Attention at Scale", "seed.txt"),
  paper("t-2", "Graph Sparsifiers Revisited", "seed.txt"),
  paper("2401.00003", "Tokenizers Without Vocabularies", "seed.txt"),
];
const arxivFile = [
  // The same paper as t-1 by title, with an arXiv id and counts the seed lacks.
  paper("2401.00001", "Sparse attention at scale!", "arxiv.jsonl", {
    upvotes: 7,
    url: "https://arxiv.org/abs/2401.00001",
  }),
  paper("2401.00004", "Quasicrystalline Samplers", "arxiv.jsonl"),
];
const daily = [
  // A copy of a seed paper by id, of an arXiv paper by the arXiv id only a duplicate had, and a new one.
  paper("2401.00003", "Tokenizers without vocabularies (v2)", "https://hf.co/daily", { upvotes: 40 }),
  paper("2401.00001", "Sparse Attention: The Journal Version", "https://hf.co/daily", { comments: 3 }),
  paper("2507.00009", "Holographic Reservoirs", "https://hf.co/daily"),
];

describe("deduplication resumed from a checkpoint", () => {
  it("gives what deduplicating every file at once gives, and leaves the checkpoint as it was", () => {
    const whole = dedupePapers([...seedFile, ...arxivFile, ...daily]);
    const checkpoint = runSteps(dedupeCheckpointSteps([seedFile, arxivFile]));
    const keptBefore = [...checkpoint.kept];

    const resumed = resume(checkpoint, [daily]);

    expect(resumed.papers).toEqual(whole.papers);
    expect(resumed.duplicatesBySource).toEqual(whole.duplicatesBySource);
    expect(resumed.papers.map((kept) => kept.id)).toEqual([
      "t-1",
      "t-2",
      "2401.00003",
      "2401.00004",
      "2507.00009",
    ]);
    // The first copy's text wins; later copies fill what it lacks.
    expect(resumed.papers[0]).toMatchObject({ title: "Sparse Attention at Scale", upvotes: 7, comments: 3 });
    expect(resumed.papers[2]).toMatchObject({ title: "Tokenizers Without Vocabularies", upvotes: 40 });
    expect(checkpoint.kept).toEqual(keptBefore);

    // Resuming again with other papers starts from the same state.
    const again = resume(checkpoint, [[daily[2] as Paper]]);
    expect(again.papers.map((kept) => kept.id)).toEqual([
      "t-1",
      "t-2",
      "2401.00003",
      "2401.00004",
      "2507.00009",
    ]);
    expect(again.papers[2]?.upvotes).toBeUndefined();
  });

  it("finds every key of a large checkpoint, past its tables' growth", () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      paper(`p${i}`, `Paper number ${i} on topic ${i % 7}`, "big"),
    );
    const checkpoint = runSteps(dedupeCheckpointSteps([many]));
    const copies = [
      paper("p4999", "Another title", "later"),
      paper("x1", "paper number 17 on topic 3", "later"),
    ];
    const resumed = resume(checkpoint, [copies]);
    expect(resumed.papers).toHaveLength(5000);
    expect(resumed.papers).toEqual(dedupePapers([...many, ...copies]).papers);
  });
});
