import { describe, expect, it } from "vitest";
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
};

describe("own records: the quick check agrees with the schema", () => {
  for (const [name, record] of Object.entries(RECORDS)) {
    it(`reads "${name}" exactly as the schema does`, () => {
      expect(readOwnRecord(record)).toStrictEqual(readWithSchema(record));
    });
  }

  it("keeps the schema's message for a record it rejects", () => {
    expect(readOwnRecord({ ...BASE, upvotes: "many" })).toEqual({
      problem: expect.stringMatching(/^upvotes: /),
    });
  });
});
