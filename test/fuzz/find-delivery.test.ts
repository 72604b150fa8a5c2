import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textMessage } from "../../src/core/message.ts";
import { discordDeliveryRef } from "../../src/platforms/discord/sender.ts";
import { nextSnowflake } from "../fakes/discord/interactions.ts";
import type { FakeUser } from "../fakes/discord/payloads.ts";
import { BOT_ID, BOT_USER_ID } from "../fakes/slack/workspace.ts";
import { ada, type DiscordBot, startDiscordBot } from "../platforms/discord/discord-bot.ts";
import { people, type SlackHarness, startSlackHarness } from "../platforms/slack/slack-harness.ts";
import { fuzzRuns } from "./fuzz-runs.ts";

/**
 * A delivery's post is recognised by what the send left on it (Slack: metadata; Discord: the
 * reference line) and by its author being the bot. Whatever else a channel holds, by anyone, a
 * look-up finds exactly that post: never a message that merely names the key, never none when
 * the post is there.
 */

const RUNS = 40;

/**
 * Key templates like a delivery's, and any string at all. Each run's key is its template with the
 * run's fresh channel appended, as a real key names its target: Discord dedupes a nonce across
 * channels, so two runs must not share a key.
 */
const keyTemplate = fc.oneof(
  fc.constantFrom("digest:slack:C0PAPERS1@2026-11-26", "digest:discord:user:1400000000000000001@2026-11-26"),
  fc.string({ minLength: 1, maxLength: 60 }),
);

/** How a forger's or a neighbour's key relates to ours: the same, a small step away, or any other. */
type Near =
  | "same"
  | "upper"
  | "space after"
  | "space before"
  | "one short"
  | "one more"
  | { readonly other: string };
const near: fc.Arbitrary<Near> = fc.oneof(
  fc.constantFrom<Near>("same", "upper", "space after", "space before", "one short", "one more"),
  fc.string({ maxLength: 60 }).map((other) => ({ other })),
);

function nearKey(relation: Near, key: string): string {
  if (typeof relation === "object") return relation.other;
  return {
    same: key,
    upper: key.toUpperCase(),
    "space after": `${key} `,
    "space before": ` ${key}`,
    "one short": key.slice(0, -1),
    "one more": `${key}x`,
  }[relation];
}

// ── Slack ────────────────────────────────────────────────────────────────────

type SlackAuthor = "bot" | "person" | "other app";
/** A message someone posts, its metadata built from our key when the run has one. */
interface SlackNoise {
  readonly author: SlackAuthor;
  readonly metadata: (key: string) => unknown;
  readonly shape: string;
}

const slackNoise: fc.Arbitrary<SlackNoise> = fc
  .record({
    author: fc.constantFrom<SlackAuthor>("bot", "person", "other app"),
    recipe: fc.oneof(
      fc.record({
        kind: fc.constant("delivery-like" as const),
        eventType: fc.constantFrom(
          "paper_picks_delivery",
          "Paper_Picks_Delivery",
          "paper_picks_delivery_x",
          "other",
        ),
        near,
      }),
      fc.record({ kind: fc.constant("odd payload" as const), payload: fc.jsonValue() }),
      fc.record({ kind: fc.constant("any" as const), metadata: fc.jsonValue() }),
      fc.constant({ kind: "none" as const }),
    ),
  })
  .map(({ author, recipe }) => ({
    author,
    shape: JSON.stringify(recipe),
    metadata: (key: string) => {
      switch (recipe.kind) {
        case "delivery-like":
          return { event_type: recipe.eventType, event_payload: { key: nearKey(recipe.near, key) } };
        case "odd payload":
          return { event_type: "paper_picks_delivery", event_payload: recipe.payload };
        case "any":
          return recipe.metadata;
        case "none":
          return undefined;
      }
    },
  }));

/** The model: the bot's own message with this delivery's metadata, exactly. */
function isSlackDelivery(author: SlackAuthor, metadata: unknown, key: string): boolean {
  const fields = metadata as { event_type?: unknown; event_payload?: { key?: unknown } } | null;
  return (
    author === "bot" &&
    typeof fields === "object" &&
    fields?.event_type === "paper_picks_delivery" &&
    typeof fields.event_payload === "object" &&
    fields.event_payload?.key === key
  );
}

const slackAuthors: Record<SlackAuthor, { readonly user: string; readonly botId?: string }> = {
  bot: { user: BOT_USER_ID, botId: BOT_ID },
  person: { user: people.member.id },
  "other app": { user: "U0OTHERBOT", botId: "B0OTHERAPP" },
};

const slackRuns = fc.record({
  template: keyTemplate,
  before: fc.array(slackNoise, { maxLength: 15 }),
  after: fc.array(slackNoise, { maxLength: 15 }),
});

