import type { webApi } from "@slack/bolt";
import { parseTargetKey } from "../../core/target.ts";
import { DeliveryError } from "../../digest/delivery-error.ts";
import type { DeliveryLookup, FindDelivery } from "../contract.ts";
import { type SlackDmChannels, slackDmChannels } from "./slack-dm-channels.ts";
import { slackErrorCode, toDeliveryError } from "./slack-errors.ts";
import { DELIVERY_EVENT_TYPE } from "./slack-sender.ts";

/**
 * How far before `since` the look-up starts reading: a message's `ts` is Slack's clock, `since`
 * ours, and a post made just after `since` by our clock must not fall before the window by Slack's.
 */
export const SLACK_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Messages per conversations.history call: the most Slack recommends asking for. */
const PAGE_SIZE = 200;

/**
 * Pages read before giving up without an answer: 10 × 200 messages since the send is far more
 * than a digest channel sees in the minutes a look-up spans, and bounds the calls one look-up makes.
 */
export const SLACK_HISTORY_MAX_PAGES = 10;

/** Who the bot is, from auth.test: only messages it posted can be its deliveries. */
export interface SlackBotIdentity {
  /** The bot's user id (`U…`), on every message it posts as `user`. */
  readonly userId: string;
  /** The bot's id (`B…`), on every message it posts as `bot_id`. */
  readonly botId: string;
}

type HistoryMessage = NonNullable<webApi.ConversationsHistoryResponse["messages"]>[number];

/** Whether a listed message is the bot's own post for this delivery key, by what the sender put on it. */
function isDeliveryPost(message: HistoryMessage, bot: SlackBotIdentity, key: string): boolean {
  const byBot =
    (bot.botId !== "" && message.bot_id === bot.botId) || (bot.userId !== "" && message.user === bot.userId);
  if (!byBot || message.metadata?.event_type !== DELIVERY_EVENT_TYPE) return false;
  const payload: unknown = message.metadata.event_payload;
  return typeof payload === "object" && payload !== null && (payload as { key?: unknown }).key === key;
}

/** The history scope reading a conversation takes, by the kind its id names. */
function historyScopeFor(channel: string): string {
  if (channel.startsWith("D")) return "im:history";
  if (channel.startsWith("G")) return "groups:history";
  return "channels:history (groups:history for a private channel)";
}

/**
 * A failed call in the core's terms: `missing_scope` names the history scope Slack wants (the
 * app was installed before it asked for one), anything else as a failed send would be.
 */
function translate(error: unknown, targetKey: string, channel: string | undefined, toUser: boolean): unknown {
  if (slackErrorCode(error) === "missing_scope") {
    const needed = (error as { data?: { needed?: unknown } }).data?.needed;
    const scope =
      typeof needed === "string" && needed !== "" ? needed : historyScopeFor(channel ?? (toUser ? "D" : "C"));
    return new DeliveryError(
      `Slack would not let the bot read the history of ${targetKey}: missing_scope (needs ${scope})`,
      "transient",
      `Add the bot scope ${scope} to the Slack app (OAuth & Permissions → Bot Token Scopes) and reinstall the app to the workspace`,
    );
  }
  return toDeliveryError(error, targetKey, toUser);
}

/**
 * The look-up of a keyed Slack post (see FindDelivery): reads the channel's (or the user's DM's)
 * history since `since` minus {@link SLACK_CLOCK_SKEW_MS}, newest first, with every message's
 * metadata, and finds the message that the bot itself posted whose metadata is this delivery's
 * (`paper_picks_delivery`, payload key equal to the key). A message from anyone else carrying the
 * same metadata does not count. `found: false` only once Slack said there is nothing more to list;
 * more than `maxPages` pages, or any failed call, throws instead of answering.
 */
export function findSlackDelivery(
  client: webApi.WebClient,
  bot: SlackBotIdentity,
  options: {
    /** Shared with the sender, so a DM is looked for where the alert went. */
    readonly dmChannels?: SlackDmChannels;
    readonly maxPages?: number;
  } = {},
): FindDelivery {
  const dmChannel = options.dmChannels ?? slackDmChannels(client);
  const maxPages = options.maxPages ?? SLACK_HISTORY_MAX_PAGES;

  return async (targetKey, idempotencyKey, since): Promise<DeliveryLookup> => {
    const target = parseTargetKey(targetKey);
    if (target?.platform !== "slack") throw new Error(`not a Slack target: ${targetKey}`);
    // Without an id to compare, every message would be someone else's and "not found" a guess.
    if (bot.userId === "" && bot.botId === "")
      throw new Error("the bot's Slack user and bot ids are unknown: cannot tell its own posts");
    const toUser = target.kind === "user";
    let channel: string | undefined;
    const call = async <T>(request: () => Promise<T>): Promise<T> => {
      try {
        return await request();
      } catch (error) {
        throw translate(error, targetKey, channel, toUser);
      }
    };

    channel = toUser ? await call(() => dmChannel(target.id)) : target.id;
    const from = channel;
    // Slack's `oldest` is exclusive, in seconds; whole seconds rounded down only widen the window.
    const oldest = String(Math.max(0, Math.floor((since.getTime() - SLACK_CLOCK_SKEW_MS) / 1000)));
    let cursor: string | undefined;
    let scanned = 0;
    for (let page = 0; page < maxPages; page++) {
      const answer = await call(() =>
        client.conversations.history({
          channel: from,
          oldest,
          limit: PAGE_SIZE,
          include_all_metadata: true,
          ...(cursor !== undefined && { cursor }),
        }),
      );
      for (const message of answer.messages ?? []) {
        scanned++;
        if (message.ts && isDeliveryPost(message, bot, idempotencyKey))
          return { found: true, messageId: message.ts };
      }
      if (!answer.has_more) return { found: false, scanned };
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (cursor === undefined)
        throw new Error(`Slack said ${targetKey} has more history but gave no cursor`);
    }
    throw new Error(
      `more than ${maxPages * PAGE_SIZE} messages in ${targetKey} since ${since.toISOString()}: no answer whether delivery ${idempotencyKey} was posted`,
    );
  };
}
