import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryKey } from "../../../src/digest/digest-service.ts";
import { discordDeliveryRef } from "../../../src/platforms/discord/sender.ts";
import { EVERYONE_PERMISSIONS, PERMISSIONS } from "../../fakes/discord/payloads.ts";
import {
  ADMIN_PERMISSIONS,
  ada,
  admin,
  buttonsOf,
  type DiscordBot,
  EPHEMERAL,
  grace,
  menusOf,
  readable,
  startDiscordBot,
} from "./discord-bot.ts";

let running: DiscordBot;
beforeAll(async () => {
  running = await startDiscordBot({ now: () => new Date("2026-11-26T08:00:00Z") });
});
afterAll(() => running.close());

const run = (
  user = ada,
  path: string[],
  options: Record<string, string | number | { channel: string }> = {},
) =>
  running.fake.command(running.fake.member(user), {
    command: path[0] as string,
    path: path.slice(1),
    options,
  });
const runAsAdmin = (
  path: string[],
  options: Record<string, string | number | { channel: string }> = {},
  channel = "papers",
) =>
  running.fake.command(running.fake.member(admin, { channel, permissions: ADMIN_PERMISSIONS }), {
    command: path[0] as string,
    path: path.slice(1),
    options,
  });

describe("connecting and registering", () => {
  it("identifies with the Guilds intent only, over plain JSON", () => {
    expect(running.fake.intents).toEqual([1]);
    expect(running.fake.gateway.queries[0]).toBe("?v=10&encoding=json");
  });

  it("registers /papers and /digest globally from the command definitions", () => {
    const registered = running.fake.commands.global as Record<string, unknown>[];
    expect(registered.map((command) => command.name)).toEqual(["papers", "digest"]);
    const [papers, digest] = registered as [Record<string, unknown>, Record<string, unknown>];
    expect(papers.default_member_permissions).toBeNull();
    expect(papers.contexts).toEqual([0, 1]);
    // Anyone keeps a channel's reading list, so /digest is offered to everyone (the router refuses
    // its admin subcommands to members), and only in servers.
    expect(digest.default_member_permissions).toBeNull();
    expect(digest.contexts).toEqual([0]);

    const sub = (command: Record<string, unknown>, name: string) =>
      (command.options as Record<string, unknown>[]).find((option) => option.name === name) as Record<
        string,
        unknown
      >;
    const search = sub(papers, "search");
    expect(search.type).toBe(1);
    expect(search.options).toEqual([
      expect.objectContaining({
        name: "query",
        type: 3,
        required: true,
        autocomplete: true,
        max_length: 300,
      }),
      expect.objectContaining({ name: "limit", type: 4, required: false, min_value: 1, max_value: 10 }),
      expect.objectContaining({ name: "page", type: 4, required: false, min_value: 1, max_value: 100 }),
    ]);
    const topics = sub(digest, "topics");
    expect(topics.type).toBe(2);
    expect((topics.options as { name: string }[]).map((option) => option.name)).toEqual([
      "add",
      "remove",
      "clear",
    ]);
    // A name is a group or a subcommand on Discord, not both: typed `/digest list` is `list show`.
    const list = sub(digest, "list");
    expect(list.type).toBe(2);
    expect((list.options as { name: string }[]).map((option) => option.name)).toEqual([
      "show",
      "add",
      "remove",
    ]);
    const setup = sub(digest, "setup");
    expect(setup.options).toEqual([
      expect.objectContaining({ name: "channel", type: 7, required: false, channel_types: [0, 5] }),
    ]);
    for (const command of registered) {
      for (const option of command.options as { description: string }[]) {
        expect(option.description.length).toBeGreaterThan(0);
        expect(option.description.length).toBeLessThanOrEqual(100);
      }
    }
  });
});

