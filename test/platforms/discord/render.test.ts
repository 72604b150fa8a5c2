import { describe, expect, it } from "vitest";
import type { Message, PaperCard } from "../../../src/core/message.ts";
import { ButtonIds } from "../../../src/platforms/discord/button-ids.ts";
import { LIMITS, renderMessage } from "../../../src/platforms/discord/render-message.ts";
import { embedCharacters } from "../../support/embed-characters.ts";

const words = (count: number, word = "attention") => Array.from({ length: count }, () => word).join(" ");
const card = (overrides: Partial<PaperCard> = {}): PaperCard => ({
  paperId: "2407.12345",
  title: "A paper",
  snippet: "A snippet.",
  ...overrides,
});
const message = (cards: PaperCard[], text = "Results"): Message => ({
  text,
  cards,
  buttons: [],
  ephemeral: true,
});
const render = (input: Message) => renderMessage(input, { buttonIds: new ButtonIds() });

describe("rendering within Discord's limits", () => {
  it("links the title, shows authors and puts the reason and id in the footer", () => {
    const [embed] = render(
      message([
        card({ url: "https://arxiv.org/abs/2407.12345", authors: "A. Vaswani et al.", reason: "▲ 42" }),
      ]),
    ).embeds;
    expect(embed).toMatchObject({
      title: "A paper",
      url: "https://arxiv.org/abs/2407.12345",
      author: { name: "A. Vaswani et al." },
      footer: { text: "▲ 42 · id 2407.12345" },
    });
  });

  it("cuts a long title at a word with an ellipsis", () => {
    const [embed] = render(message([card({ title: words(60) })])).embeds;
    expect(embed?.title?.length).toBeLessThanOrEqual(LIMITS.title);
    expect(embed?.title).toMatch(/attention…$/);
  });

  it("keeps ten huge cards under 6000 characters in all and drops an eleventh", () => {
    const cards = Array.from({ length: 11 }, () => card({ title: words(40), snippet: words(800) }));
    const { embeds } = render(message(cards));
    expect(embeds).toHaveLength(LIMITS.embeds);
    const total = embedCharacters(embeds);
    expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);
    for (const embed of embeds) expect(embed.description).toMatch(/…$/);
  });

  it("escapes markdown and masked links in paper text", () => {
    const [embed] = render(
      message([card({ title: "**Bold** claims", snippet: "See [here](https://evil.example) and __this__" })]),
    ).embeds;
    expect(embed?.title).toBe("\\*\\*Bold\\*\\* claims");
    // An escaped bracket does not open a link.
    expect(embed?.description).toContain("\\[here](https");
    expect(embed?.description).toContain("\\_\\_this\\_\\_");
  });

  it("moves text longer than a message's content into an embed", () => {
    const rendered = render(message([], words(400)));
    expect(rendered.content).toBe("");
    expect(rendered.embeds[0]?.description?.length).toBeLessThanOrEqual(LIMITS.description);
  });

  it("pages in place and maps a long command to a short button id that resolves back", () => {
    const ids = new ButtonIds();
    const long = `/papers search ${words(15)} limit:5 page:2`;
    const rendered = renderMessage(
      { text: "x", cards: [], buttons: [{ label: "Next ▶", command: long }], ephemeral: true },
      { buttonIds: ids },
    );
    const button = rendered.components[0]?.components[0];
    const id = button && "custom_id" in button ? button.custom_id : "";
    expect(id.length).toBeLessThanOrEqual(100);
    expect(ids.resolve(id)).toEqual({ mode: "update", line: long });
  });
});
