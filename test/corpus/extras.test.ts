import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildCatalog, LiveCatalog } from "../../src/catalog/index.ts";
import type { Paper } from "../../src/core/paper.ts";
import { dedupePapers, loadCorpus } from "../../src/corpus/index.ts";
import { mergeSourcePapersSteps } from "../../src/corpus/sources/merge-source-papers.ts";
import { cachePaths, writeCache } from "../../src/corpus/sources/source-cache.ts";
import { runSteps } from "../../src/runtime/steps.ts";
import { arxivAtom, arxivRss, hfDailyPapers } from "../fakes/paper-feeds/feed-fixtures.ts";
import { FIXTURES } from "./temp-corpus.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "extras-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(name: string, content: string): Promise<Paper[]> {
  await writeFile(path.join(dir, name), content);
  return (await loadCorpus(name, { cwd: dir })).papers as Paper[];
}

const ENRICHED = {
  tldr: "Frozen video world models, prompted with small perturbations, output optical flow without any flow training.",
  tldrBy: "Hugging Face",
  codeUrl: "https://github.com/example-lab/kl-tracing",
  codeStars: 1234,
  projectUrl: "https://example-lab.github.io/kl-tracing/",
};

describe("enrichment from Hugging Face daily_papers", () => {
  it("reads ai_summary, githubRepo, githubStars and projectPage from the fixture", async () => {
    const { papers } = await loadCorpus("daily-papers-enriched.json", { cwd: FIXTURES });
    expect(papers[0]?.extras).toEqual(ENRICHED);
  });

  it("drops each hostile or malformed field but keeps the paper and a cleaned summary", async () => {
    const { papers } = await loadCorpus("daily-papers-enriched.json", { cwd: FIXTURES });
    const hostile = papers.find((paper) => paper.id === "2507.07999");
    expect(hostile?.title).toBe("A paper whose enrichment is hostile");
    // One line, no control characters; the renderers neutralise the ping and the link (see the render tests).
    expect(hostile?.extras).toEqual({
      tldr: "@everyone <!channel> look here [click](https://evil.example)",
      tldrBy: "Hugging Face",
    });
  });

  it("gives a paper without enrichment no extras at all, not empty ones", async () => {
    const { papers } = await loadCorpus("daily-papers-enriched.json", { cwd: FIXTURES });
    const plain = papers.find((paper) => paper.id === "2507.07998");
    expect(plain).toBeDefined();
    expect(Object.keys(plain ?? {})).not.toContain("extras");
    const { papers: old } = await loadCorpus("daily-papers.json", { cwd: FIXTURES });
    for (const paper of old) expect(Object.keys(paper)).not.toContain("extras");
  });

  it("keeps stars only as a whole number from 0 and only with a code link", async () => {
    const papers = await load(
      "daily.json",
      hfDailyPapers([
        { id: "2507.00001", title: "Stars without code", abstract: "A.", githubStars: 5 },
        {
          id: "2507.00002",
          title: "Fractional stars",
          abstract: "B.",
          githubRepo: ENRICHED.codeUrl,
          githubStars: 2.5,
        },
        {
          id: "2507.00003",
          title: "Zero stars",
          abstract: "C.",
          githubRepo: ENRICHED.codeUrl,
          githubStars: 0,
        },
      ]),
    );
    expect(papers.map((paper) => paper.extras)).toEqual([
      undefined,
      { codeUrl: ENRICHED.codeUrl },
      { codeUrl: ENRICHED.codeUrl, codeStars: 0 },
    ]);
  });
});

