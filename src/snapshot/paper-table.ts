import type { Paper } from "../core/paper.ts";
import type { Steps } from "../runtime/steps.ts";
import { decodeExtras, encodeExtrasSteps } from "./paper-extras-table.ts";
import { type Section, type SectionReader, SnapshotError, sectionOf } from "./sections.ts";

/**
 * Papers as flat columns: their strings in one UTF-8 section with end offsets, numbers in one float
 * section, which optional fields each has in a flags byte, authors as ids into one table of names,
 * categories as ids into a table of lists, extras sparse (paper-extras-table.ts). Read back, each name and each list of categories is one
 * object shared by its papers, as a load's NamePool makes them.
 *
 * A paper read back keeps its abstract off the JS heap: `abstract` is an enumerable getter that
 * decodes it from the table's UTF-8 buffer at each read (a card, a snippet, a phrase check, a
 * merge's comparison), so spreads, JSON and structured clones still see a plain string. The buffer
 * lives as long as any of its papers. The heap then holds no copy of the abstracts, which made a
 * snapshot start at 100k papers shorter (docs/benchmarks.md); a phrase query, which reads the
 * abstracts of its candidates, pays their decoding instead.
 */

/** Per paper, in this order: the strings of the paper, "" where an optional one is absent. */
const STRING_FIELDS = [
  "id",
  "title",
  "abstract",
  "url",
  "pdfUrl",
  "publishedAt",
  "updatedAt",
  "featuredAt",
] as const;
const STRINGS = STRING_FIELDS.length;
const HAS_URL = 1;
const HAS_PDF_URL = 2;
const HAS_PUBLISHED = 4;
const HAS_UPDATED = 8;
const HAS_FEATURED = 16;
const HAS_UPVOTES = 32;
const HAS_COMMENTS = 64;
const HAS_CATEGORIES = 128;
/** Numbers per paper: rank, upvotes, comments. */
const NUMBERS = 3;
const PAPERS_PER_STEP = 256;
/** The one list of authors every paper without authors shares, as build-paper.ts does. */
const NO_AUTHORS: readonly string[] = Object.freeze([]);
/** Where a decoded paper keeps its position in the table, for its abstract. */
const AT = Symbol("paper position");

export interface PaperTableMeta {
  readonly count: number;
  readonly sources: readonly string[];
  readonly categoryLists: readonly string[];
}

