import { describe, expect, it } from "vitest";
import { citationRecord, exportCitations, formatBibtex } from "../../src/citations/index.ts";
import { loadCorpus } from "../../src/corpus/index.ts";
import { enrichedCorpus, PUBLISHED } from "../support/enriched-corpus.ts";
import { paperWith } from "./fixtures.ts";
import { type CslRead, readBibtex, readRis } from "./parse-back.ts";

const published = paperWith({
  id: "2501.00001",
  title: "A Published Paper",
  authors: ["Ada Lovelace"],
  publishedAt: "2025-01-02T10:00:00Z",
  extras: { journalRef: "Phys. Rev. D 76, 013009 (2007)", doi: "10.1002/(SICI)1097-4636{x}_5" },
});
const preprint = paperWith({
  id: "2501.00002",
  title: "A Preprint",
  extras: { codeUrl: "https://github.com/a/b" },
});

describe("export of a paper with a journal reference and a DOI", () => {
  it("writes BibTeX @article with the journal and the doi, read back by a parser as they were", () => {
    const [article, misc] = readBibtex(
      formatBibtex([published, preprint].map((paper) => citationRecord(paper))),
    );
    expect(article?.type).toBe("article");
    expect(article?.fields.journal).toBe("Phys. Rev. D 76, 013009 (2007)");
    // Braces would unbalance the field: they are percent-encoded, as in a URL.
    expect(article?.fields.doi).toBe("10.1002/(SICI)1097-4636%7Bx%7D_5");
    expect(article?.fields.eprint).toBe("2501.00001");
    expect(misc?.type).toBe("misc");
    expect(misc?.fields.doi).toBeUndefined();
    expect(misc?.fields.journal).toBeUndefined();
  });

  it("writes RIS with JF and DO, and CSL-JSON with container-title and DOI", () => {
    const records = [citationRecord(published)];
    const ris = exportCitations("ris", records, "x").text;
    expect(ris).toMatch(/^TY {2}- JOUR\r\n/);
    expect(ris).toContain("DO  - 10.1002/(SICI)1097-4636{x}_5\r\n");
    const [read] = readRis(ris);
    expect(read?.DOI).toBe("10.1002/(SICI)1097-4636{x}_5");
    expect(read?.["container-title"]).toBe("Phys. Rev. D 76, 013009 (2007)");
    const [csl] = JSON.parse(exportCitations("csl-json", records, "x").text) as CslRead[];
    expect(csl).toMatchObject({
      type: "article-journal",
      "container-title": "Phys. Rev. D 76, 013009 (2007)",
      DOI: "10.1002/(SICI)1097-4636{x}_5",
    });
  });

  it("takes the journal and DOI from an arXiv feed's paper as read", async () => {
    const corpus = await enrichedCorpus();
    try {
      const { papers } = await loadCorpus(corpus.spec);
      const paper = papers.find((found) => found.id === PUBLISHED.id);
      const [entry] = readBibtex(formatBibtex([citationRecord(paper ?? published)]));
      expect(entry).toMatchObject({
        type: "article",
        fields: { journal: PUBLISHED.journalRef, doi: PUBLISHED.doi, year: "2025" },
      });
    } finally {
      await corpus.cleanup();
    }
  });
});
