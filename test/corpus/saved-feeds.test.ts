import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/index.ts";
import { arxivAtom, arxivRdf, arxivRss, type FeedPaper } from "../fakes/paper-feeds/feed-fixtures.ts";
import { ABSTRACT, feedServer, testSources } from "./sources/source-setup.ts";
import { tempCorpus } from "./temp-corpus.ts";

const papers: FeedPaper[] = [
  { id: "2507.09080v2", title: "First Saved Paper", abstract: ABSTRACT, authors: ["Ada Lovelace"] },
  { id: "quant-ph/0701135v1", title: "An Old-Style Id", abstract: ABSTRACT, authors: ["Alan Turing"] },
  { id: "2507.09082v1", title: "Third Saved Paper", abstract: ABSTRACT, categories: ["cs.CL", "cs.AI"] },
];

const feeds = { atom: arxivAtom(papers), rss: arxivRss(papers), rdf: arxivRdf(papers) };

/** A paper without the field that names where it came from, which differs between a file and a URL. */
function withoutSource<T extends { source?: string }>(paper: T): Omit<T, "source"> {
  const { source: _source, ...rest } = paper;
  return rest;
}

describe("saved feeds in CORPUS are read by content, as their URLs are", () => {
  for (const [name, body] of Object.entries(feeds)) {
    it(`reads a saved ${name} feed as the same papers as its URL`, async () => {
      const cwd = await tempCorpus({ [`saved-${name}.txt`]: body });
      const server = await feedServer();
      server.serve(`/${name}`, { body });

      const fromFile = await loadCorpus(`saved-${name}.txt`, { cwd });
      const fromUrl = await loadCorpus(server.url(`/${name}`), {
        cwd,
        sources: testSources(path.join(cwd, "data", "cache", "sources")),
      });

      expect(fromFile.papers).toHaveLength(papers.length);
      expect(fromFile.papers.map(withoutSource)).toEqual(fromUrl.papers.map(withoutSource));
      expect(fromFile.papers.map((paper) => paper.id)).toContain("quant-ph/0701135");
      expect(fromFile.files[0]?.format).toBe(fromUrl.files[0]?.format);
    });
  }

  it("refuses XML that is no feed we know with one line naming the file", async () => {
    const cwd = await tempCorpus({
      "papers.txt": "Seed Title\nSeed abstract about a method.\n",
      "export.xml": '<?xml version="1.0"?>\n<OAI-PMH><ListRecords/></OAI-PMH>\n',
    });
    await expect(loadCorpus("papers.txt,export.xml", { cwd })).rejects.toThrow(
      "CORPUS: export.xml is XML but not an Atom or RSS feed",
    );
  });

  it("refuses a saved HTML page with its title instead of reading its lines as papers", async () => {
    const cwd = await tempCorpus({
      "page.html":
        "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body>Sign in to continue</body></html>\n",
    });
    await expect(loadCorpus("page.html", { cwd })).rejects.toThrow(
      'CORPUS: page.html is an HTML page, not a corpus ("Sign in")',
    );
  });

  it("still reads a seed text file whose first title starts with a bracket", async () => {
    const cwd = await tempCorpus({ "papers.txt": "[Re] Attention Is All You Need\nWe reproduce it.\n" });
    const { papers: read } = await loadCorpus("papers.txt", { cwd });
    expect(read.map((paper) => paper.title)).toEqual(["[Re] Attention Is All You Need"]);
  });
});

describe("binary means binary: a stray NUL costs one line, not the file", () => {
  it("keeps the good records of a JSON Lines file with a NUL in one line, and names that line", async () => {
    const good = (n: number) => JSON.stringify({ title: `Good Record ${n}`, abstract: ABSTRACT });
    const cwd = await tempCorpus({
      "papers.jsonl": `${good(1)}\n{"title": "Bad\u0000Record", "abstract": "x"}\n${good(3)}\n`,
    });
    const { papers: read, warnings } = await loadCorpus("papers.jsonl", { cwd });
    expect(read.map((paper) => paper.title)).toEqual(["Good Record 1", "Good Record 3"]);
    expect(warnings).toEqual([expect.stringMatching(/^papers\.jsonl:2: not valid JSON/)]);
  });

  it("still refuses UTF-16 text as binary", async () => {
    const utf16 = new Uint8Array(Buffer.from("Title\nAn abstract of a paper.\n".repeat(20), "utf16le"));
    const cwd = await tempCorpus({ "papers.txt": utf16 });
    await expect(loadCorpus("papers.txt", { cwd })).rejects.toThrow(
      "CORPUS: papers.txt has no papers (binary file)",
    );
  });
});

describe("a seed file whose first title opens with markup stays a seed file", () => {
  it("reads <i>…</i> in a first title as text", async () => {
    const cwd = await tempCorpus({
      "papers.txt": "<i>Attention</i> Is All You Need\nWe propose a network.\n",
    });
    const { papers: read } = await loadCorpus("papers.txt", { cwd });
    expect(read).toHaveLength(1);
  });
});
