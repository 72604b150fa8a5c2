import { describe, expect, it } from "vitest";
import { arxivIdOf, arxivIdOfUrl, stableId, titleId } from "../../src/corpus/index.ts";

describe("stable paper ids", () => {
  it("recognises arXiv ids in their usual spellings and drops the version", () => {
    expect(arxivIdOf("2507.09082")).toBe("2507.09082");
    expect(arxivIdOf("2507.09082v2")).toBe("2507.09082");
    expect(arxivIdOf("arXiv:1706.03762v7")).toBe("1706.03762");
    expect(arxivIdOf("0704.0001")).toBe("0704.0001");
    expect(arxivIdOf("hep-th/9901001v1")).toBe("hep-th/9901001");
    expect(arxivIdOf("math.GT/0309136")).toBe("math.GT/0309136");
  });

  it("does not take arbitrary numbers or words for arXiv ids", () => {
    expect(arxivIdOf("1234.5678")).toBeUndefined(); // month 34
    expect(arxivIdOf("2507.123")).toBeUndefined();
    expect(arxivIdOf("paper-42")).toBeUndefined();
  });

  it("reads arXiv ids out of arXiv and Hugging Face links", () => {
    expect(arxivIdOfUrl("https://arxiv.org/abs/2507.09082v3")).toBe("2507.09082");
    expect(arxivIdOfUrl("https://arxiv.org/pdf/2507.09082v1.pdf")).toBe("2507.09082");
    expect(arxivIdOfUrl("http://export.arxiv.org/abs/hep-th/9901001")).toBe("hep-th/9901001");
    expect(arxivIdOfUrl("https://huggingface.co/papers/2507.09082?x=1")).toBe("2507.09082");
    expect(arxivIdOfUrl("https://example.org/abs/2507.09082")).toBeUndefined();
  });

  it("prefers the arXiv id, then the record's own id, then the title hash", () => {
    const title = "Some Paper";
    expect(stableId({ id: "local-7", url: "https://arxiv.org/abs/2401.00001v2", title })).toBe("2401.00001");
    expect(stableId({ id: "2401.00002v4", title })).toBe("2401.00002");
    expect(stableId({ id: "db row #7 / draft", title })).toBe("db-row-7-draft");
    expect(stableId({ id: "///", title })).toBe(titleId(title));
    expect(stableId({ title })).toMatch(/^t-[0-9a-f]{12}$/);
  });

  it("gives the same title hash across case, accents, punctuation and whitespace", () => {
    const id = titleId("Self-Attention Does Not Need O(n^2) Memory");
    expect(titleId("  self attention does not need o(n^2)   memory ")).toBe(id);
    expect(titleId("SELF-ATTENTION\tDOES NOT NEED O(N^2) MEMORY.")).toBe(id);
    expect(titleId("Sélf-Attention Does Not Need O(n²) Memory")).toBe(
      titleId("Self-Attention Does Not Need O(n2) Memory"),
    );
    expect(titleId("Self-Attention Does Need O(n^2) Memory")).not.toBe(id);
  });
});