export function* encodePapersSteps(
  papers: readonly Paper[],
): Steps<{ meta: PaperTableMeta; sections: Section[] }> {
  const count = papers.length;
  const flags = new Uint8Array(count);
  const numbers = new Float64Array(count * NUMBERS);
  const sourceIds = new Uint32Array(count);
  const categoryIds = new Int32Array(count);
  const authorStart = new Uint32Array(count + 1);
  const sources = new Map<string, number>();
  const lists = new Map<string, number>();
  const names = new Map<string, number>();
  const authorIds: number[] = [];
  const strings: string[] = new Array(count * STRINGS);
  for (let i = 0; i < count; i++) {
    if (i % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
    const paper = papers[i] as Paper;
    let flag = 0;
    if (paper.url !== undefined) flag |= HAS_URL;
    if (paper.pdfUrl !== undefined) flag |= HAS_PDF_URL;
    if (paper.publishedAt !== undefined) flag |= HAS_PUBLISHED;
    if (paper.updatedAt !== undefined) flag |= HAS_UPDATED;
    if (paper.featuredAt !== undefined) flag |= HAS_FEATURED;
    if (paper.upvotes !== undefined) flag |= HAS_UPVOTES;
    if (paper.comments !== undefined) flag |= HAS_COMMENTS;
    if (paper.categories !== undefined) flag |= HAS_CATEGORIES;
    flags[i] = flag;
    for (let f = 0; f < STRINGS; f++) strings[i * STRINGS + f] = paper[STRING_FIELDS[f] as "id"] ?? "";
    numbers[i * NUMBERS] = paper.rank;
    numbers[i * NUMBERS + 1] = paper.upvotes ?? 0;
    numbers[i * NUMBERS + 2] = paper.comments ?? 0;
    sourceIds[i] = idOf(sources, paper.source);
    categoryIds[i] = paper.categories === undefined ? -1 : idOf(lists, paper.categories.join(" "));
    for (const name of paper.authors) authorIds.push(idOf(names, name));
    authorStart[i + 1] = authorIds.length;
  }
  const text = yield* utf8Steps(strings);
  const nameText = yield* utf8Steps([...names.keys()]);
  const extras = yield* encodeExtrasSteps(papers);
  return {
    meta: { count, sources: [...sources.keys()], categoryLists: [...lists.keys()] },
    sections: [
      sectionOf("papers.flags", flags),
      sectionOf("papers.numbers", numbers),
      sectionOf("papers.sources", sourceIds),
      sectionOf("papers.categories", categoryIds),
      sectionOf("papers.authorStart", authorStart),
      sectionOf("papers.authors", Uint32Array.from(authorIds)),
      { name: "papers.text", type: "utf8", bytes: text.bytes },
      sectionOf("papers.textEnds", text.ends),
      { name: "papers.names", type: "utf8", bytes: nameText.bytes },
      sectionOf("papers.nameEnds", nameText.ends),
      ...extras,
    ],
  };
}

export function decodePapers(meta: PaperTableMeta, sections: SectionReader): Paper[] {
  const { count } = meta;
  if (!Number.isSafeInteger(count) || count < 0) throw new SnapshotError("paper count is malformed");
  if (!Array.isArray(meta.sources) || !Array.isArray(meta.categoryLists))
    throw new SnapshotError("paper tables are malformed");
  const flags = sections.u8("papers.flags");
  const numbers = sections.f64("papers.numbers");
  const sourceIds = sections.u32("papers.sources");
  const categoryIds = sections.i32("papers.categories");
  const authorStart = sections.u32("papers.authorStart");
  const authorIds = sections.u32("papers.authors");
  const text = sections.text("papers.text");
  const ends = sections.u32("papers.textEnds");
  const names = decodeStrings(sections.text("papers.names"), sections.u32("papers.nameEnds"));
  if (
    flags.length !== count ||
    numbers.length !== count * NUMBERS ||
    sourceIds.length !== count ||
    categoryIds.length !== count ||
    authorStart.length !== count + 1 ||
    ends.length !== count * STRINGS ||
    authorStart[count] !== authorIds.length
  )
    throw new SnapshotError("paper columns do not match the paper count");
  checkEnds(ends, text.byteLength);
  for (let k = 0; k < authorIds.length; k++)
    if ((authorIds[k] as number) >= names.length) throw new SnapshotError("an author id is out of range");
  const lists = meta.categoryLists.map((list) => Object.freeze(String(list).split(" ")));
  const sources = meta.sources.map(String);
  const papers = new Array<Paper>(count);
  // One descriptor, one getter for every paper of this table, so they all share one hidden class.
  const abstract: PropertyDescriptor = {
    get(this: { [AT]: number }): string {
      const i = this[AT] * STRINGS + 2;
      return slice(text, ends[i - 1] as number, ends[i] as number);
    },
    enumerable: true,
    configurable: true,
  };
  let at = 0;
  const next = (): string => {
    const start = at === 0 ? 0 : (ends[at - 1] as number);
    const end = ends[at++] as number;
    return start === end ? "" : slice(text, start, end);
  };
  for (let i = 0; i < count; i++) {
    const flag = flags[i] as number;
    const id = next();
    const title = next();
    at++; // the abstract: read on access (see abstractOf)
    const url = next();
    const pdfUrl = next();
    const publishedAt = next();
    const updatedAt = next();
    const featuredAt = next();
    const from = authorStart[i] as number;
    const to = authorStart[i + 1] as number;
    if (from > to) throw new SnapshotError("author offsets go backwards");
    let authors = NO_AUTHORS;
    if (to > from) {
      const list = new Array<string>(to - from);
      for (let k = from; k < to; k++) list[k - from] = names[authorIds[k] as number] as string;
      authors = list;
    }
    const source = sources[sourceIds[i] as number];
    if (source === undefined) throw new SnapshotError("a source id is out of range");
    const categoryId = categoryIds[i] as number;
    const categories = categoryId < 0 ? undefined : lists[categoryId];
    if ((flag & HAS_CATEGORIES) !== 0 && categories === undefined)
      throw new SnapshotError("a category id is out of range");
    // The same keys in the same order as build-paper.ts gives them, added one by one: spreading
    // `{ url }` objects made decoding twice as slow.
    const paper = { id, title } as { -readonly [K in keyof Paper]: Paper[K] } & { [AT]: number };
    Object.defineProperty(paper, "abstract", abstract);
    Object.defineProperty(paper, AT, { value: i, enumerable: false });
    paper.authors = authors;
    paper.rank = numbers[i * NUMBERS] as number;
    paper.source = source;
    if ((flag & HAS_URL) !== 0) paper.url = url;
    if ((flag & HAS_PDF_URL) !== 0) paper.pdfUrl = pdfUrl;
    if ((flag & HAS_PUBLISHED) !== 0) paper.publishedAt = publishedAt;
    if ((flag & HAS_UPDATED) !== 0) paper.updatedAt = updatedAt;
    if ((flag & HAS_FEATURED) !== 0) paper.featuredAt = featuredAt;
    if ((flag & HAS_UPVOTES) !== 0) paper.upvotes = numbers[i * NUMBERS + 1] as number;
    if ((flag & HAS_COMMENTS) !== 0) paper.comments = numbers[i * NUMBERS + 2] as number;
    if ((flag & HAS_CATEGORIES) !== 0 && categories !== undefined) paper.categories = categories;
    papers[i] = paper;
  }
  // Last, as build-paper.ts adds them last: a paper with extras gets them as its final key.
  decodeExtras(papers, sections);
  return papers;
}

function idOf(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = ids.size;
    ids.set(key, id);
  }
  return id;
}

