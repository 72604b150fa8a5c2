import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message, PaperCard } from "../../src/core/message.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

let bot: TestApp;
let kvPaper: PaperCard;

beforeAll(async () => {
  bot = await startTestApp();
  const [top] = (await bot.run("/papers search kv cache limit:1")).cards;
  if (top === undefined) throw new Error("the seed corpus has no KV-cache paper");
  kvPaper = top;
});
afterAll(async () => {
  await bot.close();
});

function press(message: Message, label: string): Promise<Message> {
  const button = message.buttons.find((candidate) => candidate.label === label);
  if (button === undefined) throw new Error(`no “${label}” button in: ${message.text}`);
  return bot.run(button.command);
}

describe("“More like this”", () => {
  it("is a button on /papers paper that lists papers like it, privately", async () => {
    const shown = await bot.run(`/papers paper ${kvPaper.paperId}`);
    const answer = await press(shown, "More like this");
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toBe(`Papers like “${kvPaper.title}” (1–5).`);
    expect(answer.cards).toHaveLength(5);
    expect(answer.cards.map((card) => card.paperId)).not.toContain(kvPaper.paperId);
    const onTopic = answer.cards.filter((card) => /\bKV\b|cach|attention/i.test(card.title));
    expect(onTopic.length).toBeGreaterThanOrEqual(3);
    for (const card of answer.cards) expect(card.reason).toMatch(/^shares “[^”]+”/);
    expect(answer.buttons.map((button) => button.label)).toEqual(["Next ▶"]);
  });

  it("pages forward without repeating a paper, and back to the same first page", async () => {
    const first = await bot.run(`/papers similar ${kvPaper.paperId} limit:3`);
    const second = await press(first, "Next ▶");
    expect(second.text).toBe(`Papers like “${kvPaper.title}” (4–6).`);
    const firstIds = first.cards.map((card) => card.paperId);
    expect(second.cards).toHaveLength(3);
    expect(second.cards.some((card) => firstIds.includes(card.paperId))).toBe(false);
    expect(second.cards.map((card) => card.paperId)).not.toContain(kvPaper.paperId);
    const back = await press(second, "◀ Prev");
    expect(back.cards.map((card) => card.paperId)).toEqual(firstIds);
  });

  it("says when a page is past the end", async () => {
    const answer = await bot.run(`/papers similar ${kvPaper.paperId} limit:10 page:100`);
    expect(answer.cards).toHaveLength(0);
    expect(answer.text).toContain("page 100 is past the end");
  });

  it("answers an unknown id with what to do", async () => {
    const answer = await bot.run("/papers similar 9999.99999");
    expect(answer.ephemeral).toBe(true);
    expect(answer.cards).toHaveLength(0);
    expect(answer.text).toContain("No paper has the id “9999.99999”");
    expect(answer.text).toContain("/papers search");
  });

  it("answers a missing id or a bad limit with the right form", async () => {
    const missing = await bot.run("/papers similar");
    expect(missing.text).toContain("Usage: /papers similar <id> [limit:1-10] [page:1-100]");
    const badLimit = await bot.run(`/papers similar ${kvPaper.paperId} limit:11`);
    expect(badLimit.text).toContain("limit must be a whole number from 1 to 10");
  });

  it("is listed in /papers help", async () => {
    const answer = await bot.run("/papers help");
    expect(answer.text).toContain("/papers similar <id>");
  });
});
