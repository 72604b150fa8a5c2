import { describe, expect, it } from "vitest";
import {
  type CitationRecord,
  citationKeys,
  citationRecord,
  exportCitations,
} from "../../src/citations/index.ts";
import { loadCorpus } from "../../src/corpus/index.ts";
import { HOSTILE_PAPERS, paperWith } from "./fixtures.ts";
import { type CslRead, readRis } from "./parse-back.ts";

const hostile = HOSTILE_PAPERS.map((paper) => citationRecord(paper));

/** What a reader's CSL says of a record: the same title, names in order, date, link and arXiv id. */
function expectSameAs(
  read: readonly CslRead[],
  records: readonly CitationRecord[],
  keys: readonly string[],
): void {
  expect(read).toHaveLength(records.length);
  read.forEach((item, i) => {
    const record = records[i] as CitationRecord;
    expect(item.id).toBe(keys[i]);
    expect(item.title ?? "").toBe(record.title);
    expect(
      (item.author ?? []).map((name) => [name.family ?? name.literal, name.given ?? "", name.suffix ?? ""]),
    ).toEqual(record.authors.map((name) => [name.family, name.given, name.suffix]));
    const date =
      record.year === undefined ? undefined : [record.year, ...(record.month ? [record.month] : [])];
    expect(item.issued?.["date-parts"]?.[0]).toEqual(date);
    expect(item.URL).toBe(record.url);
    expect(item.number).toBe(record.arxivId);
  });
}

describe("RIS and CSL-JSON export", () => {
  it("writes RIS that a RIS reader reads back as the records, one line per value", () => {
    const file = exportCitations("ris", hostile, "saved-papers");
    expect(file).toMatchObject({
      filename: "saved-papers.ris",
      mimeType: "application/x-research-info-systems",
    });
    expect(file.text).toMatch(/^TY {2}- JOUR\r\n/);
    expect(file.text).toContain("AU  - van der Berg, Jan\r\nAU  - Le Roux, Émile\r\n");
    for (const line of file.text.split("\r\n")) expect(line).toMatch(/^([A-Z][A-Z0-9] {2}- .*|ER {2}- |)$/);
    expectSameAs(readRis(file.text), hostile, citationKeys(hostile));
  });

  it("writes CSL-JSON with the BibTeX keys as ids, read back by JSON.parse", () => {
    const file = exportCitations("csl-json", hostile, "saved-papers");
    expect(file).toMatchObject({
      filename: "saved-papers.json",
      mimeType: "application/vnd.citationstyles.csl+json",
    });
    const items = JSON.parse(file.text) as CslRead[];
    expectSameAs(items, hostile, citationKeys(hostile));
    expect(items[0]).toMatchObject({ type: "article", publisher: "arXiv", number: "2407.12345" });
    const journal = JSON.parse(
      exportCitations(
        "csl-json",
        [citationRecord(paperWith({ id: "2101.00002", title: "T" }), { journal: "Nature 1" })],
        "x",
      ).text,
    );
    expect(journal[0]).toMatchObject({ type: "article-journal", "container-title": "Nature 1" });
  });

  it("reads back as the records on the whole seed corpus, in both formats", async () => {
    const { papers } = await loadCorpus("data/papers.txt");
    const records = papers.map((paper) => citationRecord(paper));
    const keys = citationKeys(records);
    expectSameAs(readRis(exportCitations("ris", records, "x").text), records, keys);
    expectSameAs(JSON.parse(exportCitations("csl-json", records, "x").text), records, keys);
  });
});
