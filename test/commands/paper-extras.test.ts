import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderText } from "../../src/platforms/console/render-text.ts";
import { enrichedCorpus, PUBLISHED } from "../support/enriched-corpus.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

let corpus: Awaited<ReturnType<typeof enrichedCorpus>>;
let bot: TestApp;
beforeAll(async () => {
  corpus = await enrichedCorpus();
  bot = await startTestApp({ env: { CORPUS: corpus.spec } });
});
afterAll(async () => {
  await bot.close();
  await corpus.cleanup();
});

describe("/papers paper with what the sources add", () => {
  it("shows the Hugging Face TL;DR, labelled as theirs, uncut, and the PDF, code with stars and project", async () => {
    const answer = await bot.run("/papers paper 2507.09082");
    const [card] = answer.cards;
    expect(card?.note).toBe(
      "TL;DR (Hugging Face): Frozen video world models, prompted with small perturbations, output optical flow without any flow training.",
    );
    expect(card?.links).toEqual([
      { label: "PDF", url: "https://arxiv.org/pdf/2507.09082" },
      { label: "Code ⭐ 1,234", url: "https://github.com/example-lab/kl-tracing" },
      { label: "Project", url: "https://example-lab.github.io/kl-tracing/" },
    ]);
  });

  it("shows the arXiv comment, the journal and the DOI, on the console too", async () => {
    const answer = await bot.run(`/papers paper ${PUBLISHED.id}`);
    expect(answer.text).toBe("Published 2025-01-02 · DOI 10.1103/PhysRevD.76.013009");
    expect(answer.cards[0]?.note).toBe(
      "Accepted at NeurIPS 2025 · Published in Phys. Rev. D 76, 013009 (2007)",
    );
    const text = renderText(answer);
    expect(text).toContain("   Accepted at NeurIPS 2025 · Published in Phys. Rev. D 76, 013009 (2007)");
    expect(text).toContain(
      "   PDF https://arxiv.org/pdf/2501.00001 · DOI https://doi.org/10.1103/PhysRevD.76.013009",
    );
  });

  it("shows a paper without any as before: no note, its PDF link only", async () => {
    const answer = await bot.run("/papers paper 2507.07998");
    expect(answer.cards[0]?.note).toBeUndefined();
    expect(answer.cards[0]?.links).toEqual([{ label: "PDF", url: "https://arxiv.org/pdf/2507.07998" }]);
  });
});
