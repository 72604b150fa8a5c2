import { describe, expect, it } from "vitest";
import type { Message } from "../../src/core/message.ts";
import type { Paper } from "../../src/core/paper.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { renderText } from "../../src/platforms/console/render-text.ts";
import { ButtonIds } from "../../src/platforms/discord/button-ids.ts";
import { LIMITS, renderMessage } from "../../src/platforms/discord/render-message.ts";
import { embedCharacters } from "../support/embed-characters.ts";

const PAPER: Paper = {
  id: "2507.09082",
  title: "Taming generative video models for zero-shot optical flow extraction",
  abstract: "Extracting optical flow from videos remains a core computer vision problem.",
  authors: ["Seungwoo Kim"],
  url: "https://huggingface.co/papers/2507.09082",
  pdfUrl: "https://arxiv.org/pdf/2507.09082",
  rank: 1,
  source: "test",
  extras: {
    tldr: "Frozen video models output optical flow when prompted.",
    tldrBy: "Hugging Face",
    codeUrl: "https://github.com/example-lab/kl-tracing",
    codeStars: 12345,
    projectUrl: "https://example-lab.github.io/kl-tracing/",
    arxivComment: "Accepted at NeurIPS 2025",
    journalRef: "J. Flow 1 (2025)",
    doi: "10.1000/a(b)<c>",
  },
};

const message = (papers: readonly Paper[]): Message => ({
  text: "Results",
  cards: papers.map((paper) => paperCard(paper)),
  buttons: [],
  ephemeral: true,
});

describe("a card's note and links", () => {
  it("on the console: the note line, and each link's label and address", () => {
    const text = renderText(message([PAPER]));
    expect(text).toContain(
      "   TL;DR (Hugging Face): Frozen video models output optical flow when prompted. · Accepted at NeurIPS 2025 · Published in J. Flow 1 (2025)",
    );
    expect(text).toContain(
      "   PDF https://arxiv.org/pdf/2507.09082 · Code ⭐ 12,345 https://github.com/example-lab/kl-tracing · Project https://example-lab.github.io/kl-tracing/ · DOI https://doi.org/10.1000/a%28b%29%3Cc%3E",
    );
  });

  it("on the console: a paper without extras shows neither line", () => {
    const { extras: _, pdfUrl: __, ...plain } = PAPER;
    const text = renderText(message([plain]));
    expect(text).not.toMatch(/TL;DR|PDF|Code/);
  });

  it("on Discord: a DOI with brackets and parentheses stays one whole link", () => {
    const [embed] = renderMessage(message([PAPER]), { buttonIds: new ButtonIds() }).embeds;
    expect(embed?.description).toContain("[DOI](https://doi.org/10.1000/a%28b%29%3Cc%3E)");
  });

  it("on Discord: ten cards with long notes and links stay within 6000 characters, links whole or absent", () => {
    const long = "word ".repeat(400);
    const papers = Array.from({ length: 10 }, (_, i) => ({
      ...PAPER,
      id: `2507.0908${i}`,
      title: long.slice(0, 250),
      abstract: long,
      extras: { ...PAPER.extras, tldr: long, projectUrl: `https://example.org/${"p".repeat(900)}` },
    }));
    const { embeds } = renderMessage(message(papers), { buttonIds: new ButtonIds() });
    const total = embedCharacters(embeds);
    expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);
    for (const embed of embeds) {
      expect(embed.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.description);
      // Every markdown link that is there is complete.
      for (const link of embed.description?.match(/\]\([^)]*\)?/g) ?? [])
        expect(link).toMatch(/^\]\(https:\/\/\S+\)$/);
    }
  });
});
