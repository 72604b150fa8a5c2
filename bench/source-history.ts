import path from "node:path";
import { loadCorpus } from "../src/corpus/index.ts";
import { cachePaths, writeCache } from "../src/corpus/sources/source-cache.ts";
import { generatePapers, trainChain } from "./generate-corpus.ts";

/**
 * Gives the live source of bench/merge.ts a past: `count` papers in its cache, as months of refreshes
 * of a busy arXiv listing leave it, so that a day's merge is timed against a
 * source that holds more than the few days the bench serves. Written before the bot starts, which reads
 * them from the cache without a fetch; their ids (2501.00000 on) are neither the corpus's nor the
 * daily batches'.
 */
export async function writeSourceHistory(cacheDir: string, url: string, count: number): Promise<void> {
  const { papers: seed } = await loadCorpus("data/papers.txt");
  const papers = [...generatePapers(count, trainChain(seed), 2025)].map((paper, i) => ({
    ...paper,
    id: `25${String(1 + Math.floor(i / 90_000)).padStart(2, "0")}.${String(i % 90_000).padStart(5, "0")}`,
    rank: (i % 1_000) + 1,
    source: url,
  }));
  await writeCache(
    cachePaths(path.resolve(cacheDir), url),
    {
      url,
      validators: {},
      bodyHash: "history",
      format: "jsonl",
      fetchedAt: new Date().toISOString(),
    },
    papers,
  );
}
