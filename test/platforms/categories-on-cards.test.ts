import { describe, expect, it } from "vitest";
import type { Message } from "../../src/core/message.ts";
import type { Paper } from "../../src/core/paper.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { renderText } from "../../src/platforms/console/render-text.ts";
import { ButtonIds } from "../../src/platforms/discord/button-ids.ts";
import { LIMITS, renderMessage } from "../../src/platforms/discord/render-message.ts";
import { MAX_BLOCKS, renderBlocks } from "../../src/platforms/slack/render-blocks.ts";
import { embedCharacters } from "../support/embed-characters.ts";

const PAPER: Paper = {
  id: "2507.10001",
  title: "Retrieval for Long Contexts",
  abstract: "We retrieve. It helps.",
  authors: ["Ada Lovelace"],
  url: "https://arxiv.org/abs/2507.10001",
  publishedAt: "2025-07-10T09:00:00.000Z",
  updatedAt: "2025-07-14T17:00:00.000Z",
  categories: ["cs.CL", "cs.IR"],
  rank: 1,
  source: "test",
};
const ABOUT = "cs.CL · cs.IR · updated 2025-07-14";

const message = (papers: readonly Paper[], reason?: string): Message => ({
  text: "Results",
  cards: papers.map((paper) => paperCard(paper, reason === undefined ? {} : { reason })),
  buttons: [],
  ephemeral: true,
});

describe("a paper card's categories and update day", () => {
  it("shows on the console beside the authors and id", () => {
    expect(renderText(message([PAPER]))).toContain(`Ada Lovelace · ${ABOUT} · id 2507.10001`);
  });

  it("shows in a Discord embed's footer and a Slack card's context line", () => {
    const [embed] = renderMessage(message([PAPER], "▲ 3"), { buttonIds: new ButtonIds() }).embeds;
    expect(embed?.footer?.text).toBe(`▲ 3 · ${ABOUT} · id 2507.10001`);
    const { blocks } = renderBlocks(message([PAPER], "▲ 3"));
    expect(JSON.stringify(blocks)).toContain(`▲ 3 · ${ABOUT} · id 2507.10001`);
  });

  it("leaves out an update on the day of publication, and names only the first four categories", () => {
    const card = paperCard({
      ...PAPER,
      updatedAt: "2025-07-10T20:00:00.000Z",
      categories: ["cs.CL", "cs.IR", "cs.LG", "cs.AI", "stat.ML", "math.OC"],
    });
    expect(card.about).toBe("cs.CL · cs.IR · cs.LG · cs.AI +2");
  });

  it("says nothing for a paper without categories or a later version", () => {
    const { categories: _categories, updatedAt: _updatedAt, ...plain } = PAPER;
    expect(paperCard(plain).about).toBeUndefined();
    expect(renderText(message([plain]))).toContain("Ada Lovelace · id 2507.10001");
  });

  it("keeps ten cards with the longest categories within Discord's and Slack's limits", () => {
    const crowded: Paper = {
      ...PAPER,
      title: "T".repeat(400),
      abstract: "word ".repeat(4000),
      // The longest arXiv code, ten times over (cleaning would keep ten distinct ones).
      categories: Array.from({ length: 10 }, () => "cond-mat.stat-mech"),
    };
    const papers = Array.from({ length: 10 }, (_, index) => ({ ...crowded, id: `2507.1000${index}` }));
    const { embeds } = renderMessage(message(papers, "matches “retrieval”"), { buttonIds: new ButtonIds() });
    const total = embedCharacters(embeds);
    expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);
    for (const embed of embeds) expect(embed.footer?.text.length).toBeLessThanOrEqual(LIMITS.footer);
    const { blocks } = renderBlocks(message(papers));
    expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    for (const block of blocks) {
      if (block.type === "context")
        for (const element of block.elements)
          if ("text" in element) expect(element.text.length).toBeLessThanOrEqual(3000);
    }
  });
});
