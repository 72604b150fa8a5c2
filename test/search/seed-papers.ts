import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Paper } from "../../src/core/paper.ts";
import { loadCorpus } from "../../src/corpus/index.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The real seed corpus (data/papers.txt), loaded the way the bot loads it. */
export async function loadSeedPapers(): Promise<readonly Paper[]> {
  const { papers } = await loadCorpus("data/papers.txt", { cwd: repoRoot });
  return papers;
}

/** Title and abstract, for asserting what a reader of the hit would see. */
export function textOf(paper: Paper): string {
  return `${paper.title}\n${paper.abstract}`;
}

/** A paper whose words (quasicrystalline, aperiodic, Penrose) no seed paper has: new to any index of them. */
export const unseenPaper: Paper = {
  id: "2611.00042",
  title: "Quasicrystalline Tokenizers for Aperiodic Sequence Modeling",
  abstract:
    "We study tokenizers whose vocabularies tile the sequence aperiodically. Quasicrystalline tokenizers " +
    "improve compression on long-context benchmarks while keeping decoding cost unchanged.",
  authors: ["Penrose Tiling", "Ada Quasi"],
  rank: 1,
  source: "https://example.org/daily.json",
};
