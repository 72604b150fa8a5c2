import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { textMessage } from "../../../src/core/message.ts";
import { DeliveryError, NotTakenError } from "../../../src/digest/delivery-error.ts";
import { deliveryKey } from "../../../src/digest/digest-service.ts";
import { findSlackDelivery } from "../../../src/platforms/slack/slack-find-delivery.ts";
import { BOT_ID, BOT_USER_ID } from "../../fakes/slack/workspace.ts";
import { BOT_TOKEN, people, type SlackHarness, startSlackHarness } from "./slack-harness.ts";

let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

const DAY = "2026-11-26";
const deliveryMetadata = (key: string) => ({ event_type: "paper_picks_delivery", event_payload: { key } });
/** Another app installed in the workspace, with a bot of its own. */
const otherApp = { user: "U0OTHERBOT", botId: "B0OTHERAPP" };
/** The bot as auth.test names it. */
const bot = { user: BOT_USER_ID, botId: BOT_ID };
const person = (user: { readonly id: string }) => ({ user: user.id });

async function started(): Promise<SlackHarness> {
  slack = await startSlackHarness("http");
  return slack;
}

/** A keyed post through the outbox, as a delivery makes it; its ts. */
async function keyedPost(harness: SlackHarness, target: string, key: string): Promise<string> {
  const sent = await harness.bot.app.outbox.send(target, textMessage("Today's picks", { ephemeral: false }), {
    idempotencyKey: key,
  });
  expect(sent.messageId).toBeDefined();
  return String(sent.messageId);
}