/** The strings as one UTF-8 buffer and each one's end offset in it. */
export function* utf8Steps(strings: readonly string[]): Steps<{ bytes: Buffer; ends: Uint32Array }> {
  const ends = new Uint32Array(strings.length);
  let total = 0;
  for (let i = 0; i < strings.length; i++) {
    if (i % (PAPERS_PER_STEP * STRINGS) === 0) yield;
    total += Buffer.byteLength(strings[i] as string, "utf8");
    if (total > 0xffff_ffff) throw new SnapshotError("text too large for a snapshot");
    ends[i] = total;
  }
  const bytes = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < strings.length; i++) {
    if (i % (PAPERS_PER_STEP * STRINGS) === 0) yield;
    offset += bytes.write(strings[i] as string, offset, "utf8");
  }
  return { bytes, ends };
}

export function decodeStrings(bytes: Buffer, ends: Uint32Array): string[] {
  checkEnds(ends, bytes.byteLength);
  const strings = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    strings[i] = slice(bytes, start, end);
    start = end;
  }
  return strings;
}

function checkEnds(ends: Uint32Array, byteLength: number): void {
  let previous = 0;
  // Indexed, not for-of: see image-sections.ts's below().
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    if (end < previous) throw new SnapshotError("text offsets go backwards");
    previous = end;
  }
  if (previous !== byteLength) throw new SnapshotError("text offsets do not end with the text");
}

/** Buffer's own UTF-8 slice, without toString's argument handling (a third faster over 800k strings). */
function slice(bytes: Buffer, start: number, end: number): string {
  const fast = (bytes as Buffer & { utf8Slice?: (start: number, end: number) => string }).utf8Slice;
  return fast === undefined ? bytes.toString("utf8", start, end) : fast.call(bytes, start, end);
}
