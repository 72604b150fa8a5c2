import { XMLParser, XMLValidator } from "fast-xml-parser";
import { runSteps, type Steps } from "../runtime/steps.ts";
import type { RawPaper } from "./build-paper.ts";
import type { RawExtras } from "./clean-extras.ts";
import { cleanLine } from "./clean-text.ts";
import { arxivIdOf, arxivIdOfUrl } from "./paper-id.ts";
import type { ReaderEntry, ReaderWarning } from "./reader-result.ts";
import { splitFeedSteps } from "./split-feed.ts";

/**
 * arXiv's Atom API (export.arxiv.org/api/query) and its RSS listings (rss.arxiv.org, RSS 2.0, and the
 * older RSS 1.0 / RDF ones). Ids lose their version suffix, so v1 and v2 of a paper are one paper.
 */

export type FeedFormat = "atom" | "rss";

/** One feed entry: its paper with arXiv categories (primary first) and, where the feed says, the update day. */
export type FeedEntry = ReaderEntry;

export interface FeedResult {
  readonly format: FeedFormat;
  readonly entries: FeedEntry[];
  readonly skipped: number;
  readonly warnings: ReaderWarning[];
}

/** The body is not a feed we can read: broken XML, or XML of another kind. One line. */
export class FeedError extends Error {
  override readonly name = "FeedError";
}

const REPEATED = new Set(["entry", "item", "author", "category", "link"]);

/**
 * A feed is remote, untrusted text. The parser never resolves an external entity (it refuses a body
 * that declares one, and fetches nothing), and internal entities a DOCTYPE declares are bounded in
 * number, size and expansion, so a "billion laughs" body is refused instead of filling the heap.
 */
const ENTITY_LIMITS = {
  enabled: true,
  maxEntityCount: 100,
  maxEntitySize: 1024,
  maxExpansionDepth: 4,
  maxTotalExpansions: 10_000,
  maxExpandedLength: 1024 * 1024,
};

