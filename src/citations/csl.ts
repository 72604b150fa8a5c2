import type { CitationRecord } from "./citation-record.ts";

/** A CSL-JSON item (the fields this bot fills), as Zotero, Pandoc and citeproc read it. */
export interface CslItem {
  readonly id: string;
  readonly type: "article" | "article-journal";
  readonly title: string;
  readonly author: readonly { readonly family: string; readonly given?: string; readonly suffix?: string }[];
  readonly issued?: { readonly "date-parts": readonly (readonly number[])[] };
  readonly URL?: string;
  readonly "container-title"?: string;
  readonly DOI?: string;
  /** The arXiv id, with `publisher: "arXiv"`: how Zotero files an arXiv preprint. */
  readonly number?: string;
  readonly publisher?: string;
}

/** A record as CSL-JSON under its citation key: `article` (CSL's preprint) or, with a journal, `article-journal`. */
export function cslItem(record: CitationRecord, key: string): CslItem {
  const date = record.month === undefined ? [record.year] : [record.year, record.month];
  return {
    id: key,
    type: record.journal === undefined ? "article" : "article-journal",
    title: record.title,
    author: record.authors.map((name) => ({
      family: name.family,
      ...(name.given && { given: name.given }),
      ...(name.suffix && { suffix: name.suffix }),
    })),
    ...(record.year !== undefined && { issued: { "date-parts": [date as number[]] } }),
    ...(record.url !== undefined && { URL: record.url }),
    ...(record.journal !== undefined && { "container-title": record.journal }),
    ...(record.doi !== undefined && { DOI: record.doi }),
    ...(record.arxivId !== undefined && { number: record.arxivId, publisher: "arXiv" }),
  };
}
