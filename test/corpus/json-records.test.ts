import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CorpusError, loadCorpus } from "../../src/corpus/index.ts";
import { FIXTURES, tempCorpus } from "./temp-corpus.ts";

describe("JSON Lines records", () => {
  it("reads our own records with either author form, summary for abstract, and arXiv links", async () => {
    const { papers } = await loadCorpus("records.jsonl", { cwd: FIXTURES });

    expect(papers[0]).toEqual({
      id: "2401.00001",
      title: "Sparse Mixtures of Experts at Scale",
      abstract: "We study sparse mixtures of experts. They scale well.",
      authors: ["Ada Lovelace", "Alan Turing"],
      url: "https://arxiv.org/abs/2401.00001",
      pdfUrl: "https://arxiv.org/pdf/2401.00001",
      publishedAt: "2024-01-02T00:00:00.000Z",
      upvotes: 7,
      rank: 1,
      source: "records.jsonl",
    });
    expect(papers[1]).toMatchObject({
      id: "2404.15574",
      abstract: "Retrieval heads are a small set of attention heads. They copy tokens from the context.",
      authors: ["Grace Hopper"],
      url: "https://arxiv.org/abs/2404.15574v1",
      pdfUrl: "https://arxiv.org/pdf/2404.15574",
      rank: 2,
    });
    expect(papers[2]).toMatchObject({
      id: "internal-42-draft",
      title: "A Paper Known Only by Its Own Id",
      rank: 3,
    });
    expect(papers[3]).toMatchObject({
      title: "Linked From a Blog",
      url: "https://example.org/posts/linked",
      pdfUrl: "https://example.org/posts/linked.pdf",
      rank: 4,
    });
    expect(papers[3]?.id).toMatch(/^t-[0-9a-f]{12}$/);
    expect(papers).toHaveLength(4);
  });

  it("skips malformed records and non-JSON lines with a warning naming file and line", async () => {
    const { warnings, files } = await loadCorpus("records.jsonl", { cwd: FIXTURES });

    expect(files[0]?.skipped).toBe(3);
    expect(warnings).toEqual([
      expect.stringMatching(/^records\.jsonl:3: record skipped: upvotes: /),
      expect.stringMatching(/^records\.jsonl:4: not valid JSON/),
      expect.stringMatching(/^records\.jsonl:6: record skipped: abstract: has no abstract/),
    ]);
  });

  it("detects JSON Lines by content even in a file named .txt", async () => {
    const jsonl = await readFile(path.join(FIXTURES, "records.jsonl"), "utf8");
    const dir = await tempCorpus({ "papers.txt": jsonl });

    const { papers, files } = await loadCorpus("papers.txt", { cwd: dir });

    expect(files[0]?.format).toBe("jsonl");
    expect(papers.map((paper) => paper.id).slice(0, 2)).toEqual(["2401.00001", "2404.15574"]);
  });

  it("names the file when no line is a usable record", async () => {
    const dir = await tempCorpus({ "junk.jsonl": '{"nope": true}\n{"title": ""}\n{ broken\n' });

    const error = await loadCorpus("junk.jsonl", { cwd: dir }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CorpusError);
    expect((error as CorpusError).message).toMatch(/^CORPUS: junk\.jsonl has no papers \(jsonl: all 3 /);
    expect((error as CorpusError).message).not.toContain("\n");
  });
});

describe("JSON array records", () => {
  it("reads the records and warns about a malformed one at the line where it starts", async () => {
    const { papers, warnings } = await loadCorpus("records.json", { cwd: FIXTURES });

    expect(papers.map((paper) => [paper.id, paper.rank])).toEqual([
      ["2312.00752", 1],
      ["2212.09748", 2],
    ]);
    expect(papers[0]).toMatchObject({
      url: "https://arxiv.org/abs/2312.00752",
      upvotes: 120,
      authors: ["Albert Gu", "Tri Dao"],
    });
    expect(papers[1]).toMatchObject({
      url: "https://arxiv.org/abs/2212.09748",
      pdfUrl: "https://arxiv.org/pdf/2212.09748v2.pdf",
    });
    expect(warnings).toEqual([expect.stringMatching(/^records\.json:10: record 2 skipped: title: /)]);
  });

  it("finds element lines past strings holding brackets, braces, commas and escaped quotes", async () => {
    const tricky = '{"title": "A [tricky], {title} \\"quoted\\"", "abstract": "Braces } and ] inside."}';
    const dir = await tempCorpus({
      "list.json": `[\n  ${tricky},\n\n  {"title": 1},\n  "just a string"\n]\n`,
    });

    const { papers, warnings } = await loadCorpus("list.json", { cwd: dir });

    expect(papers[0]?.title).toBe('A [tricky], {title} "quoted"');
    expect(warnings).toEqual([
      expect.stringMatching(/^list\.json:4: record 2 skipped/),
      expect.stringMatching(/^list\.json:5: record 3 skipped: not an object/),
    ]);
  });

  it("reports a syntax error as one line naming the file and the line", async () => {
    const dir = await tempCorpus({
      "broken.json": '[\n{"title": "A", "abstract": "B"},\n{"title" "C"}\n]\n',
    });

    const error = await loadCorpus("broken.json", { cwd: dir }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CorpusError);
    expect((error as Error).message).toMatch(/^CORPUS: broken\.json is not valid JSON at line 3 /);
  });

  it("drops a link that is not http(s) by skipping the record", async () => {
    const records = [
      { title: "Safe", abstract: "Fine.", url: "https://example.org/a" },
      { title: "Unsafe", abstract: "Bad link.", url: "javascript:alert(1)" },
    ];
    const dir = await tempCorpus({ "links.json": JSON.stringify(records) });

    const { papers, warnings } = await loadCorpus("links.json", { cwd: dir });

    expect(papers.map((paper) => paper.title)).toEqual(["Safe"]);
    expect(warnings).toEqual([
      expect.stringMatching(/^links\.json:1: record 2 skipped: url: not an http\(s\) link/),
    ]);
  });
});