const parser = new XMLParser({
  processEntities: ENTITY_LIMITS,
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  // Ids such as 2507.09080 must stay strings: as numbers they would lose their trailing zero.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

export function readArxivFeed(content: string): FeedResult {
  return runSteps(readArxivFeedSteps(content));
}

/**
 * {@link readArxivFeed} as steps that pause between entries: the feed is cut into its entries, and each
 * is validated, parsed and read on its own. A feed that does not cut cleanly is read whole, at once.
 */
export function* readArxivFeedSteps(content: string): Steps<FeedResult> {
  if (longestTextRun(content) > MAX_TEXT_RUN)
    throw new FeedError(
      `has an element with over ${MAX_TEXT_RUN / 1024 / 1024} MB of text; no feed entry is that long`,
    );
  const split = yield* splitFeedSteps(content);
  if (split === undefined || XMLValidator.validate(split.skeleton) !== true) return yield* readWhole(content);
  const document = asRecord(parse(split.skeleton));
  const entries: unknown[] = [];
  for (const batch of batchesOf(split.entries.map((chunk) => chunk.text))) {
    yield;
    // A broken entry: the whole document's validation says where, as it would say without the cut.
    if (XMLValidator.validate(batch) !== true) return yield* readWhole(content);
    // The batch is <cut> around entries of one kind: the parser gives { cut: { entry: [their content] } }.
    entries.push(...Object.values(asRecord(asRecord(parse(batch)).cut)).flatMap(list));
  }
  return yield* readDocument(document, () => entries);
}

/**
 * The most text one element of a feed may hold. An arXiv abstract is a few kilobytes; the parser's time
 * grows faster than a text node's length (about 7 s for one of 20 MB), so longer ones are refused unread.
 */
const MAX_TEXT_RUN = 1024 * 1024;

/** The longest stretch of the content between two markup characters: one scan, no parsing. */
function longestTextRun(content: string): number {
  let longest = 0;
  let from = 0;
  for (let at = content.indexOf("<"); at >= 0; at = content.indexOf("<", from)) {
    longest = Math.max(longest, at - from);
    from = at + 1;
  }
  return Math.max(longest, content.length - from);
}

/** Characters parsed at a time: about a millisecond's work, and few enough parser calls to cost little. */
const BATCH_CHARS = 12 * 1024;

/** The entries' texts joined a few at a time inside a <cut> element, so each batch parses as one document. */
function* batchesOf(texts: readonly string[]): Generator<string> {
  let batch: string[] = [];
  let size = 0;
  for (const text of texts) {
    batch.push(text);
    size += text.length;
    if (size >= BATCH_CHARS) {
      yield `<cut>${batch.join("")}</cut>`;
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) yield `<cut>${batch.join("")}</cut>`;
}

/** The whole document at once: for a feed that could not be cut into entries, and to word its errors. */
function* readWhole(content: string): Steps<FeedResult> {
  const valid = XMLValidator.validate(content);
  if (valid !== true) {
    throw new FeedError(
      `is not valid XML (line ${valid.err.line}: ${cleanLine(valid.err.msg).slice(0, 120)})`,
    );
  }
  return yield* readDocument(asRecord(parse(content)), (found) => found);
}

/** Parses XML; whatever the parser refuses (an external entity, entities past the limits) is a FeedError. */
function parse(xml: string): unknown {
  try {
    return parser.parse(xml);
  } catch (error) {
    throw new FeedError(
      `is XML we do not read (${cleanLine(String((error as Error)?.message ?? error)).slice(0, 120)})`,
    );
  }
}

/**
 * The feed's entries as papers. `entriesOf` gets the entries the document holds at the feed's place for
 * them and gives those to read: a cut feed's skeleton holds none there, and its entries come apart.
 */
function* readDocument(
  document: Record<string, unknown>,
  entriesOf: (found: unknown[]) => unknown[],
): Steps<FeedResult> {
  const feed = asRecord(document.feed);
  if (document.feed !== undefined) return yield* collect("atom", entriesOf(list(feed.entry)), readAtomEntry);
  const rss = asRecord(document.rss);
  if (document.rss !== undefined)
    return yield* collect("rss", entriesOf(list(asRecord(rss.channel).item)), readRssItem);
  if (document.RDF !== undefined)
    return yield* collect("rss", entriesOf(list(asRecord(document.RDF).item)), readRssItem);
  throw new FeedError("is XML but not an Atom or RSS feed");
}

type Reader = (entry: Record<string, unknown>) => Omit<FeedEntry, "line"> | { problem: string };

function* collect(format: FeedFormat, items: unknown[], read: Reader): Steps<FeedResult> {
  const entries: FeedEntry[] = [];
  const warnings: ReaderWarning[] = [];
  for (const [index, item] of items.entries()) {
    yield;
    const label = `entry ${index + 1}`;
    const found = read(asRecord(item));
    if ("problem" in found) warnings.push({ message: `${label} skipped: ${found.problem}` });
    // The parser keeps no line numbers; the entry's position names it instead.
    else entries.push({ ...found, line: index + 1, label });
  }
  return { format, entries, skipped: warnings.length, warnings };
}

function readAtomEntry(entry: Record<string, unknown>): Omit<FeedEntry, "line"> | { problem: string } {
  const idText = text(entry.id);
  // The API reports a bad query as a feed with one entry whose id points at its error page.
  if (/arxiv\.org\/api\/errors/i.test(idText)) return { problem: `arXiv API error: ${text(entry.summary)}` };
  const links = list(entry.link).map(asRecord);
  const alternate = links.find((link) => link["@rel"] === "alternate" || link["@rel"] === undefined);
  const pdf = links.find((link) => link["@title"] === "pdf" || link["@type"] === "application/pdf");
  const id = arxivIdOfUrl(idText) ?? arxivIdOf(idText) ?? arxivIdOfUrl(text(alternate?.["@href"]));
  const primary = text(asRecord(entry.primary_category)["@term"]);
  const categories = list(entry.category).map((category) => text(asRecord(category)["@term"]));
  return {
    raw: {
      ...arxivLinks(id, text(alternate?.["@href"]), text(pdf?.["@href"])),
      title: text(entry.title),
      abstract: text(entry.summary),
      authors: list(entry.author).map((author) => text(asRecord(author).name)),
      publishedAt: isoDate(text(entry.published)),
      // Every version's date: the same as published for a v1.
      updatedAt: isoDate(text(entry.updated)),
      // The primary category is also among the <category> elements; ACM and MSC classes there are
      // dropped when the paper is built, as they are not arXiv codes.
      categories: uniqueNonEmpty([primary, ...categories]),
      extras: arxivExtras(text(entry.comment), text(entry.journal_ref), text(entry.doi)),
    },
  };
}

function readRssItem(item: Record<string, unknown>): Omit<FeedEntry, "line"> | { problem: string } {
  const link = text(item.link);
  const guid = text(item.guid);
  const about = text(item["@about"]);
  const id = arxivIdOfUrl(link) ?? arxivIdOfUrl(about) ?? arxivIdOf(guid.replace(/^oai:arXiv\.org:/i, ""));
  // RSS 1.0 titles end "(arXiv:2101.00001v1 [cs.CL])", with " UPDATED" for a new version; RSS 2.0
  // descriptions start with the id and the announce type ("new", "cross", "replace", "replace-cross").
  // Titles are plain text ("x < y" is a title); descriptions and creators are HTML only in some listings.
  const fullTitle = text(item.title);
  const titleTag = RSS1_TITLE_TAG.exec(fullTitle);
  const description = maybeHtml(text(item.description));
  const announced = ANNOUNCE_LINE.exec(description);
  const abstract = announced === null ? description : description.slice(announced[0].length);
  const creators = maybeHtml(list(item.creator).map(text).join(", "));
  const categories = list(item.category).map((category) =>
    typeof category === "object" ? text(asRecord(category)["#text"]) : text(category),
  );
  if (categories.length === 0 && titleTag?.[1] !== undefined) categories.push(titleTag[1]);
  const announceType = (text(item.announce_type) || announced?.[1] || "").toLowerCase();
  const day = isoDate(text(item.pubDate) || text(item.date));
  // A replacement is announced on the day of its new version; when the paper itself came out, the
  // listing does not say, so that date stays unknown rather than wrong.
  const replaced = announceType.startsWith("replace") || titleTag?.[2] !== undefined;
  return {
    raw: {
      ...arxivLinks(id, link, ""),
      title: titleTag === null ? fullTitle : fullTitle.slice(0, titleTag.index),
      abstract,
      authors: creators
        .split(/\s*,\s*|\s+and\s+/)
        .map((name) => name.trim())
        .filter((name) => name !== ""),
      ...(replaced ? { updatedAt: day } : { publishedAt: day }),
      categories: uniqueNonEmpty(categories),
      // rss.arxiv.org lists these two for a published paper; it has no comment element.
      extras: arxivExtras("", text(item.journal_reference), text(item.DOI)),
    },
  };
}

/** arXiv's `comment`, `journal_ref` and `doi` (Atom; `journal_reference` and `DOI` in RSS), when there are any. */
function arxivExtras(arxivComment: string, journalRef: string, doi: string): RawExtras | undefined {
  if (arxivComment === "" && journalRef === "" && doi === "") return undefined;
  return { arxivComment, journalRef, doi };
}

// "(arXiv:2101.00001v2 [cs.CL] UPDATED)" at the end of an RSS 1.0 title: the primary category, and whether
// this is a new version.
const RSS1_TITLE_TAG = /\s*\(arXiv:[^)\s]*(?:\s+\[([^\]]*)\])?(\s+UPDATED)?[^)]*\)\s*$/;
const ANNOUNCE_LINE = /^arXiv:\S+\s+Announce Type:\s*(\S+)\s*(?:Abstract:\s*)?/i;

