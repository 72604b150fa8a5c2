import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Message, PaperCard } from "../../src/core/message.ts";
import { ButtonIds } from "../../src/platforms/discord/button-ids.ts";
import { LIMITS, renderMessage } from "../../src/platforms/discord/render-message.ts";
import { TEXT_LIMIT } from "../../src/platforms/slack/escape.ts";
import { renderBlocks } from "../../src/platforms/slack/render-blocks.ts";
import { cardActions } from "../support/card-actions.ts";
import { fuzzRuns } from "./fuzz-runs.ts";
import { SLACK_MENTION, slackTexts } from "./slack-texts.ts";

/**
 * Paper text and users' queries are untrusted: whatever a feed or a person sends, rendering never
 * throws, stays inside each platform's limits, and cannot ping anyone.
 */

/** Text with the characters that mean something to Slack mrkdwn and Discord markdown, plus any unicode. */
const hostileText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc
    .array(
      fc.constantFrom(
        "<!channel>",
        "<!here>",
        "<!everyone>",
        "<@U0ADMIN01>",
        "<#C0PAPERS1>",
        "@everyone",
        "@here",
        "<https://evil.example|click>",
        "[x](https://evil.example)",
        "&amp;",
        "&",
        "<",
        ">",
        "|",
        "*",
        "_",
        "`",
        "~",
        "\\",
        "#",
        "\n",
        " ",
        "🙂",
        "é",
        "\u0000",
        "\u202e",
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join("")),
  fc.string({ maxLength: 40 }).map((word) => `${word} `.repeat(200)),
);

const card: fc.Arbitrary<PaperCard> = fc.record(
  {
    paperId: fc.oneof(fc.constant("2507.09080"), fc.string({ minLength: 1, maxLength: 40 })),
    title: hostileText,
    url: fc.oneof(fc.webUrl(), fc.constant("javascript:alert(1)"), fc.string()),
    authors: hostileText,
    snippet: hostileText,
    about: hostileText,
    reason: hostileText,
    note: hostileText,
    // Labels are the bot's own (card-extras.ts); the links come from sources.
    links: fc.array(
      fc.record({
        label: fc.constantFrom("PDF", "Code", "Code ⭐ 1,234,567", "Project", "DOI"),
        url: fc.oneof(
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          fc.constantFrom(
            "javascript:alert(1)",
            "https://a.example/)](x)|<!channel>",
            `https://a.example/${"p".repeat(3000)}`,
          ),
          fc.string(),
        ),
      }),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: ["paperId", "title", "snippet"] },
);

const message: fc.Arbitrary<Message> = fc.record({
  text: hostileText,
  cards: fc.array(card, { maxLength: 12 }),
  buttons: fc.array(fc.record({ label: hostileText, command: hostileText }), { maxLength: 30 }),
  ephemeral: fc.boolean(),
});

describe("rendering untrusted text", () => {
  it("on Slack: never throws, never writes a mention or broadcast, every text fits", () => {
    fc.assert(
      fc.property(message, (input) => {
        const rendered = renderBlocks(input, { cardActions });
        for (const text of slackTexts(rendered)) {
          expect(text).not.toMatch(SLACK_MENTION);
          expect(text.length).toBeLessThanOrEqual(TEXT_LIMIT);
        }
        expect(rendered.blocks.length).toBeLessThanOrEqual(50);
      }),
      fuzzRuns(Number(process.env.FUZZ_RUNS ?? 10_000)),
    );
  });

  // 1,000 runs: a Discord render of ten long cards costs ~14 ms (escapeMarkdown), so 10,000 would add
  // over two minutes to every CI run.
  it("on Discord: never throws and stays inside every message limit", () => {
    const buttonIds = new ButtonIds();
    fc.assert(
      fc.property(message, (input) => {
        const rendered = renderMessage(input, { buttonIds, cardActions });
        expect(rendered.content.length).toBeLessThanOrEqual(LIMITS.content);
        expect(rendered.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
        let total = 0;
        for (const embed of rendered.embeds) {
          expect((embed.title ?? "").length).toBeLessThanOrEqual(LIMITS.title);
          expect((embed.description ?? "").length).toBeLessThanOrEqual(LIMITS.description);
          total +=
            (embed.title ?? "").length +
            (embed.description ?? "").length +
            (embed.footer?.text ?? "").length +
            (embed.author?.name ?? "").length;
        }
        expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);
        expect(rendered.components.length).toBeLessThanOrEqual(LIMITS.rows);
        const ids = new Set<string>();
        for (const row of rendered.components) {
          expect(row.components.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
          for (const component of row.components) {
            if (!("custom_id" in component)) throw new Error("a component without a custom id");
            expect(component.custom_id.length).toBeLessThanOrEqual(100);
            expect(ids.has(component.custom_id), "custom ids are unique within a message").toBe(false);
            ids.add(component.custom_id);
            if ("label" in component)
              expect(component.label?.length ?? 0).toBeLessThanOrEqual(LIMITS.buttonLabel);
            if ("options" in component) {
              // A menu fills its row alone, with at most 25 options, each within Discord's 100 characters.
              expect(row.components.length).toBe(1);
              expect(component.options.length).toBeLessThanOrEqual(LIMITS.selectOptions);
              expect(component.placeholder?.length ?? 0).toBeLessThanOrEqual(LIMITS.placeholder);
              for (const option of component.options) {
                expect(option.label.length).toBeLessThanOrEqual(LIMITS.optionLabel);
                expect(option.value.length).toBeLessThanOrEqual(100);
              }
            }
          }
        }
      }),
      fuzzRuns(Number(process.env.FUZZ_RUNS ?? 1_000)),
    );
  });

  // Buttons only ever carry command lines, which start with "/".
  it("on Discord: a pressed id gives back the line its button was made for, and a forged id runs nothing", () => {
    const buttonIds = new ButtonIds();
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }).map((rest) => `/${rest}`),
        fc.constantFrom("update", "reply"),
        fc.string({ maxLength: 120 }),
        (line, mode, forged) => {
          expect(buttonIds.resolve(buttonIds.customId(line, mode))).toEqual({ mode, line });
          const resolved = buttonIds.resolve(forged);
          if (!forged.startsWith("u:") && !forged.startsWith("r:")) expect(resolved).toBeUndefined();
          // A forged short key for a long line this bot never made runs nothing: "expired".
          if (/^[ur]:#/.test(forged) && !/^[ur]:#[0-9a-z]+$/.test(forged))
            expect(resolved?.line).toBeUndefined();
        },
      ),
      fuzzRuns(Number(process.env.FUZZ_RUNS ?? 10_000)),
    );
  });
});
