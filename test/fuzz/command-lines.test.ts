import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../src/core/message.ts";
import { consoleChannels, consoleInvoker } from "../../src/platforms/console/console-channel.ts";
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
 * Whatever a person types, the router answers: it never throws, answers within 200 ms, and its
 * answer renders on Discord and Slack inside their limits and without a mention, however the
 * text tries to smuggle one in.
 */

const ANSWER_WITHIN_MS = 200;

let bot: TestApp;
/** Every subcommand as typed (`/digest topics add`), with its option names (`topic:`). */
let subcommands: { readonly prefix: string; readonly options: readonly string[] }[] = [];
beforeAll(async () => {
  bot = await startTestApp();
  subcommands = bot.app.router.commands.flatMap((command) =>
    command.subcommands.map((subcommand) => ({
      prefix: `/${command.name} ${subcommand.path.join(" ")}`,
      options: Object.keys(subcommand.options.shape).map((name) => `${name}:`),
    })),
  );
});
afterAll(() => bot.close());

const smuggled = fc.constantFrom(
  "@everyone",
  "@here",
  "<!channel>",
  "<!everyone>",
  "<@U0ADMIN01>",
  "<@&1400000000000000001>",
  "<#C0PAPERS1>",
  "<https://evil.example|click>",
  "[x](https://evil.example)",
  "`",
  "*",
  '"',
  "“",
  ":",
  "0",
  "-1",
  "99999999999999999999",
  "24:00",
  "Mars/Olympus",
  "+02:00",
  "\n",
  "\u0000",
  "\u202e",
);

/**
 * Mostly a real subcommand followed by its own option names, values and hostile fragments in any
 * order, so that lines reach the handlers; sometimes any text at all.
 */
function lineArbitrary(): fc.Arbitrary<string> {
  const typed = fc.constantFrom(...subcommands).chain(({ prefix, options }) => {
    const part = fc.oneof(
      ...(options.length > 0 ? [fc.constantFrom(...options)] : []),
      smuggled,
      fc.string({ maxLength: 16 }),
      fc.constantFrom("kv cache", "diffusion", "language model", "2507.09080", "limit:3", "page:2"),
    );
    // Parts joined by a space or by nothing, so an option name and its value can fuse (`limit:-1`).
    return fc
      .array(fc.tuple(fc.constantFrom(" ", "", "  "), part), { maxLength: 6 })
      .map((parts) => prefix + parts.map(([separator, text]) => separator + text).join(""));
  });
  return fc.oneof(
    { weight: 4, arbitrary: typed },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 120 }) },
  );
}

const invoker = fc.constantFrom<Invoker>(consoleInvoker, memberInvoker);

function expectRenders(answer: Message, buttonIds: ButtonIds): void {
  const slack = renderBlocks(answer, { cardActions });
  for (const text of slackTexts(slack)) {
    expect(text).not.toMatch(SLACK_MENTION);
    expect(text.length).toBeLessThanOrEqual(TEXT_LIMIT);
  }
  const discord = renderMessage(answer, { buttonIds });
  expect(discord.content.length).toBeLessThanOrEqual(LIMITS.content);
  expect(discord.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
}

describe("command lines through the router", () => {
  it("answers 10,000 typed lines within 200 ms each, and every answer renders safely", async () => {
    const buttonIds = new ButtonIds();
    const run = async (typed: string, who: Invoker) => {
      const started = performance.now();
      const answer = await bot.app.router.runLine(typed, {
        invoker: who,
        channels: consoleChannels,
        services: bot.app.services,
      });
      return { answer, ms: performance.now() - started };
    };
    const slow: [string, Invoker][] = [];
    await fc.assert(
      fc.asyncProperty(lineArbitrary(), invoker, async (typed, who) => {
        const { answer, ms } = await run(typed, who);
        if (ms >= ANSWER_WITHIN_MS) slow.push([typed, who]);
        expect(answer.text.length + answer.cards.length).toBeGreaterThan(0);
        expectRenders(answer, buttonIds);
      }),
      fuzzRuns(10_000),
    );
    // A line that hangs hangs again; one that met a busy machine (a test beside it, a collection)
    // answers in time the second time.
    for (const [typed, who] of slow) expect((await run(typed, who)).ms, typed).toBeLessThan(ANSWER_WITHIN_MS);
    // The bound under test is each line's 200 ms; 10,000 lines take ~7 s alone and several times that
    // beside the other test files on two cores, so the run as a whole gets room.
  }, 180_000);
});
