import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.ts";
import { pickDigest } from "../../src/picks/index.ts";
import { SearchIndex } from "../../src/search/index.ts";
import { distinctPaper, fixturePaper } from "./fixtures.ts";

const KV_CACHE_VARIANTS = [
  "Compressing the KV cache for long-context LLM inference",
  "KV cache compression for efficient long-context LLM inference",
  "Efficient long-context inference by compressing the KV cache of LLMs",
  "Long-context LLM inference with a compressed KV cache",
  "KV cache quantization and compression for long-context LLM inference",
];

function nearDuplicate(position: number): Paper {
  return fixturePaper({
    id: `kv-${position}`,
    title: KV_CACHE_VARIANTS[position] ?? "",
    abstract:
      "Long-context inference of large language models is limited by the memory of the key-value cache. " +
      `We compress the KV cache of attention layers (variant ${position}), evicting and quantizing cached keys ` +
      "and values, and cut memory by 4x with little loss in accuracy on long-context benchmarks.",
    upvotes: 100 - position,
    publishedAt: "2025-03-10",
  });
}

describe("diversity within one digest", () => {
  const duplicates = KV_CACHE_VARIANTS.map((_, position) => nearDuplicate(position));
  const others = Array.from({ length: 5 }, (_, i) =>
    distinctPaper(i, { id: `other-${i}`, upvotes: 60 - i, publishedAt: "2025-03-10" }),
  );
  const papers = [...duplicates, ...others];
  const picks = pickDigest(papers, SearchIndex.build(papers), {
    localDate: "2025-03-10",
    size: 5,
    topics: [],
    delivered: new Set(),
  });
  const pickedIds = picks.map(({ paper }) => paper.id);

  it("does not fill a digest with five versions of the same paper, though they trend highest", () => {
    expect(picks).toHaveLength(5);
    expect(pickedIds.filter((id) => id.startsWith("kv-")).length).toBeLessThanOrEqual(2);
  });

  it("still leads with the most trending paper", () => {
    expect(pickedIds[0]).toBe("kv-0");
  });

  it("keeps the near-duplicates it passed over for a later day", () => {
    const tomorrow = pickDigest(papers, SearchIndex.build(papers), {
      localDate: "2025-03-10",
      size: 5,
      topics: [],
      delivered: new Set(pickedIds),
    });
    expect(tomorrow.map(({ paper }) => paper.id).filter((id) => id.startsWith("kv-")).length).toBeGreaterThan(
      0,
    );
  });
});
