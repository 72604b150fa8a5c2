import { SnowflakeUtil } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { textMessage } from "../../../src/core/message.ts";
import { DeliveryError, NotTakenError } from "../../../src/digest/delivery-error.ts";
import { deliveryKey } from "../../../src/digest/digest-service.ts";
import { discordDeliveryRef } from "../../../src/platforms/discord/sender.ts";
import { failures } from "../../fakes/discord/failures.ts";
import type { FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { type FakeUser, PERMISSIONS } from "../../fakes/discord/payloads.ts";
import { ada, type DiscordBot, startDiscordBot } from "./discord-bot.ts";

let running: DiscordBot | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const DAY = "2026-11-26";
/** Another bot in the server, which could copy any message it sees. */
const otherBot: FakeUser = { id: "1500000000000000001", username: "copycat", bot: true };
const LISTING = /^\/channels\/\d+\/messages$/;

async function started(): Promise<DiscordBot> {
  running = await startDiscordBot();
  return running;
}

const aMinuteAgo = () => new Date(Date.now() - 60_000);

/** A keyed post through the outbox, as a delivery makes it; its message id. */
async function keyedPost(
  bot: DiscordBot,
  target: string,
  key: string,
  text = "Today's picks",
): Promise<string> {
  const sent = await bot.bot.app.outbox.send(target, textMessage(text, { ephemeral: false }), {
    idempotencyKey: key,
  });
  expect(sent.messageId).toBeDefined();
  return String(sent.messageId);
}

function listings(fake: FakeDiscord) {
  return fake.requests.filter((request) => request.method === "GET" && LISTING.test(request.path));
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected no answer, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** Replaces a channel with one whose @everyone overwrite denies `deny`. */
function denyInChannel(fake: FakeDiscord, name: string, deny: bigint): string {
  const channels = fake.guild.channels;
  const index = channels.findIndex((channel) => channel.name === name);
  const channel = channels[index];
  if (!channel) throw new Error(`no #${name}`);
  channels[index] = { ...channel, overwrites: [{ id: fake.guild.id, type: 0, allow: 0n, deny }] };
  return channel.id;
}

describe("the reference a keyed Discord send carries", () => {
  it("ends the content as a subtext line, without pinging anyone, and only on keyed sends", async () => {
    const { fake, bot } = await started();
    const channel = fake.channel("papers").id;
    const key = deliveryKey(`discord:${channel}`, DAY);
    await keyedPost(running as DiscordBot, `discord:${channel}`, key);
    await bot.app.outbox.send(`discord:${channel}`, textMessage("no key", { ephemeral: false }));
    const [keyed, plain] = fake.messagesIn(channel);
    expect(discordDeliveryRef(key)).toMatch(/^-# ref [0-9a-f]{16}$/);
    expect(keyed?.body.content).toBe(`Today's picks\n${discordDeliveryRef(key)}`);
    expect(keyed?.body.allowed_mentions).toEqual({ parse: [] });
    expect(plain?.body.content).toBe("no key");
  });

  it("stays within 2000 characters: the body is cut for it, the reference never", async () => {
    const { fake } = await started();
    const channel = fake.channel("papers").id;
    const target = `discord:${channel}`;
    const long = `${"word ".repeat(399)}last`; // 1999 characters: fits alone, not with the reference
    const key = deliveryKey(target, DAY);
    const id = await keyedPost(running as DiscordBot, target, key, long);
    const content = String(fake.messagesIn(channel)[0]?.body.content);
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content.endsWith(`…\n${discordDeliveryRef(key)}`)).toBe(true);
    // Text too long for content goes to an embed; the content is then the reference alone.
    await keyedPost(running as DiscordBot, target, "another key", "x ".repeat(1500));
    expect(fake.messagesIn(channel)[1]?.body.content).toBe(discordDeliveryRef("another key"));
    expect(await running?.bot.app.outbox.find(target, key, aMinuteAgo())).toEqual({
      found: true,
      messageId: id,
    });
  });
});

describe("finding a keyed Discord post again", () => {
  it("finds the bot's post by its reference, with the id the send returned", async () => {
    const { fake, bot } = await started();
    const target = `discord:${fake.channel("papers").id}`;
    const key = deliveryKey(target, DAY);
    const since = aMinuteAgo();
    const id = await keyedPost(running as DiscordBot, target, key);

    expect(await bot.app.outbox.find(target, key, since)).toEqual({ found: true, messageId: id });
    const [listing] = listings(fake);
    expect(listing?.query.get("limit")).toBe("100");
    // `after` is the snowflake of since, less five minutes for the clocks' skew.
    const after = BigInt(String(listing?.query.get("after")));
    expect(SnowflakeUtil.timestampFrom(after + 1n)).toBe(since.getTime() - 5 * 60_000);
  });

  it("answers not found, with how many messages it read, for another key", async () => {
    const { fake, bot } = await started();
    const channel = fake.channel("papers").id;
    const target = `discord:${channel}`;
    await keyedPost(running as DiscordBot, target, deliveryKey(target, DAY));
    fake.postAs(ada, channel, { content: "thanks!" });
    expect(await bot.app.outbox.find(target, deliveryKey(target, "2026-11-27"), aMinuteAgo())).toEqual({
      found: false,
      scanned: 2,
    });
  });

  it("ignores anyone else's message with the same reference, and the bot's with it anywhere but last", async () => {
    const { fake, bot } = await started();
    const channel = fake.channel("papers").id;
    const target = `discord:${channel}`;
    const key = deliveryKey(target, DAY);
    const ref = discordDeliveryRef(key);
    fake.postAs(ada, channel, { content: `Today's picks\n${ref}` });
    fake.postAs(otherBot, channel, { content: ref });
    fake.postAs(fake.bot, channel, { content: `${ref}\nmore after it` });
    fake.postAs(fake.bot, channel, { content: `${ref} ` });
    fake.postAs(fake.bot, channel, { content: ref.toUpperCase() });
    fake.postAs(fake.bot, channel, {
      content: `x\n${discordDeliveryRef(deliveryKey(target, "2026-11-27"))}`,
    });

    expect(await bot.app.outbox.find(target, key, aMinuteAgo())).toEqual({ found: false, scanned: 6 });

    const id = await keyedPost(running as DiscordBot, target, key);
    fake.postAs(otherBot, channel, { content: ref });
    expect(await bot.app.outbox.find(target, key, aMinuteAgo())).toEqual({ found: true, messageId: id });
  });

  it("reads only from five minutes before `since`", async () => {
    const { fake, bot } = await started();
    const target = `discord:${fake.channel("papers").id}`;
    const key = deliveryKey(target, DAY);
    const id = await keyedPost(running as DiscordBot, target, key);
    const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    expect(await bot.app.outbox.find(target, key, inMinutes(4))).toEqual({ found: true, messageId: id });
    expect(await bot.app.outbox.find(target, key, inMinutes(10))).toEqual({ found: false, scanned: 0 });
  });

  it("pages forward by the newest id it saw, up to its bound, and answers only after a short page", async () => {
    const { fake, bot } = await started();
    const channel = fake.channel("papers").id;
    const target = `discord:${channel}`;
    const key = deliveryKey(target, DAY);
    for (let index = 0; index < 998; index++) fake.postAs(ada, channel, { content: `noise ${index}` });
    const id = await keyedPost(running as DiscordBot, target, key);

    // 999 messages: ten pages, the last one short; ours is the newest.
    expect(await bot.app.outbox.find(target, key, aMinuteAgo())).toEqual({ found: true, messageId: id });
    expect(await bot.app.outbox.find(target, "another key", aMinuteAgo())).toEqual({
      found: false,
      scanned: 999,
    });
    const afters = listings(fake).map((request) => BigInt(String(request.query.get("after"))));
    expect(afters).toHaveLength(20);
    for (let index = 1; index < 10; index++)
      expect(afters[index]).toBeGreaterThan(afters[index - 1] as bigint);
  });

  it("gives no answer when there is more history than its bound of pages", async () => {
    const { fake, bot } = await started();
    const channel = fake.channel("papers").id;
    const target = `discord:${channel}`;
    for (let index = 0; index < 1000; index++) fake.postAs(ada, channel, { content: `noise ${index}` });
    const key = deliveryKey(target, DAY);
    await keyedPost(running as DiscordBot, target, key);

    const error = await failure(bot.app.outbox.find(target, key, aMinuteAgo()));
    expect(String(error)).toMatch(/more than 1000 messages in channel \d+ .*no answer/);
    expect(listings(fake)).toHaveLength(10);
  });

  it("finds a topic alert in the user's DM, through the DM channel the send opened", async () => {
    const { fake, bot } = await started();
    const target = `discord:user:${ada.id}`;
    const key = deliveryKey(target, DAY);
    const id = await keyedPost(running as DiscordBot, target, key);
    const dm = String(fake.dmChannelOf(ada.id));
    // Ada pastes the reference of tomorrow's alert: her message, not the bot's post.
    const tomorrow = deliveryKey(target, "2026-11-27");
    fake.postAs(ada, dm, { content: discordDeliveryRef(tomorrow) });

    expect(await bot.app.outbox.find(target, key, aMinuteAgo())).toEqual({ found: true, messageId: id });
    expect(await bot.app.outbox.find(target, tomorrow, aMinuteAgo())).toEqual({ found: false, scanned: 2 });
    expect(listings(fake).map((request) => request.path)).toEqual([
      `/channels/${dm}/messages`,
      `/channels/${dm}/messages`,
    ]);
    // One DM channel opened in all: the look-up shares the sender's.
    const opened = fake.requests.filter(
      (request) => request.method === "POST" && request.path === "/users/@me/channels",
    );
    expect(opened).toHaveLength(1);
  });
});

describe("a Discord look-up that gets no answer", () => {
  it("counts a deleted channel (10003) as target-gone", async () => {
    const { fake, bot } = await started();
    const channel = fake.channel("papers").id;
    fake.deleteChannel("papers");
    const error = await failure(bot.app.outbox.find(`discord:${channel}`, "key", aMinuteAgo()));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind: "target-gone", message: expect.stringContaining("10003") });
  });

  it("names View Channel and Read Message History when the bot cannot see the channel (50001)", async () => {
    const { fake, bot } = await started();
    const channel = denyInChannel(fake, "papers", PERMISSIONS.viewChannel);
    const error = await failure(bot.app.outbox.find(`discord:${channel}`, "key", aMinuteAgo()));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind: "target-gone", message: expect.stringContaining("50001") });
    expect((error as DeliveryError).fix).toContain("Read Message History");
  });

  it("sees through the empty listing Discord gives a bot without Read Message History", async () => {
    const { fake, bot } = await started();
    const channel = denyInChannel(fake, "papers", PERMISSIONS.readMessageHistory);
    const target = `discord:${channel}`;
    // Nothing was posted since: the empty listing is the answer.
    expect(await bot.app.outbox.find(target, "key", aMinuteAgo())).toEqual({ found: false, scanned: 0 });

    // The bot may post, but Discord lists none of the channel's messages to it.
    const key = deliveryKey(target, DAY);
    await keyedPost(running as DiscordBot, target, key);
    const error = await failure(bot.app.outbox.find(target, key, aMinuteAgo()));
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).fix).toContain("Read Message History");
    expect(error).toMatchObject({ kind: "transient" });
  });

  it("takes an empty listing at its word when the channel's last message was deleted", async () => {
    const { fake, bot } = await started();
    const channel = fake.channel("papers").id;
    const target = `discord:${channel}`;
    const key = deliveryKey(target, DAY);
    const id = await keyedPost(running as DiscordBot, target, key);
    fake.deleteMessage(channel, id);
    expect(await bot.app.outbox.find(target, key, aMinuteAgo())).toEqual({ found: false, scanned: 0 });
  });

  it("names Read Message History for a 50013", async () => {
    const { fake, bot } = await started();
    const channel = fake.channel("papers").id;
    fake.failNext("GET", LISTING, failures.missingPermissions());
    const error = await failure(bot.app.outbox.find(`discord:${channel}`, "key", aMinuteAgo()));
    expect(error).toMatchObject({ name: "DeliveryError", message: expect.stringContaining("50013") });
    expect((error as DeliveryError).fix).toContain("Read Message History");
  });

  it("turns a 500 that outlasts discord.js's retries into NotTakenError, and waits out a 429", async () => {
    const { fake, bot } = await started();
    const target = `discord:${fake.channel("papers").id}`;
    fake.failNext("GET", LISTING, ...Array.from({ length: 4 }, failures.serverError));
    const error = await failure(bot.app.outbox.find(target, "key", aMinuteAgo()));
    expect(error).toBeInstanceOf(NotTakenError);
    expect(error).toMatchObject({ reason: "server-error" });

    fake.failNext("GET", LISTING, failures.rateLimited(0.05));
    expect(await bot.app.outbox.find(target, "key", aMinuteAgo())).toEqual({ found: false, scanned: 0 });
  });
});

describe("the fake's GET /channels/{id}/messages", () => {
  it("lists newest first: `after` the messages right after an id, `before` those right before it", async () => {
    const { fake } = await started();
    const channel = fake.channel("general").id;
    const ids = Array.from({ length: 5 }, (_, index) => fake.postAs(ada, channel, { content: `m${index}` }));
    const list = async (query: Record<string, string>) => {
      const response = await fetch(
        `${fake.apiUrl}/v10/channels/${channel}/messages?${new URLSearchParams(query)}`,
        {
          headers: { authorization: `Bot ${fake.token}` },
        },
      );
      return (await response.json()) as { id: string; author: { id: string } }[];
    };

    expect((await list({ after: String(ids[0]), limit: "2" })).map((message) => message.id)).toEqual([
      ids[2],
      ids[1],
    ]);
    expect((await list({ before: String(ids[4]), limit: "2" })).map((message) => message.id)).toEqual([
      ids[3],
      ids[2],
    ]);
    expect((await list({ limit: "2" })).map((message) => message.id)).toEqual([ids[4], ids[3]]);
    expect((await list({}))[0]?.author.id).toBe(ada.id);
  });
});