describe("enrichment from arXiv", () => {
  const paper = {
    id: "2501.00001",
    title: "A published paper",
    abstract: "It was published.",
    comment: "Accepted at NeurIPS 2025; 12 pages,\n 3 figures",
    journalRef: "Phys. Rev. D 76, 013009 (2007)",
    doi: "10.1103/PhysRevD.76.013009",
  };

  it("reads comment, journal_ref and doi from the Atom API", async () => {
    const [read] = await load("query.xml", arxivAtom([paper]));
    expect(read?.extras).toEqual({
      arxivComment: "Accepted at NeurIPS 2025; 12 pages, 3 figures",
      journalRef: "Phys. Rev. D 76, 013009 (2007)",
      doi: "10.1103/PhysRevD.76.013009",
    });
  });

  it("reads journal_reference and DOI from an RSS listing", async () => {
    const [read] = await load("cs.CL.xml", arxivRss([paper]));
    expect(read?.extras).toEqual({
      journalRef: "Phys. Rev. D 76, 013009 (2007)",
      doi: "10.1103/PhysRevD.76.013009",
    });
  });

  it("drops a DOI that is not one, and a doi.org link becomes the bare DOI", async () => {
    const papers = await load(
      "query.xml",
      arxivAtom([
        { id: "2501.00001", title: "Not a DOI", abstract: "A.", doi: "not a doi" },
        { id: "2501.00002", title: "Linked", abstract: "B.", doi: "https://doi.org/10.5802/jep.257" },
      ]),
    );
    expect(papers.map((read) => read.extras)).toEqual([undefined, { doi: "10.5802/jep.257" }]);
  });

  it("gives an entry without them no extras", async () => {
    const [read] = await load("query.xml", arxivAtom([{ id: "2501.00003", title: "Plain", abstract: "P." }]));
    expect(read).toBeDefined();
    expect(Object.keys(read ?? {})).not.toContain("extras");
  });
});

describe("enrichment kept", () => {
  it("in our own JSONL records, as the source cache writes them, read back the same", async () => {
    const { papers } = await loadCorpus("daily-papers-enriched.json", { cwd: FIXTURES });
    const paths = cachePaths(dir, "https://huggingface.co/api/daily_papers");
    await writeCache(
      paths,
      { url: "u", validators: {}, bodyHash: "h", format: "json", fetchedAt: "t" },
      papers,
    );
    const { papers: back } = await loadCorpus(path.basename(paths.papers), { cwd: dir });
    expect(back.map((paper) => paper.extras)).toEqual(papers.map((paper) => paper.extras));
    expect(back.map((paper) => paper.id)).toEqual(papers.map((paper) => paper.id));
  });

  it("by a source merge: a paper listed again brings its new stars", async () => {
    const before = await load(
      "a.json",
      hfDailyPapers([
        { id: "2507.00001", title: "T", abstract: "A.", githubRepo: ENRICHED.codeUrl, githubStars: 10 },
      ]),
    );
    const after = await load(
      "b.json",
      hfDailyPapers([
        { id: "2507.00001", title: "T", abstract: "A.", githubRepo: ENRICHED.codeUrl, githubStars: 25 },
      ]),
    );
    const merged = runSteps(mergeSourcePapersSteps(after, before));
    expect(merged.map((paper) => paper.extras?.codeStars)).toEqual([25]);
  });

  it("across sources: the Hugging Face copy's code link and the arXiv copy's journal both stay", async () => {
    const hf = await load(
      "daily.json",
      hfDailyPapers([
        {
          id: "2501.00001",
          title: "Both",
          abstract: "A.",
          aiSummary: "Short.",
          githubRepo: ENRICHED.codeUrl,
          githubStars: 7,
        },
      ]),
    );
    const arxiv = await load(
      "query.xml",
      arxivAtom([
        {
          id: "2501.00001",
          title: "Both",
          abstract: "A.",
          journalRef: "J. Things 1 (2025)",
          doi: "10.1000/xyz",
        },
      ]),
    );
    const [kept] = dedupePapers([...hf, ...arxiv]).papers;
    expect(kept?.extras).toEqual({
      tldr: "Short.",
      tldrBy: "Hugging Face",
      codeUrl: ENRICHED.codeUrl,
      codeStars: 7,
      journalRef: "J. Things 1 (2025)",
      doi: "10.1000/xyz",
    });
  });

  it("by a catalog merge: the refreshed paper, with its new stars, is the one served", async () => {
    const before = await load(
      "a.json",
      hfDailyPapers([
        {
          id: "2507.00001",
          title: "Flow",
          abstract: "Optical flow.",
          githubRepo: ENRICHED.codeUrl,
          githubStars: 10,
        },
      ]),
    );
    const after = await load(
      "b.json",
      hfDailyPapers([
        {
          id: "2507.00001",
          title: "Flow",
          abstract: "Optical flow.",
          githubRepo: ENRICHED.codeUrl,
          githubStars: 25,
        },
      ]),
    );
    const live = new LiveCatalog(buildCatalog(before));
    await live.merge(after);
    expect(live.current.byId.get("2507.00001")?.extras?.codeStars).toBe(25);
    expect(live.current.index.search("optical flow").hits[0]?.paper.extras?.codeStars).toBe(25);
  });
});
