import { describe, expect, it } from "vitest";
import { normalizeText, tokenize } from "../../src/search/index.ts";

describe("tokenize", () => {
  it("gives the same terms for the forms people mix up in queries", () => {
    const pairs = [
      ["models", "model"],
      ["caching", "cache"],
      ["cached", "caches"],
      ["decoding", "decode"],
      ["embeddings", "embedding"],
      ["policies", "policy"],
      ["modelling", "modeling"],
      ["GPUs", "GPU"],
    ] as const;
    for (const [a, b] of pairs) expect(tokenize(a), `${a} vs ${b}`).toEqual(tokenize(b));
  });

  it("keeps different words apart", () => {
    expect(tokenize("decoder")).not.toEqual(tokenize("decoding"));
    expect(tokenize("transformer")).not.toEqual(tokenize("transform"));
    expect(tokenize("corpus")).not.toEqual(tokenize("corp"));
  });

  it("folds case and accents and splits on punctuation", () => {
    expect(tokenize("Schrödinger KV-Cache")).toEqual(tokenize("schrodinger kv cache"));
    expect(normalizeText("Éléphant ﬁne")).toBe("elephant fine");
  });

  it("drops stopwords and one-letter pieces but keeps words with digits", () => {
    expect(tokenize("the of and is")).toEqual([]);
    expect(tokenize("O(n^2) memory")).toEqual(tokenize("memory"));
    expect(tokenize("GPT-4 3D 7B")).toEqual(["gpt", "3d", "7b"]);
  });

  it("returns nothing for punctuation, control characters and one endless word", () => {
    expect(tokenize("?!… --- ///")).toEqual([]);
    expect(tokenize("\u0000\u0007\u001b[\u0008")).toEqual([]);
    expect(tokenize("a".repeat(10_000))).toEqual([]);
  });
});
