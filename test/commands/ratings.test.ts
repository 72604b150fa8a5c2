import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberInvoker, startTestApp, type TestApp } from "../support/test-app.ts";

let bot: TestApp;
beforeAll(async () => {
  bot = await startTestApp();
});
afterAll(async () => {
  await bot.close();
});

async function idsOf(query: string, count: number): Promise<string[]> {
  return (await bot.run(`/papers search ${query} limit:${count}`)).cards.map((card) => card.paperId ?? "");
}

describe("rating papers", () => {
  it("keeps one rating per paper, the latest winning, listed newest first, privately", async () => {
    const [first, second] = await idsOf("kv cache", 2);
    const up = await bot.run(`/papers rate ${first} up`);
    expect(up.ephemeral).toBe(true);
    expect(up.text).toMatch(/^👍 for “.+”\. Only you see it/);
    await bot.run(`/papers rate ${second} down`);
    const changed = await bot.run(`/papers rate ${first} down`);
    expect(changed.text).toMatch(/^👎 for “.+” \(was 👍\)/);

    const list = await bot.run("/papers ratings");
    expect(list.ephemeral).toBe(true);
    expect(list.text).toMatch(/^Your ratings 1–2 of 2, newest first\./);
    expect(list.cards.map((card) => card.paperId)).toEqual([first, second]);
    expect(list.cards.map((card) => card.reason?.slice(0, 2))).toEqual(["👎", "👎"]);

    expect((await bot.run(`/papers rate ${second} clear`)).text).toMatch(/^Cleared your rating/);
    expect((await bot.run(`/papers rate ${second} clear`)).text).toMatch(/^You have not rated/);
    expect((await bot.run("/papers ratings")).cards.map((card) => card.paperId)).toEqual([first]);
  });

  it("never shows one person's ratings to another", async () => {
    const [id] = await idsOf("speculative decoding", 1);
    await bot.run(`/papers rate ${id} up`);
    const other = { ...memberInvoker, userId: "someone-else", userName: "someone-else" };
    const theirs = await bot.run("/papers ratings", other);
    expect(theirs.text).toMatch(/^You have not rated any paper yet/);
  });

  it("forgets every rating only with confirm:yes, and answers bad input with the right form", async () => {
    const [id] = await idsOf("diffusion", 1);
    await bot.run(`/papers rate ${id} up`);
    expect((await bot.run("/papers forget")).text).toContain("/papers forget confirm:yes");
    expect((await bot.run("/papers ratings")).cards.length).toBeGreaterThan(0);
    expect((await bot.run("/papers forget confirm:yes")).text).toBe("Deleted all your ratings.");
    expect((await bot.run("/papers ratings")).text).toMatch(/^You have not rated any paper yet/);
    expect((await bot.run("/papers forget confirm:yes")).text).toBe("You had no ratings to delete.");

    const bad = await bot.run(`/papers rate ${id} sideways`);
    expect(bad.ephemeral).toBe(true);
    expect(bad.text).toContain("must be one of up, down, clear");
    expect((await bot.run("/papers rate 9999.99999 up")).text).toContain("No paper has the id “9999.99999”");
  });
});

describe("/papers foryou", () => {
  it("shows trending and how to start before any 👍, then papers like the rated one, never a rated paper", async () => {
    const other = { ...memberInvoker, userId: "reader", userName: "reader" };
    const before = await bot.run("/papers foryou limit:3", other);
    expect(before.ephemeral).toBe(true);
    expect(before.text).toMatch(
      /^Nothing rated 👍 yet, so here is what is trending\. Rate a paper with \/papers rate/,
    );
    expect(before.cards).toHaveLength(3);

    const [liked] = (await bot.run("/papers search kv cache limit:1", other)).cards;
    await bot.run(`/papers rate ${liked?.paperId} up`, other);
    const after = await bot.run("/papers foryou limit:5", other);
    expect(after.text).toMatch(/^For you \(1–5\), from your 1 rating\./);
    expect(after.cards.map((card) => card.paperId)).not.toContain(liked?.paperId);
    for (const card of after.cards) expect(card.reason).toBe(`like “${liked?.title}”, which you rated 👍`);
    const kvLike = after.cards.filter((card) => /KV|cache/i.test(`${card.title} ${card.snippet}`));
    expect(kvLike.length).toBeGreaterThanOrEqual(3);
    expect(after.buttons.map((button) => button.label)).toEqual(["Next ▶"]);
  });
});

