import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleChannels } from "../../src/platforms/console/console-channel.ts";
import type { Invoker } from "../../src/platforms/contract.ts";
import { ButtonIds } from "../../src/platforms/discord/button-ids.ts";
import { LIMITS, renderMessage } from "../../src/platforms/discord/render-message.ts";
import { TEXT_LIMIT } from "../../src/platforms/slack/escape.ts";
import { renderBlocks } from "../../src/platforms/slack/render-blocks.ts";
import { cardActions } from "../support/card-actions.ts";
import { memberInvoker, startTestApp, type TestApp } from "../support/test-app.ts";
import { fuzzRuns } from "./fuzz-runs.ts";
import { SLACK_MENTION, slackTexts } from "./slack-texts.ts";

/**
 * The name a platform gives for whoever adds a paper is outside input that the reading list shows
 * to everyone in the channel: whatever it is, adding keeps the paper, and the list renders on
 * Slack and Discord inside their limits and without a mention.
 */

let bot: TestApp;
let paperIds: string[] = [];
beforeAll(async () => {
  bot = await startTestApp();
  paperIds = bot.app.services.catalog.current.papers.slice(0, 3).map((paper) => paper.id);
});
afterAll(() => bot.close());

const names = fc.oneof(
  fc.constantFrom(
    "@everyone",
    "@here",
    "<!channel>",
    "<@U0ADMIN01>",
    "*bold*",
    "`x`",
    "\u202e",
    "a".repeat(300),
  ),
  fc.string({ unit: "grapheme", maxLength: 120 }),
);

describe("who added a paper, as the reading list shows it", () => {
  it("keeps every add and renders any name safely", async () => {
    const buttonIds = new ButtonIds();
    await fc.assert(
      fc.asyncProperty(fc.array(names, { minLength: 1, maxLength: 3 }), async (given) => {
        await bot.app.services.store.readingLists.delete("console");
        for (const [i, userName] of given.entries()) {
          const adder: Invoker = { ...memberInvoker, userId: `u${i}`, userName };
          const added = await bot.app.router.runLine(`/digest list add ${paperIds[i]}`, {
            invoker: adder,
            channels: consoleChannels,
            services: bot.app.services,
          });
          expect(added.text).toMatch(/^Added/);
        }
        const list = await bot.app.router.runLine("/digest list", {
          invoker: memberInvoker,
          channels: consoleChannels,
          services: bot.app.services,
        });
        expect(list.cards.map((card) => card.paperId)).toEqual(paperIds.slice(0, given.length));
        for (const text of slackTexts(renderBlocks(list, { cardActions }))) {
          expect(text).not.toMatch(SLACK_MENTION);
          expect(text.length).toBeLessThanOrEqual(TEXT_LIMIT);
        }
        const discord = renderMessage(list, { buttonIds });
        expect(discord.content.length).toBeLessThanOrEqual(LIMITS.content);
        expect(discord.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
      }),
      fuzzRuns(300),
    );
  });
});
