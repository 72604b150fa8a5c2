import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/index.ts";
import { FIXTURES } from "./temp-corpus.ts";

describe("Hugging Face daily_papers response", () => {
  it("maps each entry to a paper with links, counts, authors and the day it was featured", async () => {
    const { papers, files } = await loadCorpus("daily-papers.json", { cwd: FIXTURES });

    expect(files[0]?.format).toBe("json");
    expect(papers[0]).toEqual({
      id: "2507.09082",
      title: "Taming generative video models for zero-shot optical flow extraction",
      abstract:
        "Extracting optical flow from videos remains a core computer vision problem. Motivated by the success of " +
        "large general-purpose models, we ask whether frozen self-supervised video models can be prompted to output flow.",
      authors: ["Seungwoo Kim", "Khai Loong Aw"],
      url: "https://huggingface.co/papers/2507.09082",
      pdfUrl: "https://arxiv.org/pdf/2507.09082",
      publishedAt: "2025-07-11T23:59:38.000Z",
      featuredAt: "2025-07-15T02:25:23.927Z",
      upvotes: 14,
      comments: 2,
      rank: 1,
      source: "daily-papers.json",
    });
  });

  it("drops the version suffix from the id and its links", async () => {
    const { papers } = await loadCorpus("daily-papers.json", { cwd: FIXTURES });

    expect(papers[1]).toMatchObject({
      id: "2507.10524",
      url: "https://huggingface.co/papers/2507.10524",
      pdfUrl: "https://arxiv.org/pdf/2507.10524",
      authors: ["Zheng Chen"],
      comments: 0,
      rank: 2,
    });
  });

  it("skips an entry without a summary, naming the file and its line", async () => {
    const { papers, warnings } = await loadCorpus("daily-papers.json", { cwd: FIXTURES });

    expect(papers).toHaveLength(2);
    expect(warnings).toEqual([
      expect.stringMatching(/^daily-papers\.json:33: record 3 skipped: paper\.summary/),
    ]);
  });
});