describe("/papers, end to end through interactions", () => {
  it("search answers privately with one embed per paper, a Next button and a menu per kind of card button", async () => {
    const answer = await run(ada, ["papers", "search"], { query: "diffusion" });
    expect(answer.type).toBe(4);
    expect(answer.data.flags).toBe(EPHEMERAL);
    expect(answer.data.content).toMatch(/^Results 1–5 of \d+ for “diffusion”/);
    const embeds = answer.data.embeds as { title: string; description: string; footer: { text: string } }[];
    expect(embeds).toHaveLength(5);
    expect(embeds[0]?.title).toMatch(/diffusion/i);
    expect(embeds[0]?.footer.text).toMatch(/^id /);
    // Five cards and a Next row are six rows, one more than Discord allows: the cards' buttons become menus.
    expect(buttonsOf(answer.data).map((button) => button.label)).toEqual(["Next ▶"]);
    const menus = menusOf(answer.data);
    expect(menus.map((menu) => menu.placeholder)).toEqual([
      "👍 Relevant: choose a paper",
      "👎 Not for me: choose a paper",
      "🔖 Save: choose a paper",
      "More like this: choose a paper",
    ]);
    expect(menus[0]?.options.map((option) => option.label.replace(/ · .*/, ""))).toEqual([
      "👍 #1",
      "👍 #2",
      "👍 #3",
      "👍 #4",
      "👍 #5",
    ]);
    expect(menus[0]?.options[0]?.label).toBe(`👍 #1 · ${embeds[0]?.title}`);
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
  });

  it("search with limit shows that many", async () => {
    const answer = await run(ada, ["papers", "search"], { query: "language model", limit: 2 });
    expect(answer.data.embeds).toHaveLength(2);
  });

  it("paper shows one paper in full by its id", async () => {
    const search = await run(ada, ["papers", "search"], { query: "diffusion", limit: 1 });
    const id = (search.data.embeds as { footer: { text: string } }[])[0]?.footer.text.replace(/^.*id /, "");
    const answer = await run(ada, ["papers", "paper"], { id: String(id) });
    expect((answer.data.embeds as { footer: { text: string } }[])[0]?.footer.text).toContain(`id ${id}`);
    const unknown = await run(ada, ["papers", "paper"], { id: "9999.99999" });
    expect(unknown.data.content).toContain("No paper has the id “9999.99999”");
  });

  it("subscribe, subscriptions and unsubscribe keep a user's own topics", async () => {
    expect(readable((await run(grace, ["papers", "subscribe"], { topic: "kv cache" })).data)).toContain(
      "You now follow “kv cache”",
    );
    expect(readable((await run(grace, ["papers", "subscriptions"])).data)).toContain("kv cache");
    expect(readable((await run(ada, ["papers", "subscriptions"])).data)).toContain(
      "You don't follow any topics yet",
    );
    expect(readable((await run(grace, ["papers", "unsubscribe"], { topic: "kv cache" })).data)).toContain(
      "You no longer follow “kv cache”",
    );
  });

  it("help lists both commands, even though it is longer than a message's content allows", async () => {
    const answer = await run(ada, ["papers", "help"]);
    const text = readable(answer.data);
    expect(text).toContain("/papers");
    expect(text).toContain("/digest");
    expect(String(answer.data.content ?? "").length).toBeLessThanOrEqual(2000);
  });

  it("names a bad option value instead of failing", async () => {
    const answer = await run(ada, ["papers", "search"], { query: "diffusion", limit: 50 });
    expect(answer.data.content).toContain("limit must be a whole number from 1 to 10");
  });

  it("escapes markdown and pings nobody, whatever the user typed", async () => {
    const answer = await run(ada, ["papers", "subscribe"], {
      topic: "**bold** @everyone <@1400000000000000002>",
    });
    expect(answer.data.content).toContain("\\*\\*bold\\*\\*");
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
  });
});

