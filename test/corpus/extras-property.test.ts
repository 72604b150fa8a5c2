import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { buildPaper, type RawPaper } from "../../src/corpus/build-paper.ts";
import { readDailyPapersEntry } from "../../src/corpus/read-daily-papers-entry.ts";
import { readOwnRecord, readWithSchema } from "../../src/corpus/read-own-record.ts";
import { recordOf } from "../../src/corpus/sources/source-cache.ts";
import { fuzzRuns } from "../fuzz/fuzz-runs.ts";
import { expectCleanExtras } from "./expect-clean-extras.ts";

/** What a remote source might put in an enrichment field: anything JSON holds, and text meant to hurt. */
const hostileText = fc.constantFrom(
  "@everyone",
  "<!channel>",
  "<@U0ADMIN01>",
  "[click](https://evil.example)",
  "\u0000\u202E\uD800",
  "line\nbreak",
  "x".repeat(5_000),
);
const anyValue = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 300 }),
  hostileText,
  fc.webUrl(),
  fc.constantFrom("javascript:alert(1)", "ftp://a.example/", "https://a.example/ b", "https://é.example/"),
  fc.integer({ min: -1_000, max: 1_000_000 }),
  fc.double(),
  fc.constantFrom(null, true, [], {}),
);

function built(raw: RawPaper | { problem: string }): Paper {
  expect(raw).not.toHaveProperty("problem");
  const result = buildPaper(raw as RawPaper, 1, "test");
  if (!("paper" in result)) throw new Error(result.problem);
  return result.paper;
}

describe("enrichment from untrusted sources (properties)", () => {
  it("a daily_papers entry keeps its paper whatever its enrichment fields hold, and the extras are clean", () => {
    fc.assert(
      fc.property(
        fc.record(
          { ai_summary: anyValue, githubRepo: anyValue, githubStars: anyValue, projectPage: anyValue },
          { requiredKeys: [] },
        ),
        (fields) => {
          const paper = built(
            readDailyPapersEntry({ paper: { id: "2507.09082", title: "T", summary: "S.", ...fields } }),
          );
          expect(paper.title).toBe("T");
          if (paper.extras !== undefined) expectCleanExtras(paper.extras);
        },
      ),
      fuzzRuns(2_000),
    );
  });

  it("our record format: the quick path reads enrichment exactly as the schema does", () => {
    const keys = [
      "tldr",
      "tldrBy",
      "codeUrl",
      "codeStars",
      "projectUrl",
      "arxivComment",
      "journalRef",
      "doi",
    ];
    const record = fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: 8 });
    fc.assert(
      fc.property(record, (fields) => {
        const value = { title: "T", abstract: "A.", ...fields };
        expect(readOwnRecord(value)).toStrictEqual(readWithSchema(value));
      }),
      fuzzRuns(2_000),
    );
  });

  it("a paper's extras survive the source cache's record unchanged", () => {
    const extras = fc.record(
      {
        tldr: anyValue,
        tldrBy: anyValue,
        codeUrl: anyValue,
        codeStars: anyValue,
        projectUrl: anyValue,
        arxivComment: anyValue,
        journalRef: anyValue,
        doi: fc.oneof(anyValue, fc.constant("doi:10.1000/xyz"), fc.constant("10.1002/(SICI)<x>")),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(extras, (raw) => {
        const paper = built({ id: "2501.00001", title: "T", abstract: "A.", extras: raw });
        const cached = JSON.parse(JSON.stringify(recordOf(paper)));
        const back = built(readOwnRecord(cached));
        expect(back.extras).toStrictEqual(paper.extras);
        if (paper.extras === undefined) expect(Object.keys(back)).not.toContain("extras");
      }),
      fuzzRuns(2_000),
    );
  });
});
