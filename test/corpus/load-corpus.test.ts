import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CorpusError, loadCorpus, titleId } from "../../src/corpus/index.ts";
import { seedText, tempCorpus } from "./temp-corpus.ts";

const ABSTRACT = "A method is proposed. It works better than the old one on every benchmark we tried.";

async function loadError(spec: string, cwd: string): Promise<CorpusError> {
  const error = await loadCorpus(spec, { cwd }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CorpusError);
  expect((error as Error).message).not.toMatch(/[\r\n]/);
  return error as CorpusError;
}

describe("loadCorpus: which files", () => {
  it("reads a comma list of files, folders and globs, each file once, in spec order", async () => {
    const dir = await tempCorpus({
      "a.txt": seedText([["Paper A", ABSTRACT]]),
      "days/2025-07-01.json": JSON.stringify([{ title: "Paper B", abstract: ABSTRACT }]),
      "days/2025-07-02.json": JSON.stringify([{ title: "Paper C", abstract: ABSTRACT }]),
      "days/notes.md": "Paper Z\nNot a corpus file, not matched.\n",
      "more/x.jsonl": `${JSON.stringify({ title: "Paper D", abstract: ABSTRACT })}\n`,
    });

    const { papers, files } = await loadCorpus(" a.txt , days/*.json, more ,a.txt", { cwd: dir });

    expect(files.map((file) => file.path)).toEqual([
      "a.txt",
      path.join("days", "2025-07-01.json"),
      path.join("days", "2025-07-02.json"),
      path.join("more", "x.jsonl"),
    ]);
    expect(papers.map((paper) => paper.title)).toEqual(["Paper A", "Paper B", "Paper C", "Paper D"]);
    expect(papers.map((paper) => paper.rank)).toEqual([1, 1, 1, 1]);
  });

  it("loads the corpus files of a folder and its subfolders, but not hidden folders or other extensions", async () => {
    const dir = await tempCorpus({
      "corpus/top.txt": seedText([["Top Paper", ABSTRACT]]),
      "corpus/nested/deep.ndjson": `${JSON.stringify({ title: "Deep Paper", abstract: ABSTRACT })}\n`,
      "corpus/.cache/hidden.txt": seedText([["Hidden Paper", ABSTRACT]]),
      "corpus/state.sqlite": "SQLite format 3\u0000",
      "corpus/readme.md": "Readme Title\nReadme text.\n",
    });

    const { papers } = await loadCorpus("corpus", { cwd: dir });

    expect(papers.map((paper) => paper.title).sort()).toEqual(["Deep Paper", "Top Paper"]);
  });

  it("fails with one line naming what matched nothing", async () => {
    const dir = await tempCorpus({ "empty-folder/readme.md": "nothing here" });

    expect((await loadError("missing.txt", dir)).message).toBe("CORPUS: missing.txt does not exist");
    expect((await loadError("days/*.json", dir)).message).toBe("CORPUS: days/*.json matches no file");
    expect((await loadError("empty-folder", dir)).message).toMatch(
      /^CORPUS: folder empty-folder has no corpus files/,
    );
    expect((await loadError(" , ", dir)).message).toBe("CORPUS: names no file, folder or glob");
  });
});

describe("loadCorpus: duplicates", () => {
  it("keeps the first copy across files and fills its gaps from later copies", async () => {
    const dir = await tempCorpus({
      "1-seed.txt": seedText([
        ["Mamba: Linear-Time Sequence Modeling", ABSTRACT],
        ["Unique Seed Paper", ABSTRACT],
      ]),
      "2-daily.json": JSON.stringify([
        {
          paper: {
            id: "2312.00752",
            title: "MAMBA -- linear time sequence modeling",
            summary: "Another abstract.",
            authors: [{ name: "Albert Gu" }],
            upvotes: 99,
          },
          publishedAt: "2025-07-15T00:00:00Z",
          numComments: 3,
        },
        { paper: { id: "2312.00752v2", title: "A renamed copy with the same id", summary: "Same id." } },
        { paper: { id: "2507.00001", title: "Unique Daily Paper", summary: "Only here." } },
      ]),
    });

    const { papers, files } = await loadCorpus("1-seed.txt,2-daily.json", { cwd: dir });

    expect(papers.map((paper) => paper.title)).toEqual([
      "Mamba: Linear-Time Sequence Modeling",
      "Unique Seed Paper",
      "Unique Daily Paper",
    ]);
    expect(papers[0]).toMatchObject({
      id: titleId("Mamba: Linear-Time Sequence Modeling"),
      abstract: ABSTRACT,
      authors: ["Albert Gu"],
      upvotes: 99,
      comments: 3,
      featuredAt: "2025-07-15T00:00:00.000Z",
      url: "https://huggingface.co/papers/2312.00752",
      source: "1-seed.txt",
      rank: 1,
    });
    expect(papers[2]).toMatchObject({ source: "2-daily.json", rank: 3 });
    expect(files.map((file) => [file.path, file.papers.length, file.duplicates])).toEqual([
      ["1-seed.txt", 2, 0],
      ["2-daily.json", 3, 2],
    ]);
  });
});