const aMinuteAgo = () => new Date(Date.now() - 60_000);

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected no answer, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe("finding a keyed Slack post again", () => {
  it("finds the bot's post for the key by its metadata, with the ts the send returned", async () => {
    const harness = await started();
    const target = `slack:${harness.channels.papers.id}`;
    const key = deliveryKey(target, DAY);
    const since = aMinuteAgo();
    const ts = await keyedPost(harness, target, key);

    expect(await harness.bot.app.outbox.find(target, key, since)).toEqual({ found: true, messageId: ts });
    const [call] = harness.fake.callsOf("conversations.history");
    expect(call?.args).toMatchObject({
      channel: harness.channels.papers.id,
      include_all_metadata: "true",
      limit: "200",
      // Since, less five minutes for the clocks' skew, in whole seconds.
      oldest: String(Math.floor((since.getTime() - 5 * 60_000) / 1000)),
    });
  });

  it("answers not found, with how many messages it read, for another key", async () => {
    const harness = await started();
    const target = `slack:${harness.channels.papers.id}`;
    await keyedPost(harness, target, deliveryKey(target, DAY));
    harness.fake.workspace.postAs(person(people.member), harness.channels.papers.id, { text: "thanks!" });

    expect(
      await harness.bot.app.outbox.find(target, deliveryKey(target, "2026-11-27"), aMinuteAgo()),
    ).toEqual({ found: false, scanned: 2 });
  });

  it("ignores a message by anyone else with the same metadata, and one whose key is almost ours", async () => {
    const harness = await started();
    const channel = harness.channels.papers.id;
    const target = `slack:${channel}`;
    const key = deliveryKey(target, DAY);
    const { workspace } = harness.fake;
    workspace.postAs(person(people.member), channel, { metadata: deliveryMetadata(key) });
    workspace.postAs(otherApp, channel, { metadata: deliveryMetadata(key) });
    // The bot's own, but not this delivery's: a key differing by case or a character, another event type.
    workspace.postAs(bot, channel, { metadata: deliveryMetadata(key.toUpperCase()) });
    workspace.postAs(bot, channel, { metadata: deliveryMetadata(`${key} `) });
    workspace.postAs(bot, channel, { metadata: { event_type: "other_event", event_payload: { key } } });
    workspace.postAs(bot, channel, {
      metadata: { event_type: "paper_picks_delivery", event_payload: { key: [key] } },
    });

    expect(await harness.bot.app.outbox.find(target, key, aMinuteAgo())).toEqual({
      found: false,
      scanned: 6,
    });

    // The real post is found among them, even with a forgery posted after it.
    const ts = await keyedPost(harness, target, key);
    workspace.postAs(otherApp, channel, { metadata: deliveryMetadata(key) });
    expect(await harness.bot.app.outbox.find(target, key, aMinuteAgo())).toEqual({
      found: true,
      messageId: ts,
    });
  });

  it("reads only from five minutes before `since`: an older post is not listed", async () => {
    const harness = await started();
    const target = `slack:${harness.channels.papers.id}`;
    const key = deliveryKey(target, DAY);
    const ts = await keyedPost(harness, target, key);
    const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    // By our clock the post came four minutes before `since`: within the skew allowed, so found.
    expect(await harness.bot.app.outbox.find(target, key, inMinutes(4))).toEqual({
      found: true,
      messageId: ts,
    });
    expect(await harness.bot.app.outbox.find(target, key, inMinutes(10))).toEqual({
      found: false,
      scanned: 0,
    });
  });

  it("follows next_cursor through every page, and answers only once Slack says there is no more", async () => {
    const harness = await started();
    const channel = harness.channels.papers.id;
    const target = `slack:${channel}`;
    const key = deliveryKey(target, DAY);
    const ts = await keyedPost(harness, target, key);
    for (let index = 0; index < 1999; index++) harness.fake.workspace.postAs(person(people.member), channel);

    // Ten pages of 200, the last with has_more false: 2000 messages read, ours the oldest.
    expect(await harness.bot.app.outbox.find(target, key, aMinuteAgo())).toEqual({
      found: true,
      messageId: ts,
    });
    expect(await harness.bot.app.outbox.find(target, "another key", aMinuteAgo())).toEqual({
      found: false,
      scanned: 2000,
    });
    const calls = harness.fake.callsOf("conversations.history");
    expect(calls).toHaveLength(20);
    expect(calls[0]?.args.cursor).toBeUndefined();
    expect(calls[1]?.args.cursor).toEqual(expect.any(String));
  });

  it("gives no answer when there is more history than its bound of pages", async () => {
    const harness = await started();
    const channel = harness.channels.papers.id;
    const target = `slack:${channel}`;
    const key = deliveryKey(target, DAY);
    await keyedPost(harness, target, key);
    for (let index = 0; index < 2000; index++) harness.fake.workspace.postAs(person(people.member), channel);

    const error = await failure(harness.bot.app.outbox.find(target, key, aMinuteAgo()));
    expect(String(error)).toMatch(/more than 2000 messages in slack:C0PAPERS1 .*no answer/);
    expect(harness.fake.callsOf("conversations.history")).toHaveLength(10);

    // A post newer than the noise is on the first page: found, however much older history there is.
    const ts = await keyedPost(harness, target, "a later key");
    expect(await harness.bot.app.outbox.find(target, "a later key", aMinuteAgo())).toEqual({
      found: true,
      messageId: ts,
    });
  });

  it("finds a topic alert in the user's DM, through the DM the send opened", async () => {
    const harness = await started();
    const target = `slack:user:${people.member.id}`;
    const key = deliveryKey(target, DAY);
    const ts = await keyedPost(harness, target, key);
    const dm = harness.fake.workspace.dms.get(people.member.id);
    // The user writes back with the same metadata (a client can set any): not the bot's post.
    harness.fake.workspace.postAs(person(people.member), String(dm), {
      metadata: deliveryMetadata("a later key"),
    });

    expect(await harness.bot.app.outbox.find(target, key, aMinuteAgo())).toEqual({
      found: true,
      messageId: ts,
    });
    expect(await harness.bot.app.outbox.find(target, "a later key", aMinuteAgo())).toEqual({
      found: false,
      scanned: 2,
    });
    expect(harness.fake.callsOf("conversations.history").map((call) => call.args.channel)).toEqual([dm, dm]);
    // One conversations.open in all: the look-up shares the sender's DM channels.
    expect(harness.fake.callsOf("conversations.open")).toHaveLength(1);
  });
});