describe("finding a Slack delivery among any other messages", () => {
  let slack: SlackHarness;
  let channels = 0;
  beforeAll(async () => {
    slack = await startSlackHarness("http");
  });
  afterAll(() => slack.close());

  /**
   * A fresh channel holding `before`, maybe our post, then `after`; noise that would be the bot's
   * own post for the key (the model says so) is left out, so only the real post can be found.
   */
  async function channelWith(
    template: string,
    before: readonly SlackNoise[],
    after: readonly SlackNoise[],
    post: boolean,
  ) {
    channels++;
    const channel = slack.fake.workspace.addChannel({
      id: `C0FUZZ${channels}`,
      name: `fuzz-${channels}`,
      botIsMember: true,
    });
    const target = `slack:${channel.id}`;
    const key = `${template}|${channel.id}`;
    let injected = 0;
    const inject = (noise: SlackNoise) => {
      const metadata = noise.metadata(key);
      if (isSlackDelivery(noise.author, metadata, key)) return;
      slack.fake.workspace.postAs(slackAuthors[noise.author], channel.id, {
        ...(metadata !== undefined && { metadata }),
      });
      injected++;
    };
    before.forEach(inject);
    const sent = post
      ? await slack.bot.app.outbox.send(target, textMessage("Today's picks", { ephemeral: false }), {
          idempotencyKey: key,
        })
      : undefined;
    after.forEach(inject);
    return { target, key, ts: sent?.messageId, injected };
  }

  it("never finds a post that is not the bot's for this key", async () => {
    await fc.assert(
      fc.asyncProperty(slackRuns, async ({ template, before, after }) => {
        const { target, key, injected } = await channelWith(template, before, after, false);
        const since = new Date(Date.now() - 60_000);
        expect(await slack.bot.app.outbox.find(target, key, since)).toEqual({
          found: false,
          scanned: injected,
        });
      }),
      fuzzRuns(RUNS),
    );
  });

  it("always finds the bot's post, wherever it is among the others", async () => {
    await fc.assert(
      fc.asyncProperty(slackRuns, async ({ template, before, after }) => {
        const { target, key, ts } = await channelWith(template, before, after, true);
        expect(ts).toBeDefined();
        const since = new Date(Date.now() - 60_000);
        expect(await slack.bot.app.outbox.find(target, key, since)).toEqual({ found: true, messageId: ts });
      }),
      fuzzRuns(RUNS),
    );
  });
});

// ── Discord ──────────────────────────────────────────────────────────────────

type DiscordAuthor = "bot" | "member" | "other bot";
/** A message someone posts, its content built from our key's reference when the run has one. */
interface DiscordNoise {
  readonly author: DiscordAuthor;
  readonly content: (key: string) => string;
  readonly shape: string;
}

const otherBot: FakeUser = { id: "1500000000000000001", username: "copycat", bot: true };

type Placement = "alone" | "last line" | "first line" | "inside" | "upper case" | "one short";
const discordNoise: fc.Arbitrary<DiscordNoise> = fc
  .record({
    author: fc.constantFrom<DiscordAuthor>("bot", "member", "other bot"),
    near,
    placement: fc.constantFrom<Placement | "no ref">(
      "alone",
      "last line",
      "first line",
      "inside",
      "upper case",
      "one short",
      "no ref",
    ),
    head: fc.string({ maxLength: 40 }),
    tail: fc.string({ maxLength: 40 }),
  })
  .map(({ author, near: relation, placement, head, tail }) => ({
    author,
    shape: JSON.stringify({ relation, placement, head, tail }),
    content: (key: string) => {
      const ref = discordDeliveryRef(nearKey(relation, key));
      switch (placement) {
        case "alone":
          return ref;
        case "last line":
          return `${head}\n${ref}`;
        case "first line":
          return `${ref}\n${tail}`;
        case "inside":
          return `${head}${ref}${tail}`;
        case "upper case":
          return ref.toUpperCase();
        case "one short":
          return ref.slice(0, -1);
        case "no ref":
          return head;
      }
    },
  }));

/** The model: the bot's own message whose last line is this delivery's reference. */
function isDiscordDelivery(author: DiscordAuthor, content: string, key: string): boolean {
  return author === "bot" && content.split("\n").at(-1) === discordDeliveryRef(key);
}

const discordRuns = fc.record({
  template: keyTemplate,
  before: fc.array(discordNoise, { maxLength: 15 }),
  after: fc.array(discordNoise, { maxLength: 15 }),
});

describe("finding a Discord delivery among any other messages", () => {
  let discord: DiscordBot;
  beforeAll(async () => {
    discord = await startDiscordBot();
  });
  afterAll(() => discord.close());

  async function channelWith(
    template: string,
    before: readonly DiscordNoise[],
    after: readonly DiscordNoise[],
    post: boolean,
  ) {
    const { fake } = discord;
    const id = nextSnowflake();
    fake.guild.channels.push({ id, name: `fuzz-${id}`, type: 0, overwrites: [] });
    const key = `${template}|${id}`;
    const authors: Record<DiscordAuthor, FakeUser> = { bot: fake.bot, member: ada, "other bot": otherBot };
    let injected = 0;
    const inject = (noise: DiscordNoise) => {
      const content = noise.content(key);
      if (isDiscordDelivery(noise.author, content, key)) return;
      fake.postAs(authors[noise.author], id, { content });
      injected++;
    };
    before.forEach(inject);
    const target = `discord:${id}`;
    const sent = post
      ? await discord.bot.app.outbox.send(target, textMessage("Today's picks", { ephemeral: false }), {
          idempotencyKey: key,
        })
      : undefined;
    after.forEach(inject);
    return { target, key, messageId: sent?.messageId, injected };
  }

  it("never finds a post that is not the bot's for this key", async () => {
    await fc.assert(
      fc.asyncProperty(discordRuns, async ({ template, before, after }) => {
        const { target, key, injected } = await channelWith(template, before, after, false);
        const since = new Date(Date.now() - 60_000);
        expect(await discord.bot.app.outbox.find(target, key, since)).toEqual({
          found: false,
          scanned: injected,
        });
      }),
      fuzzRuns(RUNS),
    );
  });

  it("always finds the bot's post, wherever it is among the others", async () => {
    await fc.assert(
      fc.asyncProperty(discordRuns, async ({ template, before, after }) => {
        const { target, key, messageId } = await channelWith(template, before, after, true);
        expect(messageId).toBeDefined();
        const since = new Date(Date.now() - 60_000);
        expect(await discord.bot.app.outbox.find(target, key, since)).toEqual({ found: true, messageId });
      }),
      fuzzRuns(RUNS),
    );
  });
});
