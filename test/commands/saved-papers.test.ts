import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/test-app.ts";

let bot: TestApp;
beforeAll(async () => {
  bot = await startTestApp();
});
afterAll(async () => {
  await bot.close();
});

/** Ids of the first `count` papers a search finds, in its order. */
async function idsOf(query: string, count: number): Promise<string[]> {
  const answer = await bot.run(`/papers search ${query} limit:${count}`);
  return answer.cards.map((card) => card.paperId ?? "");
}

describe("saving papers", () => {
  it("saves, lists newest first with when each was saved, and unsaves, privately", async () => {
    const [first, second] = await idsOf("kv cache", 2);
    const saved = await bot.run(`/papers save ${first}`);
    expect(saved.ephemeral).toBe(true);
    expect(saved.text).toMatch(/^Saved “.+” \(1 saved paper\)/);
    await bot.run(`/papers save ${second}`);

    const list = await bot.run("/papers saved");
    expect(list.ephemeral).toBe(true);
    expect(list.text).toMatch(/^Your saved papers 1–2 of 2, newest first\./);
    expect(list.cards.map((card) => card.paperId)).toEqual([second, first]);
    expect(list.cards[0]?.reason).toMatch(/^saved \d{1,2} [A-Z][a-z]{2}$/);

    expect((await bot.run(`/papers unsave ${second}`)).text).toMatch(/^Removed/);
    expect((await bot.run("/papers saved")).cards.map((card) => card.paperId)).toEqual([first]);
    await bot.run(`/papers unsave ${first}`);
  });

  it("answers saving twice, an unknown id and unsaving what was not saved, clearly, losing nothing", async () => {
    const [id] = await idsOf("speculative decoding", 1);
    await bot.run(`/papers save ${id}`);
    const again = await bot.run(`/papers save ${id}`);
    expect(again.text).toMatch(/is already saved\. \/papers saved lists your 1 paper\./);

    const unknown = await bot.run("/papers save 9999.99999");
    expect(unknown.ephemeral).toBe(true);
    expect(unknown.text).toContain("No paper has the id “9999.99999”");

    expect((await bot.run("/papers unsave 9999.99999")).text).toContain("is not among your saved papers");
    expect((await bot.run("/papers saved")).cards).toHaveLength(1);
    await bot.run(`/papers unsave ${id}`);
  });

  it("says how to start when nothing is saved, and pages a long list", async () => {
    expect((await bot.run("/papers saved")).text).toMatch(/^You have no saved papers yet\. Save one with/);
    const ids = await idsOf("model", 10);
    const more = await idsOf("learning", 10);
    const all = [...new Set([...ids, ...more])].slice(0, 12);
    for (const id of all) await bot.run(`/papers save ${id}`);
    const first = await bot.run("/papers saved");
    expect(first.text).toMatch(new RegExp(`^Your saved papers 1–10 of ${all.length}`));
    expect(first.buttons.map((button) => button.label)).toEqual(["Next ▶"]);
    const next = await bot.run(first.buttons[0]?.command ?? "");
    expect(next.cards.map((card) => card.paperId)).toEqual([...all].reverse().slice(10));
    expect((await bot.run("/papers saved page:99")).text).toMatch(/page 99 is past the end/);
  });
});
