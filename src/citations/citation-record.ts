import type { Paper } from "../core/paper.ts";
import { arxivIdOf } from "../corpus/index.ts";
import { cleanField, type PersonName, splitName } from "./person-name.ts";

/** What every export format says of one paper, already cleaned: the formats only spell it. */
export interface CitationRecord {
  readonly paperId: string;
  readonly title: string;
  /** In the paper's order. */
  readonly authors: readonly PersonName[];
  readonly year?: number;
  /** 1–12. */
  readonly month?: number;
  readonly url?: string;
  /** Without version; absent for a paper not on arXiv. */
  readonly arxivId?: string;
  /** The paper's first arXiv category. */
  readonly primaryClass?: string;
  /** The journal reference ("Phys. Rev. D 76, 013009 (2007)"); a record with one is a journal article. */
  readonly journal?: string;
  /** The published version's DOI, bare ("10.1103/PhysRevD.76.013009"). */
  readonly doi?: string;
}

/** The year and month as written in an ISO 8601 date, in the zone it was written in. */
function yearMonth(iso: string | undefined): { year?: number; month?: number } {
  const match = /^(\d{4})(?:-(\d{2}))?/.exec(iso ?? "");
  if (!match) return {};
  const month = Number(match[2]);
  return { year: Number(match[1]), ...(month >= 1 && month <= 12 && { month }) };
}

/** A paper's record; its journal reference and DOI come from its extras unless `extra` gives others. */
export function citationRecord(paper: Paper, extra: { readonly journal?: string } = {}): CitationRecord {
  const arxivId = arxivIdOf(paper.id);
  const primaryClass = paper.categories?.[0];
  const journalRef = extra.journal ?? paper.extras?.journalRef;
  const journal = journalRef === undefined ? "" : cleanField(journalRef);
  const doi = paper.extras?.doi;
  return {
    paperId: paper.id,
    title: cleanField(paper.title),
    authors: paper.authors.map(splitName).filter((name) => name.family !== ""),
    ...yearMonth(paper.publishedAt),
    ...(paper.url !== undefined && /^https?:\/\//.test(paper.url) && { url: paper.url }),
    ...(arxivId !== undefined && { arxivId }),
    ...(primaryClass !== undefined && { primaryClass }),
    ...(journal !== "" && { journal }),
    ...(doi !== undefined && { doi }),
  };
}
