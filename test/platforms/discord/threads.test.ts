import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paperThreadKey } from "../../../src/store/index.ts";
import { failures } from "../../fakes/discord/failures.ts";
import type { PostedMessage } from "../../fakes/discord/fake-discord.ts";
import { PERMISSIONS } from "../../fakes/discord/payloads.ts";
import {
  ADMIN_PERMISSIONS,
  ada,
  admin,
  buttonsOf,
  type DiscordBot,
  EPHEMERAL,
  grace,
  readable,
  startDiscordBot,
} from "./discord-bot.ts";

let running: DiscordBot;
beforeAll(async () => {
  running = await startDiscordBot({
    now: () => new Date("2026-11-26T08:00:00Z"),
    prepare: (fake) => {
      const channel = (
        name: string,
        overwrites: (typeof fake.guild.channels)[number]["overwrites"] = [],
      ) => ({
        id: `11000000000000001${String(fake.guild.channels.length).padStart(2, "0")}`,
        name,
        type: 0,
        overwrites,
      });
      fake.guild.channels.push(channel("reading"));
      fake.guild.channels.push(channel("club"));
      // The bot may post here, but not open threads.
      fake.guild.channels.push(
        channel("no-threads", [
          { id: fake.bot.id, type: 1, allow: 0n, deny: PERMISSIONS.createPublicThreads },
        ]),
      );
    },
  });
});
afterAll(() => running.close());

const adminIn = (channel: string) => running.fake.member(admin, { channel, permissions: ADMIN_PERMISSIONS });
const digest = (channel: string, path: string[], options: Record<string, string | number> = {}) =>
  running.fake.command(adminIn(channel), { command: "digest", path, options });
const idsOf = (body: Record<string, unknown>) =>
  (body.embeds as { footer: { text: string } }[]).map((embed) => embed.footer.text.replace(/^.*id /, ""));
const titlesOf = (body: Record<string, unknown>) =>
  (body.embeds as { title: string }[]).map((embed) => embed.title);
const button = (body: Record<string, unknown>, label: string) => {
  const found = buttonsOf(body).find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no “${label}” among ${buttonsOf(body).map((b) => b.label)}`);
  return found.custom_id;
};

/** Sets up a digest of `size` papers in `channel` and posts today's: the post. */
async function postDigest(channel: string, size: number): Promise<PostedMessage> {
  await digest(channel, ["setup"]);
  await digest(channel, ["size"], { size });
  const now = await digest(channel, ["now"]);
  expect(readable(now.data)).toMatch(/^Posted today's picks/);
  const post = running.fake.messagesIn(running.fake.channel(channel).id).at(-1);
  if (!post) throw new Error(`no digest posted in #${channel}`);
  return post;
}