describe("/digest, end to end through interactions", () => {
  it("refuses a member without Manage Server, with the reason, even if the server let them run it", async () => {
    const answer = await run(ada, ["digest", "setup"]);
    expect(answer.data.flags).toBe(EPHEMERAL);
    expect(answer.data.content).toContain("/digest setup is for server and workspace admins");
    await expect(running.bot.app.services.store.channels.list()).resolves.toEqual([]);
  });

  it("accepts Administrator as admin", async () => {
    const answer = await running.fake.command(
      running.fake.member(grace, {
        channel: "general",
        permissions: EVERYONE_PERMISSIONS | PERMISSIONS.administrator,
      }),
      { command: "digest", path: ["status"] },
    );
    expect(answer.data.content).toContain("No daily digest is set up here yet");
  });

  it("setup names the permission the bot lacks in the chosen channel", async () => {
    running.fake.guild.channels.push({
      id: "1100000000000000099",
      name: "no-embeds",
      type: 0,
      overwrites: [{ id: running.fake.guild.id, type: 0, allow: 0n, deny: PERMISSIONS.embedLinks }],
    });
    // The gateway tells the bot about the new channel, as Discord does.
    running.fake.dispatch("CHANNEL_CREATE", {
      id: "1100000000000000099",
      type: 0,
      name: "no-embeds",
      guild_id: running.fake.guild.id,
      position: 3,
      parent_id: null,
      permission_overwrites: [
        { id: running.fake.guild.id, type: 0, allow: "0", deny: String(PERMISSIONS.embedLinks) },
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const answer = await runAsAdmin(["digest", "setup"], { channel: { channel: "1100000000000000099" } });
    expect(answer.data.content).toContain("The bot is missing Embed Links in #no-embeds");
  });

  it("setup, time, size, topics, pause, resume, preview, status and now all work", async () => {
    const papers = running.fake.channel("papers");
    const setup = readable((await runAsAdmin(["digest", "setup"])).data);
    expect(setup).toContain("Set up: daily picks in #papers");
    expect(setup).not.toContain("lacks");
    expect(
      readable((await runAsAdmin(["digest", "time"], { time: "07:30", timezone: "Europe/Berlin" })).data),
    ).toContain("07:30 Europe/Berlin");
    expect(readable((await runAsAdmin(["digest", "size"], { size: 3 })).data)).toContain("3 papers");
    expect(readable((await runAsAdmin(["digest", "topics", "add"], { topic: "diffusion" })).data)).toContain(
      "diffusion",
    );
    expect(
      readable((await runAsAdmin(["digest", "topics", "remove"], { topic: "diffusion" })).data),
    ).not.toContain("diffusion");
    await runAsAdmin(["digest", "topics", "add"], { topic: "language" });
    expect(readable((await runAsAdmin(["digest", "topics", "clear"])).data)).not.toContain("language");
    expect(readable((await runAsAdmin(["digest", "pause"])).data)).toContain("Paused");
    expect(readable((await runAsAdmin(["digest", "resume"])).data)).toContain("Resumed");
    const preview = await runAsAdmin(["digest", "preview"]);
    expect(preview.data.flags).toBe(EPHEMERAL);
    expect(preview.data.embeds).toHaveLength(3);
    expect(running.fake.messagesIn(papers.id)).toHaveLength(0);
    expect(readable((await runAsAdmin(["digest", "status"])).data)).toContain("Last delivery: none yet.");

    const now = await runAsAdmin(["digest", "now"]);
    expect(readable(now.data)).toContain("Posted today's picks in #papers: 3 papers.");
    const posted = running.fake.messagesIn(papers.id);
    expect(posted).toHaveLength(1);
    const key = deliveryKey(`discord:${papers.id}`, "2026-11-26");
    expect(posted[0]?.body.content).toBe(`Today's picks · 26 Nov\n${discordDeliveryRef(key)}`);
    expect(posted[0]?.body.embeds).toHaveLength(3);
    expect(posted[0]?.body.allowed_mentions).toEqual({ parse: [] });
    const status = readable((await runAsAdmin(["digest", "status"])).data);
    expect(status).toContain("Last delivery: 2026-11-26, 3 papers");
    expect(status).not.toContain("lacks");
  });

  it("sets up a channel without Read Message History, warning in one line in setup and status", async () => {
    const id = "1100000000000000098";
    const overwrites = (deny: bigint) => [{ id: running.fake.guild.id, type: 0 as const, allow: 0n, deny }];
    const channelEvent = (deny: bigint) => ({
      id,
      type: 0,
      name: "no-history",
      guild_id: running.fake.guild.id,
      position: 4,
      parent_id: null,
      permission_overwrites: overwrites(deny).map((overwrite) => ({
        ...overwrite,
        allow: String(overwrite.allow),
        deny: String(overwrite.deny),
      })),
    });
    running.fake.guild.channels.push({
      id,
      name: "no-history",
      type: 0,
      overwrites: overwrites(PERMISSIONS.readMessageHistory),
    });
    running.fake.dispatch("CHANNEL_CREATE", channelEvent(PERMISSIONS.readMessageHistory));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const warning =
      "The bot lacks Read Message History in #no-history: without it a digest interrupted by a restart " +
      "cannot be checked and waits for an admin. Give the bot's role Read Message History there " +
      "(channel settings → Permissions).";
    const setup = String((await runAsAdmin(["digest", "setup"], {}, "no-history")).data.content);
    expect(setup).toMatch(/^Set up: daily picks in #no-history/);
    expect(setup.split("\n").filter((line) => line.includes("Read Message History"))).toEqual([warning]);
    const saved = await running.bot.app.services.store.channels.get(`discord:${id}`);
    expect(saved?.channelName).toBe("no-history");

    const status = String((await runAsAdmin(["digest", "status"], {}, "no-history")).data.content);
    expect(status).toMatch(/^Daily picks: #no-history/);
    expect(status.split("\n").filter((line) => line.includes("Read Message History"))).toEqual([warning]);

    // Granted since: status checks again and says nothing more.
    running.fake.dispatch("CHANNEL_UPDATE", channelEvent(0n));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const granted = String((await runAsAdmin(["digest", "status"], {}, "no-history")).data.content);
    expect(granted).toMatch(/^Daily picks: #no-history/);
    expect(granted).not.toContain("Read Message History");
  });
});

describe("/digest list, end to end through interactions", () => {
  const listIds = async () =>
    (await running.bot.app.services.store.readingLists.list())
      .find((list) => list.channelId === running.fake.channel("general").id)
      ?.papers.map((entry) => entry.paperId) ?? [];

  it("lets a member add and list, refuses another member's removal, and lets the adder or an admin remove", async () => {
    const search = await run(ada, ["papers", "search"], { query: "diffusion", limit: 2 });
    const [first, second] = (search.data.embeds as { footer: { text: string } }[]).map((embed) =>
      embed.footer.text.replace(/^.*id /, ""),
    ) as [string, string];

    const added = await run(ada, ["digest", "list", "add"], { id: first });
    expect(added.data.flags).toBe(EPHEMERAL);
    expect(added.data.content).toMatch(/^Added “.+” to the reading list of #general \(1 paper\)/);
    await run(grace, ["digest", "list", "add"], { id: second });
    await run(grace, ["papers", "save"], { id: first });

    const list = await run(grace, ["digest", "list", "show"]);
    expect(list.data.flags).toBe(EPHEMERAL);
    expect(list.data.content).toBe("Reading list of #general 1–2 of 2, in the order added.");
    expect(readable(list.data)).toMatch(/added by ada .* · saved by 1 person/);
    expect(readable(list.data)).toMatch(/added by grace .* · not saved by anyone yet/);
    expect(list.data.allowed_mentions).toEqual({ parse: [] });

    const refused = await run(grace, ["digest", "list", "remove"], { id: first });
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(refused.data.content).toMatch(/^\/digest list remove is for whoever added the paper \(ada did\)/);
    expect(await listIds()).toEqual([first, second]);

    const byAdmin = await running.fake.command(
      running.fake.member(admin, { permissions: ADMIN_PERMISSIONS }),
      { command: "digest", path: ["list", "remove"], options: { id: first } },
    );
    expect(byAdmin.data.content).toMatch(/^Removed “.+” from the reading list of #general \(1 paper left\)/);
    expect((await run(grace, ["digest", "list", "remove"], { id: second })).data.content).toMatch(/^Removed/);
    expect(await listIds()).toEqual([]);
  });

  it("says in a direct message that the list needs a channel", async () => {
    const answer = await running.fake.command(running.fake.dm(ada), {
      command: "digest",
      path: ["list", "show"],
    });
    expect(answer.data.content).toContain("needs a channel, not a direct message");
  });
});
