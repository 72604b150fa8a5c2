import type { Paper, PaperExtras } from "../core/paper.ts";
import { cleanExtras, type RawExtras } from "./clean-extras.ts";
import {
  ABSTRACT_MAX_CHARS,
  capLength,
  cleanCategories,
  cleanLine,
  hasWordCharacter,
  TITLE_MAX_CHARS,
} from "./clean-text.ts";
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
  readonly updatedAt?: string | undefined;
  readonly featuredAt?: string | undefined;
  /** arXiv category codes as the source lists them, primary first; cleaned and checked here. */
  readonly categories?: readonly string[] | undefined;
  readonly upvotes?: number | undefined;
  readonly comments?: number | undefined;
  /**
   * The record's own position in its source's list (our record format's `rank`), when it gives one:
   * a source's cache keeps each paper's rank from the fetch that listed it.
   */
  readonly rank?: number | undefined;
  /** Enrichment as the source gave it; cleaned here, and dropped field by field where it is not usable. */
  readonly extras?: RawExtras | undefined;
}

export type BuiltPaper = { readonly paper: Paper; readonly notes: string[] } | { readonly problem: string };

/** Papers without authors all share this one empty list: a million of them would otherwise cost ~30 MB. */
const NO_AUTHORS: readonly string[] = Object.freeze([]);

/**
 * One copy of each author name per load: names repeat across papers (a prolific author, a common
 * name), and a name string costs ~40 bytes however often it is repeated.
 */
export class NamePool {
  readonly #names = new Map<string, string>();
  readonly #lists = new Map<string, readonly string[]>();

  intern(name: string): string {
    const known = this.#names.get(name);
    if (known !== undefined) return known;
    // Frequent names come early and stay; past the cap, a bigger table only costs cache misses
    // (a million papers' 700k distinct names made interning ~4 s slower than this).
    if (this.#names.size < MAX_POOLED_NAMES) this.#names.set(name, name);
    return name;
  }

  /**
   * One frozen copy of each list of short codes (arXiv categories): a listing's papers share a few
   * combinations ("cs.CL", "cs.CL cs.LG"), and a million papers' own arrays would cost ~50 MB.
   */
  internList(values: readonly string[]): readonly string[] {
    const key = values.join(" ");
    const known = this.#lists.get(key);
    if (known !== undefined) return known;
    const list = Object.freeze(values.map((value) => this.intern(value)));
    if (this.#lists.size < MAX_POOLED_LISTS) this.#lists.set(key, list);
    return list;
  }
}

const MAX_POOLED_NAMES = 1 << 18;
const MAX_POOLED_LISTS = 1 << 14;

/**
 * Turns a reader's raw record into a Paper: clean bounded text, a stable id, and arXiv links when the
 * id is an arXiv id and the record brought none. Returns a problem instead when no title or abstract is left.
 * `position` is the paper's 1-based place in its file: its rank, unless the record gives its own.
 */
export function buildPaper(raw: RawPaper, position: number, source: string, names?: NamePool): BuiltPaper {
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
  const authors = authorNames(raw.authors, names);
  const categories = categoryCodes(raw.categories, names);
  const extras = pooledExtras(cleanExtras(raw.extras), names);

  const paper: Paper = {
    id,
    title,
    abstract: capLength(fullAbstract, ABSTRACT_MAX_CHARS),
    authors,
    rank: raw.rank ?? position,
    source,
    ...(url === undefined ? {} : { url }),
    ...(pdfUrl === undefined ? {} : { pdfUrl }),
    ...(raw.publishedAt === undefined ? {} : { publishedAt: raw.publishedAt }),
    ...(raw.updatedAt === undefined ? {} : { updatedAt: raw.updatedAt }),
    ...(raw.featuredAt === undefined ? {} : { featuredAt: raw.featuredAt }),
    ...(raw.upvotes === undefined ? {} : { upvotes: raw.upvotes }),
    ...(raw.comments === undefined ? {} : { comments: raw.comments }),
    ...(categories === undefined ? {} : { categories }),
    ...(extras === undefined ? {} : { extras }),
  };
  return { paper, notes };
}

/** Clean author names, without the ones left with no word, in an array of exactly their number. */
function authorNames(raw: readonly string[] | undefined, names: NamePool | undefined): readonly string[] {
  if (raw === undefined || raw.length === 0) return NO_AUTHORS;
  // map() sizes its result exactly; filter() and push() leave room for ~17 entries in every array.
  let authors = raw.map(cleanLine);
  if (!authors.every(hasWordCharacter)) authors = authors.filter(hasWordCharacter).slice();
  if (authors.length === 0) return NO_AUTHORS;
  if (names !== undefined)
    for (let i = 0; i < authors.length; i++) authors[i] = names.intern(authors[i] as string);
  return authors;
}

/** Clean category codes (see cleanCategories), shared between papers with the same list; undefined for none. */
function categoryCodes(
  raw: readonly string[] | undefined,
  names: NamePool | undefined,
): readonly string[] | undefined {
  if (raw === undefined || raw.length === 0) return undefined;
  const codes = cleanCategories(raw);
  if (codes.length === 0) return undefined;
  return names === undefined ? codes : names.internList(codes);
}

/** The summary's author is one of a few names ("Hugging Face"): one copy of it per load, not per paper. */
function pooledExtras(extras: PaperExtras | undefined, names: NamePool | undefined): PaperExtras | undefined {
  if (extras?.tldrBy === undefined || names === undefined) return extras;
  return { ...extras, tldrBy: names.intern(extras.tldrBy) };
}
