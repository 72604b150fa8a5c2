import type { Paper } from "../src/core/paper.ts";
import { generatePapers, trainChain } from "./generate-corpus.ts";

export const BATCH = 1_000;

/** A day's batch in our record format, with arXiv-style ids of its own (day 0 is yesterday's). */
export function dailyBatch(seed: readonly Paper[], day: number): string {
  const chain = trainChain(seed);
  const lines: string[] = [];
  let i = 0;
  for (const paper of generatePapers(BATCH, chain, 2026 + day)) {
    const id = `2611.${String(day * BATCH + i).padStart(5, "0")}`;
    lines.push(
      JSON.stringify({
        id,
        title: paper.title,
        abstract: paper.abstract,
        authors: paper.authors,
        url: `https://arxiv.org/abs/${id}`,
        publishedAt: new Date(Date.UTC(2026, 10, 25 + day)).toISOString(),
        upvotes: paper.upvotes,
      }),
    );
    i++;
  }
  return `${lines.join("\n")}\n`;
}
