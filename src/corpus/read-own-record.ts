import { z } from "zod";
import { EXTRA_TEXT_KEYS } from "../core/paper.ts";
import type { RawPaper } from "./build-paper.ts";
import type { RawExtras } from "./clean-extras.ts";
import {
  authorList,
  authorNames,
  categoryCodes,
  categoryList,
  count,
  describeIssues,
  isoDate,
  orUndefined,
  position,
  splitCategoryCodes,
  webUrl,
} from "./record-fields.ts";

/** Our own record format, one per JSON array element or JSONL line. `summary` is accepted for `abstract`. */
const ownRecord = z
  .object({
    // Whole numbers only: a float such as 2507.09080 would lose digits and pass for another arXiv id.
    id: z.union([z.string(), z.number().int()]).nullish(),
    title: z.string("title must be a string"),
    abstract: z.string().nullish(),
    summary: z.string().nullish(),
    authors: authorList.nullish(),
    url: webUrl.nullish(),
    pdfUrl: webUrl.nullish(),
    publishedAt: isoDate.nullish(),
    updatedAt: isoDate.nullish(),
    featuredAt: isoDate.nullish(),
    upvotes: count.nullish(),
    comments: count.nullish(),
    categories: categoryList.nullish(),
    rank: position.nullish(),
    tldr: z.string().nullish(),
    tldrBy: z.string().nullish(),
    codeUrl: webUrl.nullish(),
    codeStars: count.nullish(),
    projectUrl: webUrl.nullish(),
    arxivComment: z.string().nullish(),
    journalRef: z.string().nullish(),
    doi: z.string().nullish(),
  })
  .refine((record) => (record.abstract ?? record.summary ?? "").trim() !== "", {
    message: "has no abstract (or summary)",
    path: ["abstract"],
  });

/**
 * Reads one record. Plain, well-formed records (nearly all of a large file) take a hand-written check
 * that accepts only what the schema accepts and yields what it yields, ~10x cheaper than the schema;
 * anything else goes through the schema, so a bad record gets the schema's own message.
 */
export function readOwnRecord(value: unknown, dates?: IsoDateCache): RawPaper | { problem: string } {
  return readPlainRecord(value, dates) ?? readWithSchema(value);
}

/** The schema alone: the reference the fast path must agree with. */
export function readWithSchema(value: unknown): RawPaper | { problem: string } {
  const parsed = ownRecord.safeParse(value);
  if (!parsed.success) return { problem: describeIssues(parsed.error) };
  const record = parsed.data;
  return {
    id: record.id === null || record.id === undefined ? undefined : String(record.id),
    title: record.title,
    abstract: record.abstract ?? record.summary ?? "",
    authors: authorNames(record.authors),
    url: orUndefined(record.url),
    pdfUrl: orUndefined(record.pdfUrl),
    publishedAt: orUndefined(record.publishedAt),
    updatedAt: orUndefined(record.updatedAt),
    featuredAt: orUndefined(record.featuredAt),
    upvotes: orUndefined(record.upvotes),
    comments: orUndefined(record.comments),
    categories: categoryCodes(record.categories),
    rank: orUndefined(record.rank),
    extras: extrasOf(record),
  };
}

/** The record's enrichment fields that are set, or undefined for none: most records have none. */
function extrasOf(record: { readonly [K in keyof RawExtras]?: unknown }): RawExtras | undefined {
  let extras: { -readonly [K in keyof RawExtras]: unknown } | undefined;
  for (const key of EXTRA_KEYS) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    extras ??= {};
    extras[key] = value;
  }
  return extras;
}

/** The enrichment fields of our record format: the names of Paper's `extras`, at the record's top level. */
const EXTRA_KEYS = [...EXTRA_TEXT_KEYS, "codeStars"] as const;

/**
 * Dates as the schema normalises them (trimmed, then `new Date(…).toISOString()`), remembered per load:
 * a corpus has few distinct days, so this saves the parsing and keeps one string per day, not per paper.
 */
export class IsoDateCache {
  readonly #known = new Map<string, string>();