describe("/papers alerts: a person's own digest", () => {
  const person = { ...memberInvoker, userId: "alerted", userName: "alerted" };

  it("sets a weekly schedule in the person's zone, and schedules their digest only that day", async () => {
    const answer = await bot.run("/papers alerts weekly time:08:00 timezone:Europe/Berlin day:fri", person);
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(
      /^Your digest comes by direct message every Friday at 08:00 Europe\/Berlin: papers for you/,
    );
    const saved = await bot.app.services.store.subscriptions.get("console:user:alerted");
    expect(saved?.alerts).toMatchObject({
      cadence: "weekly",
      time: "08:00",
      timezone: "Europe/Berlin",
      day: "fri",
    });
  });

  it("sends the person's 👍-learned picks by direct message, once, saying why each is there", async () => {
    const [liked] = (await bot.run("/papers search kv cache limit:1", person)).cards;
    await bot.run(`/papers rate ${liked?.paperId} up`, person);
    expect((await bot.run("/papers alerts daily", person)).text).toMatch(
      /^Your digest comes by direct message every day at 08:00 Europe\/Berlin: papers for you/,
    );
    const before = bot.sent.length;
    const outcome = await bot.app.services.digests.deliver("console:user:alerted", "2026-12-07");
    expect(outcome.status).toBe("delivered");
    const dm = bot.sent.slice(before).find((sent) => sent.target === "console:user:alerted");
    expect(dm?.message.text).toMatch(/^New for you · 7 Dec: 3 papers$/);
    for (const card of dm?.message.cards ?? [])
      expect(card.reason).toBe(`like “${liked?.title}”, which you rated 👍`);
    expect((await bot.app.services.digests.deliver("console:user:alerted", "2026-12-07")).status).toBe(
      "already-delivered",
    );
  });

  it("turns the digest off, and answers a day without weekly and a bad cadence with the right form", async () => {
    expect((await bot.run("/papers alerts off", person)).text).toMatch(/^Your digest is off/);
    expect(await bot.app.services.scheduler.slots()).toBeDefined();
    const outcome = await bot.app.services.digests.deliver("console:user:alerted", "2026-12-08");
    expect(outcome.status).toBe("not-configured");
    expect((await bot.run("/papers alerts daily day:mon", person)).text).toContain(
      "/papers alerts weekly day:mon",
    );
    const bad = await bot.run("/papers alerts sometimes", person);
    expect(bad.text).toContain("must be one of daily, weekly, off");
  });
});

describe("saving counts as a 👍", () => {
  it("gives /papers foryou papers like a saved one, never the saved one, before any rating", async () => {
    const saver = { ...memberInvoker, userId: "saver", userName: "saver" };
    const [saved] = (await bot.run("/papers search speculative decoding limit:1", saver)).cards;
    await bot.run(`/papers save ${saved?.paperId}`, saver);
    const picks = await bot.run("/papers foryou limit:5", saver);
    expect(picks.text).toMatch(/^For you \(1–5\), from your 0 ratings and 1 saved paper\./);
    expect(picks.cards.map((card) => card.paperId)).not.toContain(saved?.paperId);
    for (const card of picks.cards) expect(card.reason).toBe(`like “${saved?.title}”, which you rated 👍`);
    // A 👎 on the saved paper wins over the save: nothing is liked any more.
    await bot.run(`/papers rate ${saved?.paperId} down`, saver);
    expect((await bot.run("/papers foryou", saver)).text).toMatch(/^Nothing rated 👍 yet/);
  });
});