describe("a Slack look-up that gets no answer", () => {
  it("counts a channel that is gone, or that the bot was removed from, as target-gone", async () => {
    const harness = await started();
    const gone = await failure(harness.bot.app.outbox.find("slack:C0DELETED", "key", aMinuteAgo()));
    expect(gone).toBeInstanceOf(DeliveryError);
    expect(gone).toMatchObject({
      kind: "target-gone",
      message: expect.stringContaining("channel_not_found"),
    });

    harness.channels.papers.botIsMember = false;
    const removed = await failure(
      harness.bot.app.outbox.find(`slack:${harness.channels.papers.id}`, "key", aMinuteAgo()),
    );
    expect(removed).toMatchObject({
      kind: "target-gone",
      message: expect.stringContaining("not_in_channel"),
    });
  });

  it.each([
    ["a public channel", "papers", "channels:history"],
    ["a private channel", "secret", "groups:history"],
    ["a DM", "dm", "im:history"],
  ] as const)(
    "names the history scope missing for %s, and says to add it and reinstall",
    async (_kind, where, scope) => {
      const harness = await started();
      harness.channels.secret.botIsMember = true;
      const target =
        where === "dm" ? `slack:user:${people.member.id}` : `slack:${harness.channels[where].id}`;
      harness.fake.workspace.scopes = new Set(
        ["channels:history", "groups:history", "im:history", "im:write", "chat:write"].filter(
          (granted) => granted !== scope,
        ),
      );

      const error = await failure(harness.bot.app.outbox.find(target, "key", aMinuteAgo()));
      expect(error).toBeInstanceOf(DeliveryError);
      const refused = error as DeliveryError;
      expect(refused.message).toContain("missing_scope");
      expect(refused.message).toContain(scope);
      expect(refused.fix).toContain(scope);
      expect(refused.fix).toMatch(/reinstall/);
      // Posting still works: the target is not gone.
      expect(refused.kind).toBe("transient");
    },
  );

  it("names the history scope from the channel's kind when Slack does not say which", async () => {
    const harness = await started();
    harness.fake.fail("conversations.history", { error: "missing_scope" });
    const error = await failure(
      harness.bot.app.outbox.find(`slack:${harness.channels.secret.id}`, "key", aMinuteAgo()),
    );
    expect(error).toMatchObject({ name: "DeliveryError", fix: expect.stringContaining("groups:history") });
  });

  it("turns a 500, Slack's refusal or a rate limit into NotTakenError, to be asked again later", async () => {
    const harness = await started();
    const target = `slack:${harness.channels.papers.id}`;
    for (const [error, reason] of [
      ["ratelimited", "rate-limited"],
      ["service_unavailable", "server-error"],
    ] as const) {
      harness.fake.fail("conversations.history", { error });
      const refused = await failure(harness.bot.app.outbox.find(target, "key", aMinuteAgo()));
      expect(refused).toBeInstanceOf(NotTakenError);
      expect(refused).toMatchObject({ reason });
    }
    // The bot's Web API client tries a 500 again on its own; one that does not shows what is left.
    const client = new webApi.WebClient(BOT_TOKEN, {
      slackApiUrl: harness.fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    harness.fake.fail("conversations.history", { status: 500 });
    const failed = await failure(
      findSlackDelivery(client, { userId: bot.user, botId: bot.botId })(target, "key", aMinuteAgo()),
    );
    expect(failed).toMatchObject({ name: "NotTakenError", reason: "server-error" });
  });

  it("refuses to answer without the bot's identity: it could not tell its own posts", async () => {
    const harness = await started();
    const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: harness.fake.apiUrl });
    const find = findSlackDelivery(client, { userId: "", botId: "" });
    await expect(find(`slack:${harness.channels.papers.id}`, "key", aMinuteAgo())).rejects.toThrow(
      /identity|ids are unknown/,
    );
    expect(harness.fake.callsOf("conversations.history")).toHaveLength(0);
  });
});

describe("the fake's conversations.history", () => {
  it("returns metadata only with include_all_metadata, newest first, bounded by oldest and latest", async () => {
    const harness = await started();
    const channel = harness.channels.papers.id;
    const { workspace } = harness.fake;
    const first = workspace.postAs(person(people.member), channel, {
      text: "one",
      metadata: deliveryMetadata("k"),
    });
    const second = workspace.postAs(otherApp, channel, { text: "two" });
    const third = workspace.postAs(person(people.admin), channel, { text: "three" });
    const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: harness.fake.apiUrl });

    const plain = await client.conversations.history({ channel });
    expect(plain.messages?.map((message) => message.ts)).toEqual([third.ts, second.ts, first.ts]);
    expect(plain.messages?.some((message) => message.metadata !== undefined)).toBe(false);
    expect(plain.messages?.[1]).toMatchObject({ user: otherApp.user, bot_id: otherApp.botId });

    const withMetadata = await client.conversations.history({ channel, include_all_metadata: true });
    expect(withMetadata.messages?.[2]?.metadata).toEqual(deliveryMetadata("k"));

    const between = await client.conversations.history({ channel, oldest: first.ts, latest: third.ts });
    expect(between.messages?.map((message) => message.ts)).toEqual([second.ts]);

    const paged = await client.conversations.history({ channel, limit: 2 });
    expect(paged.has_more).toBe(true);
    const rest = await client.conversations.history({
      channel,
      limit: 2,
      cursor: String(paged.response_metadata?.next_cursor),
    });
    expect(rest.messages?.map((message) => message.ts)).toEqual([first.ts]);
    expect(rest.has_more).toBe(false);
  });
});
