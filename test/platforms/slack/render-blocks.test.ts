import { describe, expect, it } from "vitest";
import type { Message, PaperCard } from "../../../src/core/message.ts";
import { MAX_BLOCKS, renderBlocks } from "../../../src/platforms/slack/render-blocks.ts";
import { cardActions } from "../../support/card-actions.ts";

const hostile: PaperCard = {
  paperId: "2401.00001",
  title: "<!channel> Attention & <@U0ADMIN01> is all <https://evil.example|you need>",
  url: "https://arxiv.org/abs/2401.00001?a=1&b=2|x>y",
  authors: "<!here>, A. Author",
  snippet: "We <!everyone> show that <#C0PAPERS1> & friends > baselines.",
  reason: "matches “<!subteam^S1>”",
};

function allText(blocks: readonly unknown[]): string[] {
  const texts: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== "object" || value === null) return;
    const record = value as Record<string, unknown>;
    if (typeof record.text === "string") texts.push(record.text);
    Object.values(record).forEach(visit);
  };
  visit(blocks);
  return texts;
}

describe("Slack rendering of a message", () => {
  it("escapes paper text so nothing in it becomes a mention, a broadcast or a link", () => {
    const message: Message = {
      text: "Results for “<!here>”",
      cards: [hostile],
      buttons: [],
      ephemeral: true,
    };
    const { text, blocks } = renderBlocks(message);
    const rendered = [text, ...allText(blocks)].join("\n");
    expect(rendered).not.toMatch(/<[!@#]/);
    expect(rendered).toContain("&lt;!channel&gt; Attention &amp; &lt;@U0ADMIN01&gt;");
    expect(rendered).toContain("&lt;!everyone&gt;");
    // The one link is the paper's own, with the characters that would end it early encoded.
    expect(rendered.match(/<[^&]/g)).toHaveLength(1);
    expect(rendered).toContain("*<https://arxiv.org/abs/2401.00001?a=1&amp;b=2%7Cx%3Ey|&lt;!channel&gt;");
    // verbatim: Slack must not turn bare names or URLs into mentions and links either.
    for (const block of blocks) {
      const textObject = (block as { text?: { verbatim?: boolean } }).text;
      if (textObject) expect(textObject.verbatim).toBe(true);
    }
  });

  it("links only http(s) addresses", () => {
    const card = { ...hostile, title: "Plain", url: "javascript:alert(1)" };
    const { blocks } = renderBlocks({ text: "x", cards: [card], buttons: [], ephemeral: true });
    expect(allText(blocks).join("\n")).toContain("*Plain*");
    expect(allText(blocks).join("\n")).not.toContain("javascript");
  });

  it("stays within Block Kit's limits however big the message is, and always sets the fallback text", () => {
    const huge: PaperCard = {
      paperId: "t-0123456789ab",
      title: "T".repeat(5000),
      authors: "A".repeat(2000),
      snippet: "&".repeat(6000),
      reason: "r".repeat(4000),
    };
    const message: Message = {
      text: `${"help line\n".repeat(700)}end`,
      cards: Array.from({ length: 40 }, () => huge),
      buttons: Array.from({ length: 30 }, (_, index) => ({
        label: `Button ${index} ${"x".repeat(100)}`,
        command: `/papers help ${index}`,
      })),
      ephemeral: true,
    };
    const { text, blocks } = renderBlocks(message, { cardActions });
    expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(3000);
    for (const piece of allText(blocks)) {
      expect(piece.length).toBeLessThanOrEqual(3000);
      // Cut at an entity boundary: no half "&am" left dangling.
      expect(piece).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    const actions = blocks.findLast((block) => block.type === "actions") as {
      elements: { text: { text: string } }[];
    };
    expect(actions.elements.length).toBeLessThanOrEqual(25);
    for (const button of actions.elements) expect(button.text.text.length).toBeLessThanOrEqual(75);
    expect(allText(blocks).join("\n")).toContain("more not shown here");
    // The long help text is all there, split across sections.
    expect(allText(blocks).join("\n")).toContain("end");
  });

  it("falls back to the paper titles when a message has no text of its own", () => {
    const { text } = renderBlocks({
      text: "",
      cards: [{ ...hostile, title: "A & B" }],
      buttons: [],
      ephemeral: false,
    });
    expect(text).toBe("1. A &amp; B");
  });
});

describe("Slack rendering of a card's note and links", () => {
  const enriched: PaperCard = {
    paperId: "2507.09082",
    title: "Taming video models",
    snippet: "Optical flow.",
    note: "TL;DR (Hugging Face): <!everyone> flow & <@U0ADMIN01> for free",
    links: [
      { label: "PDF", url: "https://arxiv.org/pdf/2507.09082" },
      { label: "Code ⭐ 1,234", url: "https://github.com/example-lab/kl-tracing?x=1&y=2|z>w" },
      { label: "Project", url: "javascript:alert(1)" },
    ],
  };
  const render = () => renderBlocks({ text: "", cards: [enriched], buttons: [], ephemeral: true });

  it("shows the note under the snippet, escaped, and the links as mrkdwn links in the context line", () => {
    const { blocks } = render();
    const texts = allText(blocks);
    const section = texts.find((text) => text.includes("Optical flow."));
    expect(section).toContain(
      "\nTL;DR (Hugging Face): &lt;!everyone&gt; flow &amp; &lt;@U0ADMIN01&gt; for free",
    );
    expect(texts).toContain(
      "<https://arxiv.org/pdf/2507.09082|PDF> · <https://github.com/example-lab/kl-tracing?x=1&amp;y=2%7Cz%3Ew|Code ⭐ 1,234>",
    );
  });

  it("makes no mention, and no link of what is not http(s); the card stays within the block budget", () => {
    const { blocks } = render();
    const rendered = allText(blocks).join("\n");
    expect(rendered.replace(/<https:\/\/[^|>]+\|[^>]+>/g, "")).not.toMatch(/<[!@#]/);
    expect(rendered).not.toContain("javascript:");
    expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  });
});