describe("loadCorpus: bad input never crashes", () => {
  it("rejects an empty file and a binary file with one line naming the file", async () => {
    const dir = await tempCorpus({
      "empty.txt": " \n\n\t\n",
      "image.txt": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
      "latin1.txt": new Uint8Array(Array.from({ length: 200 }, (_, i) => 0xc0 + (i % 60))),
    });

    expect((await loadError("empty.txt", dir)).message).toBe("CORPUS: empty.txt has no papers (empty file)");
    expect((await loadError("image.txt", dir)).message).toBe("CORPUS: image.txt has no papers (binary file)");
    expect((await loadError("latin1.txt", dir)).message).toBe(
      "CORPUS: latin1.txt has no papers (not UTF-8 text)",
    );
    expect((await loadError("image.txt", dir)).file).toBe("image.txt");
  });

  it("rejects a text file of lines without words, naming it", async () => {
    const dir = await tempCorpus({ "dashes.txt": "-----\n*** ***\n12 + 3 = ?\n" });

    const error = await loadError("dashes.txt", dir);

    expect(error.message).toMatch(/^CORPUS: dashes\.txt has no papers \(text: /);
  });

  it("survives a 5 MB line: skipped where a title should be, cut where an abstract should be", async () => {
    const huge = "word ".repeat(1_000_000);
    const content = `${huge}\n${seedText([["Normal Paper", ABSTRACT]])}Paper With Huge Abstract\n${huge}\n`;
    const dir = await tempCorpus({ "huge.txt": content });

    const { papers, warnings } = await loadCorpus("huge.txt", { cwd: dir });

    expect(papers.map((paper) => paper.title)).toEqual(["Normal Paper", "Paper With Huge Abstract"]);
    expect(papers[1]?.abstract.length).toBeLessThanOrEqual(20_000);
    expect(papers[1]?.abstract.endsWith("…")).toBe(true);
    expect(warnings).toEqual([
      "huge.txt:1: line too long to be a title (5000000 characters); skipped",
      "huge.txt:4: record: abstract cut to 20000 characters",
    ]);
  });

  it("strips control characters and collapses whitespace in every text field", async () => {
    const dir = await tempCorpus({
      "dirty.txt": `\uFEFFClean\u0001 Ti\u0007tle\u009B\u001B[31m\n${ABSTRACT}\u0008\t\t end\n`,
      "dirty.jsonl": `${JSON.stringify({
        title: "Json\u0000 \n Title \ud800",
        abstract: "Line one\r\nline two\u0085",
        authors: ["A\u0000da", "\u0001"],
      })}\n`,
    });

    const { papers } = await loadCorpus("dirty.txt,dirty.jsonl", { cwd: dir });

    expect(papers[0]?.title).toBe("Clean Title[31m");
    expect(papers[0]?.abstract).toBe(`${ABSTRACT} end`);
    expect(papers[1]).toMatchObject({
      title: "Json Title \uFFFD",
      abstract: "Line one line two",
      authors: ["Ada"],
    });
    for (const paper of papers) {
      const text = `${paper.title}${paper.abstract}${paper.authors.join("")}`;
      const controls = [...text].filter((char) => {
        const code = char.charCodeAt(0);
        return code < 0x20 || (code >= 0x7f && code <= 0x9f);
      });
      expect(controls).toEqual([]);
    }
  });

  it("cuts an overlong title in a structured record instead of dropping the paper", async () => {
    const dir = await tempCorpus({
      "long.json": JSON.stringify([{ title: "Long ".repeat(200), abstract: ABSTRACT }]),
    });

    const { papers, warnings } = await loadCorpus("long.json", { cwd: dir });

    expect(papers[0]?.title.length).toBeLessThanOrEqual(500);
    expect(papers[0]?.title.endsWith("…")).toBe(true);
    expect(warnings).toEqual(["long.json:1: record 1: title cut to 500 characters"]);
  });
});

describe("loadCorpus: reloading with the previous result", () => {
  it("keeps the last good papers of a file that broke, and takes the changes of the others", async () => {
    const dir = await tempCorpus({
      "a.txt": seedText([["Paper A", ABSTRACT]]),
      "b.json": JSON.stringify([{ title: "Paper B", abstract: ABSTRACT }]),
    });
    const first = await loadCorpus("a.txt,b.json", { cwd: dir });

    await writeFile(path.join(dir, "a.txt"), seedText([["Paper A2", ABSTRACT]]));
    await writeFile(path.join(dir, "b.json"), '[{"title": "Paper B2", "abstr'); // half-written
    const second = await loadCorpus("a.txt,b.json", { cwd: dir, previous: first });

    expect(second.papers.map((paper) => paper.title)).toEqual(["Paper A2", "Paper B"]);
    expect(second.files.map((file) => [file.path, file.stale])).toEqual([
      ["a.txt", false],
      ["b.json", true],
    ]);
    expect(second.warnings).toEqual([
      expect.stringMatching(
        /^CORPUS: b\.json is not valid JSON .*; keeping its 1 paper from the last good load$/,
      ),
    ]);
  });

  it("keeps a deleted named file's papers and only warns when a glob matches nothing any more", async () => {
    const dir = await tempCorpus({
      "a.txt": seedText([["Paper A", ABSTRACT]]),
      "days/1.json": JSON.stringify([{ title: "Paper B", abstract: ABSTRACT }]),
    });
    const first = await loadCorpus("a.txt,days/*.json", { cwd: dir });

    await rm(path.join(dir, "days/1.json"));
    await writeFile(path.join(dir, "a.txt"), "");
    const second = await loadCorpus("a.txt,days/*.json", { cwd: dir, previous: first });

    expect(second.papers.map((paper) => paper.title)).toEqual(["Paper A"]);
    expect(second.warnings).toEqual([
      "CORPUS: days/*.json matches no file",
      "CORPUS: a.txt has no papers (empty file); keeping its 1 paper from the last good load",
    ]);
  });

  it("still throws on reload when no paper at all is left", async () => {
    const dir = await tempCorpus({
      "days/1.json": JSON.stringify([{ title: "Paper B", abstract: ABSTRACT }]),
    });
    const first = await loadCorpus("days/*.json", { cwd: dir });

    await rm(path.join(dir, "days/1.json"));

    await expect(loadCorpus("days/*.json", { cwd: dir, previous: first })).rejects.toThrow(CorpusError);
  });
});
