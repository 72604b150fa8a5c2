import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/corpus/index.ts";
import { arxivAtom, arxivRss, hfDailyPapers, ownRecords } from "../../fakes/paper-feeds/feed-fixtures.ts";
import { seedText } from "../temp-corpus.ts";
import { ABSTRACT, feedServer, testSources, workDir } from "./source-setup.ts";

describe("CORPUS with http(s) sources: each format, detected by content", () => {
  it("reads the Hugging Face daily papers API with upvotes, comments, the featured day and authors", async () => {
    const server = await feedServer();
    server.serve("/api/daily_papers?date=2025-07-14", {
      body: hfDailyPapers([
        { id: "2507.09082", title: "Daily Paper", abstract: ABSTRACT, authors: ["Ada L"], upvotes: 42 },
      ]),
    });
    const { cwd, cacheDir } = await workDir();

    const url = server.url("/api/daily_papers?date=2025-07-14");
    const { papers, files } = await loadCorpus(url, { cwd, sources: testSources(cacheDir) });

    expect(files).toMatchObject([{ path: url, format: "json", stale: false }]);
    expect(papers).toMatchObject([
      {
        id: "2507.09082",
        title: "Daily Paper",
        authors: ["Ada L"],
        upvotes: 42,
        comments: 2,
        featuredAt: "2025-07-14T00:00:00.000Z",
        publishedAt: "2025-07-12T10:00:00.000Z",
        url: "https://huggingface.co/papers/2507.09082",
        pdfUrl: "https://arxiv.org/pdf/2507.09082",
        source: url,
      },
    ]);
  });

  it("reads arXiv's Atom API: id without version, one-line title and summary, authors, dates, categories, version-free links", async () => {
    const server = await feedServer();
    server.serve("/api/query?search_query=cat:cs.CL", {
      body: arxivAtom([
        {
          id: "2507.09080v3",
          title: "Wrapped Atom Title",
          abstract: "First sentence. Second sentence & more.",
          authors: ["Ada Lovelace", "Alan Turing"],
          categories: ["cs.CL", "cs.AI"],
          published: "2025-07-12T10:00:00Z",
        },
      ]),
    });
    const { cwd, cacheDir } = await workDir();

    const url = server.url("/api/query?search_query=cat:cs.CL");
    const { papers, files } = await loadCorpus(url, { cwd, sources: testSources(cacheDir) });

    expect(files[0]?.format).toBe("atom");
    expect(papers).toEqual([
      {
        id: "2507.09080",
        title: "Wrapped Atom Title",
        abstract: "First sentence. Second sentence & more.",
        authors: ["Ada Lovelace", "Alan Turing"],
        url: "https://arxiv.org/abs/2507.09080",
        pdfUrl: "https://arxiv.org/pdf/2507.09080",
        publishedAt: "2025-07-12T10:00:00.000Z",
        updatedAt: "2025-07-14T17:59:59.000Z",
        categories: ["cs.CL", "cs.AI"],
        rank: 1,
        source: url,
      },
    ]);
  });

  it("reads an arXiv RSS listing: abstract without the announce line, comma-separated authors", async () => {
    const server = await feedServer();
    server.serve("/rss/cs.CL", {
      body: arxivRss([
        {
          id: "2507.07186v1",
          title: "RSS <Paper>",
          abstract: ABSTRACT,
          authors: ["Grace Hopper", "Edsger Dijkstra"],
        },
      ]),
    });
    const { cwd, cacheDir } = await workDir();

    const { papers, files } = await loadCorpus(server.url("/rss/cs.CL"), {
      cwd,
      sources: testSources(cacheDir),
    });

    expect(files[0]?.format).toBe("rss");
    expect(papers).toMatchObject([
      {
        id: "2507.07186",
        title: "RSS <Paper>",
        abstract: ABSTRACT,
        authors: ["Grace Hopper", "Edsger Dijkstra"],
        url: "https://arxiv.org/abs/2507.07186",
        publishedAt: "2025-07-14T04:00:00.000Z",
      },
    ]);
  });

  it("reads our own records from a JSON URL and a JSON Lines URL, beside a seed file, in CORPUS order", async () => {
    const server = await feedServer();
    server.serve("/picks.json", {
      body: ownRecords([{ id: "2501.00001", title: "Json Paper", abstract: ABSTRACT }], "json"),
    });
    server.serve("/picks.jsonl", {
      body: ownRecords([{ id: "2501.00002", title: "Jsonl Paper", abstract: ABSTRACT, upvotes: 3 }], "jsonl"),
    });
    const { cwd, cacheDir } = await workDir();
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${cwd}/seed.txt`, seedText([["Seed Paper", ABSTRACT]]));

    const spec = `${server.url("/picks.jsonl")}, seed.txt, ${server.url("/picks.json")}`;
    const { papers, files } = await loadCorpus(spec, { cwd, sources: testSources(cacheDir) });

    expect(files.map((file) => file.format)).toEqual(["jsonl", "text", "json"]);
    expect(papers.map((paper) => paper.title)).toEqual(["Jsonl Paper", "Seed Paper", "Json Paper"]);
    expect(papers[0]?.upvotes).toBe(3);
  });

  it("sends a polite User-Agent naming paper-picks and its version", async () => {
    const server = await feedServer();
    server.serve("/picks.json", {
      body: ownRecords([{ id: "2501.00001", title: "Json Paper", abstract: ABSTRACT }], "json"),
    });
    const { cwd, cacheDir } = await workDir();

    await loadCorpus(server.url("/picks.json"), { cwd, sources: testSources(cacheDir) });

    expect(server.requests[0]?.headers["user-agent"]).toMatch(/^paper-picks\/\d+\.\d+\.\d+ \(.+\)$/);
  });
});