  /** The ISO form of `value`, or undefined when it is not a date. */
  iso(value: string): string | undefined {
    let iso = this.#known.get(value);
    if (iso === undefined) {
      const trimmed = value.trim();
      if (Number.isNaN(Date.parse(trimmed))) return undefined;
      iso = new Date(trimmed).toISOString();
      // Only a guard against a corpus of all-distinct timestamps growing the cache without end.
      if (this.#known.size >= 100_000) this.#known.clear();
      this.#known.set(value, iso);
    }
    return iso;
  }
}

// Links the schema passes through unchanged: http(s) with "://", printable ASCII only, so nothing for it to
// trim or strip. URL.canParse still has the final say, as it has in the schema.
const PLAIN_WEB_URL = /^https?:\/\/[\x21-\x7E]+$/;
const MISSING = Symbol("missing");
type Field<T> = T | undefined | typeof MISSING;

function readPlainRecord(value: unknown, dates = new IsoDateCache()): RawPaper | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const { title, abstract, summary } = record;
  if (typeof title !== "string") return undefined;
  if (!isOptional(abstract, "string") || !isOptional(summary, "string")) return undefined;
  const text = (abstract ?? summary ?? "") as string;
  if (text.trim() === "") return undefined;

  const id = plainId(record.id);
  const authors = plainAuthors(record.authors);
  const url = plainUrl(record.url);
  const pdfUrl = plainUrl(record.pdfUrl);
  const publishedAt = plainDate(record.publishedAt, dates);
  const updatedAt = plainDate(record.updatedAt, dates);
  const featuredAt = plainDate(record.featuredAt, dates);
  const upvotes = plainCount(record.upvotes);
  const comments = plainCount(record.comments);
  const categories = plainCategories(record.categories);
  const rank = plainPosition(record.rank);
  const extras = plainExtras(record);
  if (
    id === MISSING ||
    authors === MISSING ||
    url === MISSING ||
    pdfUrl === MISSING ||
    publishedAt === MISSING ||
    updatedAt === MISSING ||
    featuredAt === MISSING ||
    upvotes === MISSING ||
    comments === MISSING ||
    categories === MISSING ||
    rank === MISSING ||
    extras === MISSING
  ) {
    return undefined;
  }
  return {
    id,
    title,
    abstract: text,
    authors,
    url,
    pdfUrl,
    publishedAt,
    updatedAt,
    featuredAt,
    upvotes,
    comments,
    categories,
    rank,
    extras,
  };
}

/** The enrichment fields when each is plain (a string, an http(s) link, a count), as extrasOf gives them. */
function plainExtras(record: Record<string, unknown>): Field<RawExtras> {
  for (const key of EXTRA_TEXT_KEYS) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    if (key === "codeUrl" || key === "projectUrl" ? plainUrl(value) === MISSING : typeof value !== "string")
      return MISSING;
  }
  if (plainCount(record.codeStars) === MISSING) return MISSING;
  return extrasOf(record);
}

// In these helpers MISSING means "not plain: ask the schema", undefined means absent (null or no key).

function isOptional(value: unknown, type: "string"): boolean {
  return value === undefined || value === null || typeof value === type;
}

function plainId(value: unknown): Field<string> {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  return Number.isSafeInteger(value) ? String(value) : MISSING;
}

function plainAuthors(value: unknown): Field<string[]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return MISSING;
  const names: string[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const author: unknown = value[i];
    if (typeof author === "string") names[i] = author;
    else if (
      typeof author === "object" &&
      author !== null &&
      !Array.isArray(author) &&
      typeof (author as { name?: unknown }).name === "string"
    ) {
      names[i] = (author as { name: string }).name;
    } else return MISSING;
  }
  return names;
}

function plainUrl(value: unknown): Field<string> {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" && PLAIN_WEB_URL.test(value) && URL.canParse(value) ? value : MISSING;
}

function plainDate(value: unknown, dates: IsoDateCache): Field<string> {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return MISSING;
  return dates.iso(value) ?? MISSING;
}

function plainCategories(value: unknown): Field<string[]> {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return splitCategoryCodes(value);
  if (!Array.isArray(value)) return MISSING;
  for (const code of value) if (typeof code !== "string") return MISSING;
  return value as string[];
}

function plainCount(value: unknown): Field<number> {
  if (value === undefined || value === null) return undefined;
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : MISSING;
}

function plainPosition(value: unknown): Field<number> {
  if (value === undefined || value === null) return undefined;
  return Number.isSafeInteger(value) && (value as number) >= 1 ? (value as number) : MISSING;
}
