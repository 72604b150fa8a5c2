import type { Paper } from "../paper.ts";
import { normaliseTitle } from "./clean-text.ts";

export interface DedupeResult {
  readonly papers: Paper[];
  /** How many papers each source lost to an earlier copy, by source. */
  readonly duplicatesBySource: Map<string, number>;
}

/**
 * One paper per id and per normalised title, across all files.
 *
 * Rule: the first copy wins (files in CORPUS order, papers in file order), so its id, text, rank and
 * source never change when another file is appended to CORPUS; ids stay stable for the delivery ledger.
 * Later copies only fill fields the winner lacks (authors, links, dates, upvotes, comments), so a
 * title-only seed entry gains the counts of the same paper in a daily_papers file.
 */
export function dedupePapers(papers: readonly Paper[]): DedupeResult {
  const kept: Paper[] = [];
  const byId = new Map<string, number>();
  const byTitle = new Map<string, number>();
  const duplicatesBySource = new Map<string, number>();

  for (const paper of papers) {
    const titleKey = normaliseTitle(paper.title);
    const index = byId.get(paper.id) ?? byTitle.get(titleKey);
    if (index === undefined) {
      byId.set(paper.id, kept.length);
      byTitle.set(titleKey, kept.length);
      kept.push(paper);
      continue;
    }
    kept[index] = fillGaps(kept[index] as Paper, paper);
    // The loser's keys now point at the winner too, so a third copy matching only the loser is caught.
    byId.set(paper.id, index);
    byTitle.set(titleKey, index);
    duplicatesBySource.set(paper.source, (duplicatesBySource.get(paper.source) ?? 0) + 1);
  }
  return { papers: kept, duplicatesBySource };
}

function fillGaps(winner: Paper, other: Paper): Paper {
  return {
    ...winner,
    authors: winner.authors.length > 0 ? winner.authors : other.authors,
    ...pick("url", winner, other),
    ...pick("pdfUrl", winner, other),
    ...pick("publishedAt", winner, other),
    ...pick("featuredAt", winner, other),
    ...pick("upvotes", winner, other),
    ...pick("comments", winner, other),
  };
}

type OptionalKey = "url" | "pdfUrl" | "publishedAt" | "featuredAt" | "upvotes" | "comments";

function pick<K extends OptionalKey>(
  key: K,
  winner: Paper,
  other: Paper,
): Pick<Paper, K> | Record<string, never> {
  const value = winner[key] ?? other[key];
  return value === undefined ? {} : ({ [key]: value } as Pick<Paper, K>);
}