/** The bot's REST calls since the `from`th request, less its interaction answers: what a press costs. */
const restCallsSince = (from: number) =>
  running.fake.requests
    .slice(from)
    .filter((request) => !/^\/(interactions|webhooks)\//.test(request.path))
    .map((request) => `${request.method} ${request.path.replace(/\d{15,}/g, ":id")}`);

const threadsIn = (channel: string) =>
  [...running.fake.threads.values()].filter((thread) => thread.parentId === running.fake.channel(channel).id);

describe("a discussion thread per paper (the Discuss button)", () => {
  it("opens the paper's thread, named after it with its card, and a second member's press joins that thread", async () => {
    const post = await postDigest("papers", 3);
    const papers = running.fake.channel("papers");
    expect(buttonsOf(post.body).map((b) => b.label)).toContain("Discuss #2");

    const before = running.fake.requests.length;
    const first = await running.fake.pressOnPost(
      running.fake.member(ada, { channel: "papers" }),
      button(post.body, "Discuss #2"),
      post,
    );
    expect(restCallsSince(before)).toEqual([
      "POST /channels/:id/threads",
      "POST /channels/:id/messages",
      "PUT /channels/:id/thread-members/:id",
    ]);
    expect(first.data.flags).toBe(EPHEMERAL);
    const [thread] = threadsIn("papers");
    if (!thread) throw new Error("no thread opened");
    const title = titlesOf(post.body)[1] ?? "";
    expect(thread.name).toBe(title.slice(0, 100));
    expect(readable(first.data)).toBe(`Opened the discussion of “${title}”: <#${thread.id}>`);
    // A post of three cards cannot carry three threads: each paper's is a thread of the channel, its card first.
    expect(thread.fromMessage).toBeUndefined();
    const [card] = running.fake.messagesIn(thread.id);
    expect(titlesOf(card?.body ?? {})).toEqual([title]);
    expect(idsOf(card?.body ?? {})).toEqual([idsOf(post.body)[1]]);
    expect(String(card?.body.content)).toContain(
      `https://discord.com/channels/${running.fake.guild.id}/${papers.id}/${post.id}`,
    );
    expect(card?.body.allowed_mentions).toEqual({ parse: [] });
    // The thread's card has no Discuss of its own: the thread is where it leads.
    expect(buttonsOf(card?.body ?? {}).map((b) => b.label)).not.toContain("Discuss");
    expect(thread.members.has(ada.id)).toBe(true);

    const beforeSecond = running.fake.requests.length;
    const second = await running.fake.pressOnPost(
      running.fake.member(grace, { channel: "papers" }),
      button(post.body, "Discuss #2"),
      post,
    );
    expect(restCallsSince(beforeSecond)).toEqual(["PUT /channels/:id/thread-members/:id"]);
    expect(readable(second.data)).toBe(`Joined the discussion of “${title}”: <#${thread.id}>`);
    expect(threadsIn("papers")).toHaveLength(1);
    expect(running.fake.messagesIn(thread.id)).toHaveLength(1);
    expect(thread.members.has(grace.id)).toBe(true);
  });

  it("starts a one-paper post's thread from the post itself", async () => {
    const post = await postDigest("reading", 1);
    const before = running.fake.requests.length;
    const answer = await running.fake.pressOnPost(
      running.fake.member(ada, { channel: "reading" }),
      button(post.body, "Discuss"),
      post,
    );
    const [thread] = threadsIn("reading");
    expect(thread?.id).toBe(post.id);
    expect(thread?.fromMessage).toBe(post.id);
    // The post is the thread's first message: no card is posted again.
    expect(restCallsSince(before)).toEqual([
      "POST /channels/:id/messages/:id/threads",
      "PUT /channels/:id/thread-members/:id",
    ]);
    expect(thread?.name).toBe((titlesOf(post.body)[0] ?? "").slice(0, 100));
    expect(readable(answer.data)).toContain(`<#${post.id}>`);
    // Its record lost (another store, say), the post's thread is still the one: Discord says it exists (160004).
    const channelKey = `discord:${running.fake.channel("reading").id}`;
    await running.bot.app.services.store.threads.delete(
      paperThreadKey(channelKey, idsOf(post.body)[0] ?? ""),
    );
    const again = await running.fake.pressOnPost(
      running.fake.member(grace, { channel: "reading" }),
      button(post.body, "Discuss"),
      post,
    );
    expect(readable(again.data)).toMatch(new RegExp(`^Opened the discussion of .*: <#${post.id}>$`));
    expect(threadsIn("reading")).toHaveLength(1);
    expect(thread?.members.has(grace.id)).toBe(true);
  });

  it("opens a new thread when the recorded one was deleted", async () => {
    const post = running.fake.messagesIn(running.fake.channel("papers").id).at(-1) as PostedMessage;
    const [old] = threadsIn("papers");
    running.fake.deleteThread(String(old?.id));
    const answer = await running.fake.pressOnPost(
      running.fake.member(grace, { channel: "papers" }),
      button(post.body, "Discuss #2"),
      post,
    );
    const [fresh] = threadsIn("papers");
    expect(fresh?.id).not.toBe(old?.id);
    expect(readable(answer.data)).toMatch(/^Opened the discussion of/);
  });

  it("names the missing permission, privately, where the bot may post but not open threads; setup warns of it", async () => {
    await digest("no-threads", ["setup"]);
    const setup = await digest("no-threads", ["setup"]);
    expect(readable(setup.data)).toContain("The bot lacks Create Public Threads in #no-threads");
    const refused = await digest("no-threads", ["threads"], { state: "on" });
    expect(readable(refused.data)).toMatch(
      /^Threads stay off\. The bot lacks Create Public Threads in #no-threads/,
    );
    await digest("no-threads", ["now"]);
    const post = running.fake.messagesIn(running.fake.channel("no-threads").id).at(-1) as PostedMessage;
    const pressed = await running.fake.pressOnPost(
      running.fake.member(ada, { channel: "no-threads" }),
      button(post.body, "Discuss #1"),
      post,
    );
    expect(pressed.data.flags).toBe(EPHEMERAL);
    expect(readable(pressed.data)).toContain(
      "The bot cannot open discussion threads in #no-threads: it lacks Create Public Threads.",
    );
    expect(threadsIn("no-threads")).toHaveLength(0);
    // Where the bot's view of its rights is out of date, Discord's own refusal (50013) is named the same way.
    running.fake.failNext("POST", /\/threads$/, failures.missingPermissions());
    const refusedByDiscord = await running.fake.pressOnPost(
      running.fake.member(ada, { channel: "papers" }),
      button(post.body, "Discuss #1"),
      { ...post, channelId: running.fake.channel("papers").id },
    );
    expect(readable(refusedByDiscord.data)).toContain(
      "Discord refused the bot a thread in #papers: it needs Create Public Threads and Send Messages in Threads there.",
    );
  });

  it("answers a forged Discuss for no paper, and one on a private answer opens the thread in the channel", async () => {
    const forged = await running.fake.press(running.fake.member(ada), "r:/papers discuss 2001.99999", {
      content: "an old post",
    });
    expect(readable(forged.data)).toContain("No paper has the id “2001.99999”");
    const paper = await running.fake.command(running.fake.member(ada), {
      command: "papers",
      path: ["paper"],
      options: {
        id: idsOf(running.fake.messagesIn(running.fake.channel("papers").id)[0]?.body ?? {})[0] ?? "",
      },
    });
    // A private answer's cards carry no Discuss; a press forged on one still finds no post to link.
    expect(buttonsOf(paper.data).map((b) => b.label)).not.toContain("Discuss");
    const id = idsOf(paper.data)[0] ?? "";
    const onPrivate = await running.fake.press(running.fake.member(ada), `r:/papers discuss ${id}`, {
      ...paper.data,
      flags: EPHEMERAL,
    });
    const [thread] = threadsIn("general");
    expect(readable(onPrivate.data)).toBe(
      `Opened the discussion of “${titlesOf(paper.data)[0]}”: <#${thread?.id}>`,
    );
    expect(running.fake.messagesIn(String(thread?.id))[0]?.body.content).toBe("Discussion of this paper.");
  });
});

describe("/digest threads on", () => {
  it("is for admins only", async () => {
    const refused = await running.fake.command(running.fake.member(ada, { channel: "papers" }), {
      command: "digest",
      path: ["threads"],
      options: { state: "on" },
    });
    expect(readable(refused.data)).toMatch(/^\/digest threads is for server and workspace admins/);
    expect(
      (await running.bot.app.services.store.channels.get(`discord:${running.fake.channel("papers").id}`))
        ?.threads,
    ).toBeUndefined();
  });

  it("opens one thread per paper with the next digest", async () => {
    await digest("club", ["setup"]);
    await digest("club", ["size"], { size: 3 });
    const on = await digest("club", ["threads"], { state: "on" });
    expect(readable(on.data)).toMatch(
      /^Each digest now opens one discussion thread per paper: #club .*a thread per paper/,
    );
    const before = running.fake.requests.length;
    await digest("club", ["now"]);
    const post = running.fake.messagesIn(running.fake.channel("club").id).at(-1) as PostedMessage;
    const opened = threadsIn("club");
    // The post, then a thread and its card per paper, one after another.
    expect(restCallsSince(before)).toEqual([
      "POST /channels/:id/messages",
      ...Array.from({ length: 3 }, () => [
        "POST /channels/:id/threads",
        "POST /channels/:id/messages",
      ]).flat(),
    ]);
    expect(opened.map((thread) => thread.name)).toEqual(
      titlesOf(post.body).map((title) => title.slice(0, 100)),
    );
    for (const thread of opened) expect(running.fake.messagesIn(thread.id)).toHaveLength(1);
    // A press afterwards joins the digest's thread.
    const joined = await running.fake.pressOnPost(
      running.fake.member(grace, { channel: "club" }),
      button(post.body, "Discuss #3"),
      post,
    );
    expect(readable(joined.data)).toContain(
      `Joined the discussion of “${titlesOf(post.body)[2]}”: <#${opened[2]?.id}>`,
    );
    expect(threadsIn("club").length).toBe(3);
    const off = await digest("club", ["threads"], { state: "off" });
    expect(readable(off.data)).toMatch(/^Digests no longer open threads/);
  });
});