/** Version-free https links for an arXiv id, so every version of a paper shows the same buttons. */
function arxivLinks(id: string | undefined, pageUrl: string, pdfUrl: string): Partial<RawPaper> {
  if (id !== undefined)
    return { id, url: `https://arxiv.org/abs/${id}`, pdfUrl: `https://arxiv.org/pdf/${id}` };
  return {
    ...(/^https?:\/\//.test(pageUrl) ? { url: pageUrl } : {}),
    ...(/^https?:\/\//.test(pdfUrl) ? { pdfUrl } : {}),
  };
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** An element's text whether the parser made it a string or an object with attributes. */
function text(value: unknown): string {
  if (typeof value === "string") return cleanLine(value);
  if (typeof value === "number") return String(value);
  if (typeof value === "object" && value !== null && "#text" in value) return text(value["#text"]);
  return "";
}

function isoDate(value: string): string | undefined {
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function uniqueNonEmpty(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ""))];
}

const HTML_MARKUP = /<\/(?:p|a|i|b|em|strong|sub|sup|span|div)>|<(?:p|a|br)[\s>/]/i;

function maybeHtml(content: string): string {
  return HTML_MARKUP.test(content) ? htmlToText(content) : content;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** RSS descriptions and creators carry escaped HTML ("<p>…</p>", "<a href…>Name</a>"): tags out, entities decoded. */
function htmlToText(html: string): string {
  return cleanLine(
    html.replace(/<[^>]*>/g, " ").replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith("#")) {
        const code =
          name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    }),
  );
}
