import { existsSync } from "node:fs";

/** The corpora the platform round trips run on: the seed, and 100k papers once `npm run bench` generated them. */
export function roundTripCorpora(): [string, string][] {
  const corpora: [string, string][] = [["seed", "data/papers.txt"]];
  if (existsSync("bench/data/papers-100k.jsonl")) corpora.push(["100k", "bench/data/papers-100k.jsonl"]);
  return corpora;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Two title words of papers spread over the corpus: queries that match, as users type them. */
export function queriesFrom(titles: readonly string[], count: number): string[] {
  const step = Math.max(1, Math.floor(titles.length / count));
  return Array.from({ length: count }, (_, index) => {
    const words =
      (titles[(index * step) % titles.length] ?? "attention").toLowerCase().match(/[a-z]{4,}/g) ?? [];
    return words.slice(0, 2).join(" ") || "attention";
  });
}
