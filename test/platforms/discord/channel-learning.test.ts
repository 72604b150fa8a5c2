import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PERMISSIONS,
  ada,
  admin,
  buttonsOf,
  type DiscordBot,
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

describe("a Discord channel's digest learns from the 👍 pressed on its posts", () => {
  it("counts a press on the digest post for the channel, not one on a private answer, and /digest learn turns it off", async () => {
    const owner = running.fake.member(admin, { channel: "papers", permissions: ADMIN_PERMISSIONS });
    await running.fake.command(owner, { command: "digest", path: ["setup"] });
    await running.fake.command(owner, { command: "digest", path: ["size"], options: { size: 10 } });
    await running.fake.command(owner, { command: "digest", path: ["now"] });
    const channel = running.fake.channel("papers");
    const [post] = running.fake.messagesIn(channel.id);
    if (!post) throw new Error("no digest posted");
    const body = post.body as Record<string, unknown>;
    const [thumbsUp] = menusOf(body);
    const option = thumbsUp?.options[2];
    if (!thumbsUp || !option) throw new Error("no 👍 menu on the digest");

    const place = running.fake.member(ada, { channel: "papers" });
    const answer = await running.fake.choose(place, thumbsUp.custom_id, option.value, body);
    expect(readable(answer.data)).toMatch(/^👍 for “.+It also counts toward this channel's digest\.$/);
    const votes = () => running.bot.app.services.store.channelVotes.ratings(`discord:${channel.id}`);
    expect(await votes()).toEqual([{ paperId: paperIdsOf(body)[2], value: "up" }]);

    // A 👍 on a search answer only the presser sees is theirs alone.
    const search = await running.fake.command(running.fake.member(grace, { channel: "papers" }), {
      command: "papers",
      path: ["search"],
      options: { query: "kv cache", limit: 1 },
    });
    expect(menusOf(search.data)).toEqual([]);
    const button = buttonsOf(search.data).find((component) => component.label === "👍 Relevant");
    if (!button) throw new Error("no 👍 on the search answer");
    const privately = await running.fake.press(
      running.fake.member(grace, { channel: "papers" }),
      button.custom_id,
      search.data,
    );
    expect(readable(privately.data)).not.toContain("this channel's digest");
    expect((await votes()).map((vote) => vote.value)).toEqual(["up"]);

    const status = await running.fake.command(owner, { command: "digest", path: ["status"] });
    expect(readable(status.data)).toContain("from 1 paper rated 👍 and 0 papers rated 👎 here");
    const refused = await running.fake.command(place, {
      command: "digest",
      path: ["learn"],
      options: { mode: "off" },
    });
    expect(readable(refused.data)).toContain("/digest learn is for server and workspace admins");
    const off = await running.fake.command(owner, {
      command: "digest",
      path: ["learn"],
      options: { mode: "off" },
    });
    expect(readable(off.data)).toMatch(/^Learning is off/);
  });
});
