import type { Paper } from "../paper.ts";
import { ABSTRACT_MAX_CHARS, capLength, cleanLine, hasWordCharacter, TITLE_MAX_CHARS } from "./clean-text.ts";
import { isArxivId, stableId } from "./paper-id.ts";

/** What a reader extracted from one record, before cleaning, ids and links are settled. */
export interface RawPaper {
  readonly id?: string | undefined;
  readonly title: string;
  readonly abstract: string;
  readonly authors?: readonly string[] | undefined;
  readonly url?: string | undefined;
  readonly pdfUrl?: string | undefined;
  readonly publishedAt?: string | undefined;
  readonly featuredAt?: string | undefined;
  readonly upvotes?: number | undefined;
  readonly comments?: number | undefined;
}

export type BuiltPaper = { readonly paper: Paper; readonly notes: string[] } | { readonly problem: string };

/**
 * Turns a reader's raw record into a Paper: clean bounded text, a stable id, and arXiv links when the
 * id is an arXiv id and the record brought none. Returns a problem instead when no title or abstract is left.
 */
export function buildPaper(raw: RawPaper, rank: number, source: string): BuiltPaper {
  const notes: string[] = [];
  // Cleaning only shortens text, so a runaway field is cut well past its cap before the regex work.
  const fullTitle = cleanLine(raw.title.slice(0, TITLE_MAX_CHARS * 5));
  const fullAbstract = cleanLine(raw.abstract.slice(0, ABSTRACT_MAX_CHARS * 5));
  if (!hasWordCharacter(fullTitle)) return { problem: "no title" };
  if (!hasWordCharacter(fullAbstract)) return { problem: "no abstract" };
  if (fullTitle.length > TITLE_MAX_CHARS) notes.push(`title cut to ${TITLE_MAX_CHARS} characters`);
  if (fullAbstract.length > ABSTRACT_MAX_CHARS)
    notes.push(`abstract cut to ${ABSTRACT_MAX_CHARS} characters`);
  const title = capLength(fullTitle, TITLE_MAX_CHARS);

  const id = stableId({ id: raw.id, url: raw.url, pdfUrl: raw.pdfUrl, title: fullTitle });
  const arxiv = isArxivId(id);
  const url = raw.url ?? (arxiv ? `https://arxiv.org/abs/${id}` : undefined);
  const pdfUrl = raw.pdfUrl ?? (arxiv ? `https://arxiv.org/pdf/${id}` : undefined);
  const authors = (raw.authors ?? []).map(cleanLine).filter(hasWordCharacter);

  const paper: Paper = {
    id,
    title,
    abstract: capLength(fullAbstract, ABSTRACT_MAX_CHARS),
    authors,
    rank,
    source,
    ...(url === undefined ? {} : { url }),
    ...(pdfUrl === undefined ? {} : { pdfUrl }),
    ...(raw.publishedAt === undefined ? {} : { publishedAt: raw.publishedAt }),
    ...(raw.featuredAt === undefined ? {} : { featuredAt: raw.featuredAt }),
    ...(raw.upvotes === undefined ? {} : { upvotes: raw.upvotes }),
    ...(raw.comments === undefined ? {} : { comments: raw.comments }),
  };
  return { paper, notes };
}
