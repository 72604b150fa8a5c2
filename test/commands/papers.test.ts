import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberInvoker, startTestApp, type TestApp } from "../support/test-app.ts";

let bot: TestApp;
beforeAll(async () => {
  bot = await startTestApp();
});
afterAll(async () => {
  await bot.close();
});

describe("/papers search", () => {
  it("ranks KV-cache papers first for “kv cache”, privately, with paging", async () => {
    const answer = await bot.run("/papers search kv cache");
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(/^Results 1–5 of \d+ for “kv cache”/);
    expect(answer.cards).toHaveLength(5);
    for (const card of answer.cards.slice(0, 3)) expect(card.title).toMatch(/KV|Key-Value/i);
    expect(answer.buttons.map((button) => button.label)).toEqual(["Next ▶"]);
  });

  it("pages without repeating a paper, with a way back", async () => {
    const first = await bot.run("/papers search kv cache limit:3");
    const next = first.buttons.find((button) => button.label === "Next ▶");
    expect(next?.command).toBeDefined();
    const second = await bot.run(next?.command ?? "");
    expect(second.text).toMatch(/^Results 4–6 of/);
    const firstIds = new Set(first.cards.map((card) => card.paperId));
    expect(second.cards.some((card) => firstIds.has(card.paperId))).toBe(false);
    expect(second.buttons.map((button) => button.label)).toContain("◀ Prev");
  });

  it("forgives a typo and says what it searched for instead", async () => {
    const answer = await bot.run("/papers search specualtive decoding");
    expect(answer.text).toContain("speculative");
    expect(answer.cards[0]?.title).toMatch(/speculative/i);
  });

  it("matches a quoted phrase and shows it once quoted", async () => {
    const answer = await bot.run('/papers search "kv cache" limit:3');
    expect(answer.text).toMatch(/^Results 1–3 of \d+ for "kv cache"\./);
    for (const card of answer.cards) expect(`${card.title} ${card.snippet}`).toMatch(/kv cach/i);
  });

  it("answers a bad option with its name and the right form", async () => {
    const answer = await bot.run("/papers search kv cache limit:20");
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toContain("limit must be a whole number from 1 to 10");
    expect(answer.text).toContain("Usage: /papers search <query> [limit:1-10]");
  });

  it("says so when nothing matches", async () => {
    const answer = await bot.run("/papers search zzzqqqxxv");
    expect(answer.cards).toHaveLength(0);
    expect(answer.text).toContain("No papers match “zzzqqqxxv”");
  });
});

describe("/papers paper, help and unknown subcommands", () => {
  it("shows one paper in full by the id a search gave", async () => {
    const [hit] = (await bot.run("/papers search self-attention memory")).cards;
    expect(hit).toBeDefined();
    const answer = await bot.run(`/papers paper ${hit?.paperId}`);
    expect(answer.cards[0]?.title).toBe(hit?.title);
    expect(answer.cards[0]?.snippet.length).toBeGreaterThan(hit?.snippet.length ?? 0);
  });

  it("answers an unknown id with what to do", async () => {
    const answer = await bot.run("/papers paper 9999.99999");
    expect(answer.text).toContain("No paper has the id “9999.99999”");
  });

  it("answers an unknown subcommand with the command's help", async () => {
    const answer = await bot.run("/papers frobnicate");
    expect(answer.text).toContain("Unknown subcommand “frobnicate”");
    expect(answer.text).toContain("/papers search <query>");
    expect(answer.text).toContain("/papers subscribe <topic>");
  });

  it("lists both commands in /papers help", async () => {
    const answer = await bot.run("/papers help");
    expect(answer.text).toContain("/papers search");
    expect(answer.text).toContain("/digest time <HH:MM> [timezone:Area/City]");
    // The query syntax a user cannot guess: phrases, author: and cat:.
    expect(answer.text).toContain("author:name and cat:cs.CL");
  });
});

describe("topic subscriptions", () => {
  it("follows, lists and unfollows topics per user, case-insensitively", async () => {
    const subscribed = await bot.run(`/papers subscribe "KV cache"`, memberInvoker);
    expect(subscribed.text).toContain("You now follow “KV cache”");
    expect(subscribed.text).toMatch(/\d+ papers match it today/);

    const again = await bot.run("/papers subscribe kv cache", memberInvoker);
    expect(again.text).toContain("already follow");

    const listed = await bot.run("/papers subscriptions", memberInvoker);
    expect(listed.text).toContain("• KV cache");
    const others = await bot.run("/papers subscriptions");
    expect(others.text).toContain("don't follow any topics");

    const removed = await bot.run("/papers unsubscribe kv cache", memberInvoker);
    expect(removed.text).toContain("no longer follow");
    expect((await bot.run("/papers subscriptions", memberInvoker)).text).toContain("don't follow any topics");
  });

  it("refuses a topic with nothing to search for", async () => {
    const answer = await bot.run("/papers subscribe !!!", memberInvoker);
    expect(answer.text).toContain("has no words to search for");
  });

  it("says on the console that discussion threads open on Discord and Slack, and that /digest threads cannot be turned on", async () => {
    const [card] = (await bot.run("/papers search kv cache limit:1")).cards;
    const discuss = await bot.run(`/papers discuss ${card?.paperId}`);
    expect(discuss.ephemeral).toBe(true);
    expect(discuss.text).toBe("Discussion threads open on Discord and Slack; the console has none.");
    await bot.run("/digest setup");
    const on = await bot.run("/digest threads on");
    expect(on.text).toBe("Discussion threads open on Discord and Slack; the console has none.");
    expect((await bot.run("/digest threads maybe")).text).toMatch(/^state must be one of on, off/);
  });
});
