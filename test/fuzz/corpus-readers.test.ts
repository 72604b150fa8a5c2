import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { NamePool } from "../../src/corpus/build-paper.ts";
import { ABSTRACT_MAX_CHARS, cleanLine, TITLE_MAX_CHARS } from "../../src/corpus/clean-text.ts";
import { CorpusError } from "../../src/corpus/corpus-error.ts";
import { readCorpusFile } from "../../src/corpus/read-corpus-file.ts";
import { readSourceBodySteps, SourceBodyError } from "../../src/corpus/sources/read-source-body.ts";
import { runSteps } from "../../src/runtime/steps.ts";
import { expectCleanExtras } from "../corpus/expect-clean-extras.ts";
import {
  arxivAtom,
  arxivRdf,
  arxivRss,
  type FeedPaper,
  hfDailyPapers,
  ownRecords,
} from "../fakes/paper-feeds/feed-fixtures.ts";
import { fuzzRuns } from "./fuzz-runs.ts";

/**
 * A feed or a file is untrusted bytes. Whatever they hold, a reader gives either clean papers or
 * its one-line error: never another exception, never a paper with a broken field.
 */

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/corpus/${name}`, import.meta.url), "utf8");
const seedHead = readFileSync(new URL("../../data/papers.txt", import.meta.url), "utf8")
  .split("\n")
  .slice(0, 24)
  .join("\n");

const samplePapers: FeedPaper[] = [
  {
    id: "2507.09080v2",
    title: "Attention & Memory: <b>Bold</b> Claims",
    abstract: "We study attention. It helps & it hurts, sometimes in the same layer.",
    authors: ["Ada Lovelace", "Jean-Luc van der Berg"],
    categories: ["cs.CL", "cs.AI"],
  },
  {
    id: "quant-ph/0701135v1",
    title: "An Old-Style Id",
    abstract: "Qubits, briefly.",
    authors: ["Alan Turing"],
  },
  {
    id: "2501.00001v1",
    title: "Enriched & Published",
    abstract: "It has every enrichment field.",
    comment: "Accepted at <NeurIPS> 2025 & friends",
    journalRef: "Phys. Rev. D 76, 013009 (2007)",
    doi: "10.1103/PhysRevD.76.013009",
    aiSummary: "A TL;DR & <b>more</b>.",
    githubRepo: "https://github.com/a/b",
    githubStars: 42,
    projectPage: "https://a.example/",
  },
];

/** Real bodies (test/fixtures/corpus, seed) and the arXiv shapes, as the starting points of mutation. */
const bodies: Record<string, string> = {
  "fixtures/daily-papers.json": fixture("daily-papers.json"),
  "fixtures/daily-papers-enriched.json": fixture("daily-papers-enriched.json"),
  "daily papers": hfDailyPapers(samplePapers),
  "fixtures/records.json": fixture("records.json"),
  "fixtures/records.jsonl": fixture("records.jsonl"),
  "seed text": seedHead,
  atom: arxivAtom(samplePapers),
  rss: arxivRss(samplePapers),
  rdf: arxivRdf(samplePapers),
};

/** Fragments that mean something to one of the parsers: XML declarations and entities, JSON, the seed's blank lines. */
const trickyFragment = fc.constantFrom(
  '<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
  "&x;",
  "&b;",
  "&#0;",
  "&#x1F600;",
  "<![CDATA[",
  "]]>",
  "<entry>",
  "</entry>",
  "<item>",
  "<title>",
  "</title>",
  "<html><title>Oops</title>",
  "\u0000",
  "\uFEFF",
  "\uD800",
  "\r\n",
  "\n\n",
  '{"title":',
  '"abstract": null',
  "[",
  "]",
  "}",
  ",",
  '"',
  "\\u0000",
  "1e999",
);

interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 40 }),
  insert: fc.oneof(trickyFragment, fc.string({ unit: "binary", maxLength: 12 })),
});

function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const { at, remove, insert } of edits) {
    const position = out.length === 0 ? 0 : at % (out.length + 1);
    out = out.slice(0, position) + insert + out.slice(position + remove);
  }
  return out;
}

/** A real body with a few edits, or cut short (a dropped connection), as UTF-8 bytes. */
const mutatedBody: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.constantFrom(...Object.values(bodies)), fc.array(edit, { maxLength: 6 }), fc.option(fc.nat()))
  .map(([body, edits, cut]) => {
    const text = applyEdits(body, edits);
    return new TextEncoder().encode(cut === null ? text : text.slice(0, cut % (text.length + 1)));
  });

/** Bytes of any kind: arbitrary, or a mutated body with some of its bytes flipped. */
const anyBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  mutatedBody,
  fc.uint8Array({ maxLength: 2_000 }),
  fc
    .tuple(mutatedBody, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }))
    .map(([bytes, flips]) => {
      const out = Uint8Array.from(bytes);
      for (const [at, value] of flips) if (out.length > 0) out[at % out.length] = value;
      return out;
    }),
);

/** What every paper from every reader promises the rest of the bot. */
function expectCleanPapers(papers: readonly Paper[]): void {
  papers.forEach((paper, index) => {
    expect(paper.rank).toBe(index + 1);
    expect(paper.id).toMatch(/^\S+$/);
    expect(paper.title).not.toBe("");
    expect(paper.title).toBe(cleanLine(paper.title));
    expect(paper.title.length).toBeLessThanOrEqual(TITLE_MAX_CHARS);
    expect(paper.abstract.trim()).not.toBe("");
    expect(paper.abstract.length).toBeLessThanOrEqual(ABSTRACT_MAX_CHARS);
    for (const author of paper.authors) {
      expect(author).not.toBe("");
      expect(author).toBe(cleanLine(author));
    }
    if (paper.extras !== undefined) expectCleanExtras(paper.extras);
  });
}

function expectOneLine(error: unknown, kind: new (...args: never[]) => Error): void {
  expect(error).toBeInstanceOf(kind);
  const message = (error as Error).message;
  expect(message).not.toMatch(/[\r\n]/);
  expect(message.length).toBeLessThan(400);
}

/** Where the file suites write their files: one slot per file of a run, rewritten every run. */
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "paper-picks-fuzz-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const FILES_PER_RUN = 10;
/** 10,000 files take ~10 s alone and three times that beside the rest of the suite on 2 cores. */
const FILE_FUZZ_TIMEOUT_MS = 120_000;

async function expectFileReadsCleanly(file: string, body: Uint8Array): Promise<void> {
  await writeFile(file, body);
  let read: Awaited<ReturnType<typeof readCorpusFile>> | undefined;
  try {
    read = await readCorpusFile(file, basename(file));
  } catch (error) {
    expectOneLine(error, CorpusError);
    expect((error as Error).message).toContain(basename(file));
    return;
  }
  expectCleanPapers(read.papers);
}

function readBody(body: Uint8Array) {
  return runSteps(readSourceBodySteps(body, "https://feeds.example/papers", new NamePool()));
}

describe("a fetched body: papers or the source's one-line error", () => {
  it("holds for 10,000 arbitrary and mutated bodies", () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        let read: ReturnType<typeof readBody> | undefined;
        try {
          read = readBody(body);
        } catch (error) {
          expectOneLine(error, SourceBodyError);
          return;
        }
        expectCleanPapers(read.papers);
        for (const warning of read.warnings) expect(warning.message).not.toMatch(/[\r\n]/);
      }),
      fuzzRuns(10_000),
    );
  });
});

describe("a corpus file: papers or one line naming the file", () => {
  // Ten files per run, read at once: the file system's waits overlap, so 10,000 files fit in CI time.
  it(
    "holds for 10,000 arbitrary and mutated files",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(anyBody, { minLength: FILES_PER_RUN, maxLength: FILES_PER_RUN }),
          async (files) => {
            await Promise.all(
              files.map((body, slot) => expectFileReadsCleanly(join(dir, `fuzz-${slot}.txt`), body)),
            );
          },
        ),
        fuzzRuns(10_000 / FILES_PER_RUN),
      );
    },
    FILE_FUZZ_TIMEOUT_MS,
  );
});

/** Papers as a feed might carry them: any text, arXiv ids old and new, a few authors. */
const feedPaper: fc.Arbitrary<FeedPaper> = fc.record(
  {
    id: fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 2001, max: 2512 }),
          fc.integer({ min: 0, max: 99_999 }),
          fc.integer({ min: 1, max: 9 }),
        )
        .map(([month, number, version]) => `${month}.${String(number).padStart(5, "0")}v${version}`),
      fc
        .tuple(fc.constantFrom("quant-ph", "hep-th", "math.AG"), fc.integer({ min: 1, max: 9_999_999 }))
        .map(([archive, number]) => `${archive}/${String(number).padStart(7, "0")}v1`),
    ),
    title: fc.string({ unit: "grapheme", minLength: 1, maxLength: 120 }),
    abstract: fc.string({ unit: "grapheme", minLength: 1, maxLength: 400 }),
    authors: fc.array(fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 30 }), { maxLength: 4 }),
    categories: fc.array(fc.constantFrom("cs.CL", "cs.AI", "cs.LG", "stat.ML"), {
      minLength: 1,
      maxLength: 3,
    }),
    comment: fc.string({ unit: "grapheme", maxLength: 80 }),
    journalRef: fc.string({ unit: "grapheme", maxLength: 80 }),
    doi: fc.oneof(fc.constant("10.1103/PhysRevD.76.013009"), fc.string({ maxLength: 30 })),
    aiSummary: fc.string({ unit: "grapheme", maxLength: 200 }),
    githubRepo: fc.oneof(fc.webUrl(), fc.string({ maxLength: 30 })),
    githubStars: fc.integer({ min: -10, max: 1_000_000 }),
    projectPage: fc.oneof(fc.webUrl(), fc.constant("javascript:alert(1)")),
  },
  { requiredKeys: ["id", "title", "abstract", "authors", "categories"] },
);

const shapes = {
  atom: arxivAtom,
  rss: arxivRss,
  rdf: arxivRdf,
  daily_papers: (papers: readonly FeedPaper[]) => hfDailyPapers(papers),
  json: (papers: readonly FeedPaper[]) => ownRecords(papers, "json"),
  jsonl: (papers: readonly FeedPaper[]) => ownRecords(papers, "jsonl"),
} as const;

const shape = fc.constantFrom(...(Object.keys(shapes) as (keyof typeof shapes)[]));

const withoutSource = ({ source: _source, ...rest }: Paper) => rest;

/** The same papers from the file as from the body at a URL, or no papers both ways (each error is worded for its kind). */
async function expectSameAsUrl(file: string, text: string): Promise<void> {
  const body = new TextEncoder().encode(text);
  await writeFile(file, body);
  const fromFile = await readCorpusFile(file, basename(file)).then(
    (read) => read.papers.map(withoutSource),
    () => "no papers",
  );
  let fromUrl: ReturnType<typeof withoutSource>[] | string;
  try {
    fromUrl = readBody(body).papers.map(withoutSource);
  } catch {
    fromUrl = "no papers";
  }
  expect(fromFile).toEqual(fromUrl);
}

describe("a saved feed reads as the same papers as its URL", () => {
  it(
    "holds for 10,000 generated feeds of every shape",
    async () => {
      const savedFeed = fc.tuple(shape, fc.array(feedPaper, { minLength: 1, maxLength: 4 }));
      await fc.assert(
        fc.asyncProperty(
          fc.array(savedFeed, { minLength: FILES_PER_RUN, maxLength: FILES_PER_RUN }),
          async (feeds) => {
            await Promise.all(
              feeds.map(([name, papers], slot) =>
                expectSameAsUrl(join(dir, `saved-${slot}.txt`), shapes[name](papers)),
              ),
            );
          },
        ),
        fuzzRuns(10_000 / FILES_PER_RUN),
      );
    },
    FILE_FUZZ_TIMEOUT_MS,
  );
});
