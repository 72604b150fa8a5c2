import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/index.ts";
import { SEED_PATH, seedText, tempCorpus } from "./temp-corpus.ts";

const ABSTRACT_A = "We study a problem. Our method improves results by a wide margin on three benchmarks.";
const ABSTRACT_B = "Large models are costly. We show a cheaper way to train them without losing accuracy.";
const ABSTRACT_C = "Agents fail at long tasks. We add memory and planning, and success doubles.";

describe("seed text format", () => {
  it("reads the seed page into exactly 196 papers in page order, without page chrome", async () => {
    const result = await loadCorpus(path.basename(SEED_PATH), { cwd: path.dirname(SEED_PATH) });
    const { papers } = result;

    expect(papers).toHaveLength(196);
    expect(papers[0]?.title).toBe("Taming generative video models for zero-shot optical flow extraction");
    expect(papers.at(-1)?.title).toBe("Self-attention Does Not Need O(n^2) Memory");
    expect(papers.map((paper) => paper.rank)).toEqual(papers.map((_, index) => index + 1));
    expect(result.warnings).toEqual([]);
    for (const paper of papers) {
      expect(paper.title).not.toMatch(/trending papers|^Subscribe/i);
      expect(paper.abstract).not.toMatch(/Get trending papers/);
      expect(paper.authors).toEqual([]);
      expect(paper.id).toMatch(/^t-[0-9a-f]{12}$/);
      expect(paper.source).toBe("papers.txt");
    }
  });

  it("pairs each title with the line after it, as on the page", async () => {
    const lines = (await readFile(SEED_PATH, "utf8")).split("\n");
    const { papers } = await loadCorpus(SEED_PATH);

    // Lines 1-2 are chrome; paper n sits on lines 2n+1 (title, with "Subscribe" glued to the first) and 2n+2.
    papers.forEach((paper, index) => {
      expect(lines[2 * index + 2]?.replace(/^Subscribe/, "")).toBe(paper.title);
      expect(lines[2 * index + 3]).toBe(paper.abstract);
    });
  });

  it("ignores blank lines, CRLF line ends and chrome lines in the middle", async () => {
    const content = [
      "Get trending papers in your email inbox!",
      "SubscribeFirst Paper on Things",
      "",
      ABSTRACT_A,
      "   ",
      "Get trending papers in your email inbox once a day!",
      "Second Paper on Stuff",
      ABSTRACT_B,
      "Subscribe",
      "",
    ].join("\r\n");
    const dir = await tempCorpus({ "page.txt": content });

    const { papers, warnings } = await loadCorpus("page.txt", { cwd: dir });

    expect(papers.map((paper) => [paper.title, paper.abstract])).toEqual([
      ["First Paper on Things", ABSTRACT_A],
      ["Second Paper on Stuff", ABSTRACT_B],
    ]);
    expect(warnings).toEqual([]);
  });

  it("skips a trailing title without abstract, warning with file and line", async () => {
    const dir = await tempCorpus({ "page.txt": `${seedText([["Paper One", ABSTRACT_A]])}Dangling Title\n` });

    const { papers, warnings, files } = await loadCorpus("page.txt", { cwd: dir });

    expect(papers.map((paper) => paper.title)).toEqual(["Paper One"]);
    expect(files[0]?.skipped).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^page\.txt:3: title without an abstract .*Dangling Title/);
  });

  it("keeps the pairs after a title that lost its abstract or an abstract that lost its title", async () => {
    const content = [
      "Paper One",
      ABSTRACT_A,
      "Orphan Title Without Abstract",
      "Paper Two",
      ABSTRACT_B,
      "An abstract whose title was lost. It goes on for a while, as abstracts do.",
      "Paper Three",
      ABSTRACT_C,
    ].join("\n");
    const dir = await tempCorpus({ "page.txt": content });

    const { papers, warnings } = await loadCorpus("page.txt", { cwd: dir });

    expect(papers.map((paper) => [paper.title, paper.abstract])).toEqual([
      ["Paper One", ABSTRACT_A],
      ["Paper Two", ABSTRACT_B],
      ["Paper Three", ABSTRACT_C],
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(/^page\.txt:3: title without an abstract/),
      expect.stringMatching(/^page\.txt:6: abstract without a title/),
    ]);
  });

  it("reads a title that starts with a bracket as text, not as a JSON array", async () => {
    const dir = await tempCorpus({
      "page.txt": seedText([["[Re] Reproducing Attention Sinks", ABSTRACT_A]]),
    });

    const { papers, files } = await loadCorpus("page.txt", { cwd: dir });

    expect(files[0]?.format).toBe("text");
    expect(papers[0]?.title).toBe("[Re] Reproducing Attention Sinks");
  });
});
