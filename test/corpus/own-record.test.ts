import { describe, expect, it } from "vitest";
import { buildPaper } from "../../src/corpus/build-paper.ts";
import { readOwnRecord, readWithSchema } from "../../src/corpus/read-own-record.ts";

const BASE = { title: "A Paper", abstract: "It does things." };

// Records the quick check must either read exactly as the schema does or hand to the schema.
const RECORDS: Record<string, unknown> = {
  plain: { ...BASE, id: "2401.00001v2", authors: ["Ada", { name: "Alan", affiliation: "x" }], upvotes: 3 },
  "nulls for gaps": { ...BASE, id: null, authors: null, url: null, publishedAt: null, upvotes: null },
  "numeric id": { ...BASE, id: 42 },
  "fractional id": { ...BASE, id: 2507.0908 },
  "unsafe id": { ...BASE, id: 2 ** 60 },
  "summary for abstract": { title: "T", summary: "Only a summary." },
  "empty abstract, summary present": { title: "T", abstract: "", summary: "Ignored." },
  "blank abstract": { title: "T", abstract: "  \n " },
  "no abstract": { title: "T" },
  "title not a string": { title: 7, abstract: "x" },
  "date with spaces": { ...BASE, publishedAt: " 2024-01-02 ", featuredAt: "2024-01-02T10:00:00+02:00" },
  "not a date": { ...BASE, publishedAt: "yesterday" },
  "date as number": { ...BASE, publishedAt: 20240102 },
  "upper-case scheme": { ...BASE, url: "HTTPS://example.org/a" },
  "url with spaces around": { ...BASE, url: "  https://example.org/a  " },
  "url with a tab inside": { ...BASE, url: "https://exa\tmple.org/a" },
  "non-ascii url": { ...BASE, url: "https://example.org/ü" },
  "javascript link": { ...BASE, url: "javascript:alert(1)" },
  "http without slashes": { ...BASE, pdfUrl: "http:example.org/a.pdf" },
  "broken host": { ...BASE, url: "https://exa mple.org" },
  "negative count": { ...BASE, upvotes: -1 },
  "fractional count": { ...BASE, comments: 1.5 },
  "count as string": { ...BASE, upvotes: "7" },
  "authors not a list": { ...BASE, authors: "Ada, Alan" },
  "author without a name": { ...BASE, authors: [{ given: "Ada" }] },
  "author as a list": { ...BASE, authors: [["Ada"]] },
  "not an object": ["title", "abstract"],
  "categories and updatedAt": { ...BASE, categories: ["cs.CL", "cs.LG"], updatedAt: "2025-07-14T17:00:00Z" },
  "categories as one string": { ...BASE, categories: "cs.CL  cs.LG,stat.ML" },
  "categories null": { ...BASE, categories: null, updatedAt: null },
  "categories not a list": { ...BASE, categories: 7 },
  "category not a string": { ...BASE, categories: ["cs.CL", 7] },
  "updatedAt not a date": { ...BASE, updatedAt: "last week" },
  "rank given": { ...BASE, rank: 3 },
  "rank null": { ...BASE, rank: null },
  "rank zero": { ...BASE, rank: 0 },
  "fractional rank": { ...BASE, rank: 2.5 },
  "rank as string": { ...BASE, rank: "3" },
  extras: {
    ...BASE,
    tldr: "In short.",
    tldrBy: "Hugging Face",
    codeUrl: "https://github.com/a/b",
    codeStars: 12,
    projectUrl: "https://a.example/",
    arxivComment: "Accepted at NeurIPS 2025",
    journalRef: "J. Things 1 (2025)",
    doi: "10.1000/xyz",
  },
  "extras null": { ...BASE, tldr: null, codeUrl: null, codeStars: null, doi: null },
  "code link javascript": { ...BASE, codeUrl: "javascript:alert(1)" },
  "project link with spaces around": { ...BASE, projectUrl: " https://a.example/ " },
  "negative stars": { ...BASE, codeUrl: "https://github.com/a/b", codeStars: -3 },
  "stars as string": { ...BASE, codeStars: "12" },
  "tldr not a string": { ...BASE, tldr: 5 },
  "doi not a string": { ...BASE, doi: 10.1 },
};

describe("own records: the quick check agrees with the schema", () => {
  for (const [name, record] of Object.entries(RECORDS)) {
    it(`reads "${name}" exactly as the schema does`, () => {
      expect(readOwnRecord(record)).toStrictEqual(readWithSchema(record));
    });
  }

  it("names a categories field that is no list of codes", () => {
    expect(readOwnRecord({ ...BASE, categories: { primary: "cs.CL" } })).toEqual({
      problem: "categories: must be a list of category codes",
    });
  });

  it("keeps the schema's message for a record it rejects", () => {
    expect(readOwnRecord({ ...BASE, upvotes: "many" })).toEqual({
      problem: expect.stringMatching(/^upvotes: /),
    });
  });
});

describe("a record's rank", () => {
  const rankOf = (record: Record<string, unknown>, position: number) => {
    const raw = readOwnRecord({ ...BASE, ...record });
    if ("problem" in raw) return raw.problem;
    const built = buildPaper(raw, position, "test");
    return "paper" in built ? built.paper.rank : built.problem;
  };

  it("is the record's own rank when it gives one, else its place in the file", () => {
    expect(rankOf({ rank: 3 }, 7)).toBe(3);
    expect(rankOf({}, 7)).toBe(7);
    expect(rankOf({ rank: null }, 7)).toBe(7);
  });

  it("must be a whole number from 1: anything else is named in the record's problem", () => {
    expect(rankOf({ rank: 0 }, 7)).toMatch(/^rank: /);
    expect(rankOf({ rank: 1.5 }, 7)).toMatch(/^rank: /);
  });
});

describe("categories as a paper keeps them", () => {
  const built = (categories: readonly string[]) => {
    const result = buildPaper({ ...BASE, id: "2507.00001", categories }, 1, "test");
    return "paper" in result ? result.paper.categories : result.problem;
  };

  it("keeps arXiv codes in order, each once whatever its case, without what is not a code", () => {
    expect(
      built([" cs.CL ", "cs.IR", "CS.cl", "I.2.7", "68T50", "Computation and Language", "hep-th"]),
    ).toEqual(["cs.CL", "cs.IR", "hep-th"]);
  });

  it("bounds the list and its codes", () => {
    const many = Array.from({ length: 26 }, (_, index) => `cs.${String.fromCharCode(65 + index)}`);
    expect(built(many)).toEqual(many.slice(0, 10));
    expect(built([`cs.${"X".repeat(40)}`, "cs.CL\u0000"])).toEqual(["cs.CL"]);
  });

  it("leaves the field out when no code is left", () => {
    expect(built(["I.2.7"])).toBeUndefined();
    expect(built([])).toBeUndefined();
  });
});
