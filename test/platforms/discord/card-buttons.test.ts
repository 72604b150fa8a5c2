import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userTarget } from "../../../src/digest/targets.ts";
import {
  ADMIN_PERMISSIONS,
  ada,
  admin,
  buttonsOf,
  type DiscordBot,
  EPHEMERAL,
  grace,
  menusOf,
  paperIdsOf,
  readable,
  startDiscordBot,
} from "./discord-bot.ts";

let running: DiscordBot;
beforeAll(async () => {
  running = await startDiscordBot({ now: () => new Date("2026-11-26T08:00:00Z") });
});
afterAll(() => running.close());

const run = (user: typeof ada, path: string[], options: Record<string, string | number> = {}) =>
  running.fake.command(running.fake.member(user), { command: "papers", path, options });
const ratingsOf = async (user: typeof ada) =>
  running.bot.app.services.store.ratings.newestFirst(userTarget({ platform: "discord", userId: user.id }));
const pressed = (data: Record<string, unknown>, label: string) => {
  const button = buttonsOf(data).find((candidate) => candidate.label === label);
  if (!button) throw new Error(`no “${label}” among ${buttonsOf(data).map((b) => b.label)}`);
  return button.custom_id;
};

describe("the buttons on every paper card", () => {
  it("gives one paper a row of 👍, 👎, 🔖 and More like this, and a 👍 is answered privately in one line", async () => {
    const [id] = paperIdsOf((await run(ada, ["search"], { query: "kv cache", limit: 1 })).data);
    const paper = await run(ada, ["paper"], { id: String(id) });
    expect(paper.data.components).toHaveLength(1);
    expect(buttonsOf(paper.data).map((button) => button.label)).toEqual([
      "👍 Relevant",
      "👎 Not for me",
      "🔖 Save",
      "More like this",
    ]);
    const answer = await running.fake.press(
      running.fake.member(ada),
      pressed(paper.data, "👍 Relevant"),
      paper.data,
    );
    // 4: a new reply, not an update of the message the button is on.
    expect(answer.type).toBe(4);
    expect(answer.data.flags).toBe(EPHEMERAL);
    expect(readable(answer.data).split("\n")).toHaveLength(1);
    expect(readable(answer.data)).toMatch(/^👍 for “/);
    expect((await ratingsOf(ada)).map((rating) => [rating.paperId, rating.value])).toEqual([[id, "up"]]);
    expect(await ratingsOf(grace)).toEqual([]);
  });

  it("numbers each card's row when a few cards share a message, and a press rates that card's paper", async () => {
    const search = await run(grace, ["search"], { query: "language model", limit: 3 });
    const ids = paperIdsOf(search.data);
    expect(buttonsOf(search.data).map((button) => button.label)).toEqual([
      ...["👍 #1", "👎 #1", "🔖 #1", "More like #1"],
      ...["👍 #2", "👎 #2", "🔖 #2", "More like #2"],
      ...["👍 #3", "👎 #3", "🔖 #3", "More like #3"],
      "Next ▶",
    ]);
    await running.fake.press(running.fake.member(grace), pressed(search.data, "👎 #2"), search.data);
    const saved = await running.fake.press(
      running.fake.member(grace),
      pressed(search.data, "🔖 #3"),
      search.data,
    );
    expect(readable(saved.data)).toMatch(/^Saved “/);
    expect((await ratingsOf(grace)).map((rating) => [rating.paperId, rating.value])).toEqual([
      [ids[1], "down"],
    ]);
  });

  it("carries every card's buttons on a 10-paper digest as menus, within Discord's five rows", async () => {
    const member = running.fake.member(admin, { channel: "papers", permissions: ADMIN_PERMISSIONS });
    await running.fake.command(member, { command: "digest", path: ["setup"] });
    await running.fake.command(member, { command: "digest", path: ["size"], options: { size: 10 } });
    await running.fake.command(member, { command: "digest", path: ["now"] });
    const [post] = running.fake.messagesIn(running.fake.channel("papers").id);
    if (!post) throw new Error("no digest posted");
    const body = post.body as Record<string, unknown>;
    expect(body.embeds).toHaveLength(10);
    expect((body.components as unknown[]).length).toBeLessThanOrEqual(5);
    const menus = menusOf(body);
    // A channel post's cards carry Discuss too: a fifth kind, a fifth menu.
    expect(menus.map((menu) => menu.options.length)).toEqual([10, 10, 10, 10, 10]);
    expect(menus[4]?.placeholder).toBe("Discuss: choose a paper");
    // Fifty presses of one option, all at once, keep one rating; the latest choice wins.
    const thumbsDown = menus[1]?.options[6];
    const thumbsUp = menus[0]?.options[6];
    if (!thumbsDown || !thumbsUp) throw new Error("no 7th option");
    const place = running.fake.member(ada, { channel: "papers" });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        running.fake.choose(place, String(menus[1]?.custom_id), thumbsDown.value, body),
      ),
    );
    for (const answer of answers) expect(answer.data.flags).toBe(EPHEMERAL);
    await running.fake.choose(place, String(menus[0]?.custom_id), thumbsUp.value, body);
    const seventh = paperIdsOf(body)[6];
    const rated = (await ratingsOf(ada)).filter((rating) => rating.paperId === seventh);
    expect(rated.map((rating) => rating.value)).toEqual(["up"]);
    // Nobody else's view of the post changed: it was never edited.
    expect(running.fake.messagesIn(running.fake.channel("papers").id)).toHaveLength(1);
  });

  it("answers a button for a paper that left the corpus with what is wrong, and never runs an admin command for a member", async () => {
    const stale = await running.fake.press(running.fake.member(ada), "r:/papers rate 2001.99999 up", {
      content: "an old post",
    });
    expect(stale.data.flags).toBe(EPHEMERAL);
    expect(readable(stale.data)).toContain("No paper has the id “2001.99999”");
    // A forged custom id is only a command line: the router still checks who pressed it.
    const forged = await running.fake.press(
      running.fake.member(grace, { channel: "papers" }),
      "r:/digest pause",
      {
        content: "a forged post",
      },
    );
    expect(readable(forged.data)).toMatch(/admin/i);
    const status = await running.fake.command(
      running.fake.member(admin, { channel: "papers", permissions: ADMIN_PERMISSIONS }),
      { command: "digest", path: ["status"] },
    );
    expect(readable(status.data)).not.toMatch(/paused/i);
  });
});
