import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CitationRecord,
  citationRecord,
  exportCitations,
  formatBibtex,
} from "../../src/citations/index.ts";
import { loadCorpus } from "../../src/corpus/index.ts";
import { HOSTILE_PAPERS, paperWith } from "./fixtures.ts";
import { readBibtex } from "./parse-back.ts";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** Every field a reader finds in the .bib file is the record's own. */
function expectReadsBackAs(records: readonly CitationRecord[]): void {
  const entries = readBibtex(formatBibtex(records));
  expect(entries).toHaveLength(records.length);
  expect(new Set(entries.map((entry) => entry.key)).size).toBe(records.length);
  entries.forEach((entry, i) => {
    const record = records[i] as CitationRecord;
    expect(entry.type).toBe(record.journal === undefined ? "misc" : "article");
    expect(entry.fields.title ?? "").toBe(record.title);
    expect(entry.authors).toEqual(
      record.authors.map((name) => ({ family: name.family, given: name.given, suffix: name.suffix })),
    );
    expect(entry.fields.journal).toBe(record.journal);
    expect(entry.fields.year).toBe(record.year === undefined ? undefined : String(record.year));
    expect(entry.fields.month).toBe(record.month === undefined ? undefined : String(record.month));
    expect(entry.fields.eprint).toBe(record.arxivId);
    expect(entry.fields.archiveprefix).toBe(record.arxivId === undefined ? undefined : "arXiv");
    expect(entry.fields.primaryclass).toBe(record.arxivId === undefined ? undefined : record.primaryClass);
    expect(entry.fields.url).toBe(record.url?.replace(/[{}]/g, (c) => (c === "{" ? "%7B" : "%7D")));
  });
}

describe("BibTeX export", () => {
  it("writes arXiv papers as @misc with eprint, archivePrefix, primaryClass, year and month", () => {
    const [paper] = HOSTILE_PAPERS;
    const text = formatBibtex([citationRecord(paper ?? paperWith({ id: "x" }))]);
    expect(text).toMatch(/^@misc\{vanderberg2024fast,\n/);
    expect(text).toContain("  eprint = {2407.12345},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.CL},");
    expect(text).toContain("  year = {2024},\n  month = jul,");
    expect(text).toContain(
      "  author = {van der Berg, Jan and Le Roux, Émile and Müller, Zoë and King, Jr., Martin Luther and {OpenAI}},",
    );
    expect(text).toContain(
      "title = {Fast \\& 100\\% \\$cheap\\$ \\#1 under\\_score \\{x\\} \\textasciitilde{}y\\textasciicircum{}2 \\textbackslash{}z: Études",
    );
  });

  it("writes @article with the journal when there is a journal reference, and no eprint without an arXiv id", () => {
    const journal = citationRecord(paperWith({ id: "2301.00001", title: "On Things" }), {
      journal: "Phys. Rev. D 76, 013009 (2007)",
    });
    const plain = citationRecord(paperWith({ id: "t-0123456789ab", title: "A Survey of Things" }));
    const text = formatBibtex([journal, plain]);
    expect(text).toMatch(/^@article\{anonthings,\n {2}title = \{On Things\},\n {2}journal = \{Phys\. Rev\./);
    expect(text).toContain("@misc{anonsurvey,\n  title = {A Survey of Things}\n}");
    expect(text.split("@misc")[1]).not.toContain("eprint");
  });

  it("makes keys unique with a, b suffixes in the order of the list", () => {
    const same = paperWith({
      id: "2101.00001",
      title: "Attention",
      authors: ["Ada Lovelace"],
      publishedAt: "2021-01-02",
    });
    const keys = readBibtex(formatBibtex([same, same, same].map((paper) => citationRecord(paper)))).map(
      (entry) => entry.key,
    );
    expect(keys).toEqual(["lovelace2021attention", "lovelace2021attentiona", "lovelace2021attentionb"]);
  });

  it("reads back as the records on made-up hostile papers", () => {
    expectReadsBackAs(HOSTILE_PAPERS.map((paper) => citationRecord(paper)));
    expectReadsBackAs([
      citationRecord(HOSTILE_PAPERS[1] ?? paperWith({ id: "x" }), { journal: "J. {Odd} & Co." }),
    ]);
  });

  it("reads back as the records on the whole seed corpus", async () => {
    const { papers } = await loadCorpus("data/papers.txt");
    expect(papers.length).toBeGreaterThan(100);
    expectReadsBackAs(papers.map((paper) => citationRecord(paper)));
  });

  it("round-trips any title and author text through export and a parser", () => {
    // Any Unicode, and text dense in what LaTeX and BibTeX treat specially.
    const special = fc.constantFrom(
      ..."&%$#_{}~^\\<>|-`',!?@\"= \t\n".split(""),
      " and ",
      "van ",
      "Le ",
      "Jr.",
      "é",
      "a",
      "Z",
    );
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 60 }),
      fc.string({ unit: special, maxLength: 30 }),
    );
    fc.assert(
      fc.property(
        text,
        fc.array(text, { maxLength: 4 }),
        fc.integer({ min: 1, max: 12 }),
        (title, authors, month) => {
          const record = citationRecord(
            paperWith({
              id: "2407.00001",
              title,
              authors,
              publishedAt: `2024-${String(month).padStart(2, "0")}-01`,
            }),
          );
          expectReadsBackAs([record]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("names the file for its format", () => {
    const records = [citationRecord(HOSTILE_PAPERS[0] ?? paperWith({ id: "x" }))];
    expect(exportCitations("bibtex", records, "saved-papers")).toMatchObject({
      filename: "saved-papers.bib",
      mimeType: "application/x-bibtex",
    });
    expect(MONTHS).toHaveLength(12);
  });
});
