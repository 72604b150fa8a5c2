import { type APIMessage, DiscordAPIError, type REST, Routes, SnowflakeUtil } from "discord.js";
import { parseTargetKey } from "../../core/target.ts";
import { DeliveryError, OutcomeUnknownError } from "../../digest/delivery-error.ts";
import type { DeliveryLookup, FindDelivery } from "../contract.ts";
import { DISCORD_ERRORS, translateSendError } from "./delivery-errors.ts";
import { type DiscordDmChannels, discordDmChannels } from "./dm-channels.ts";
import { discordDeliveryRef } from "./sender.ts";

/**
 * How far before `since` the look-up starts reading: a message id's time is Discord's clock,
 * `since` ours, and a post made just after `since` by our clock must not fall before the window.
 */
export const DISCORD_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Messages per GET /channels/{id}/messages: the most Discord returns at once. */
const PAGE_SIZE = 100;

/**
 * Pages read before giving up without an answer: 10 × 100 messages since the send is far more
 * than a digest channel sees in the minutes a look-up spans, and bounds the requests one look-up makes.
 */
export const DISCORD_HISTORY_MAX_PAGES = 10;

/** Discord's "Unknown Message": the message of that id was deleted (or never was). */
const UNKNOWN_MESSAGE = 10008;

const READ_HISTORY_FIX =
  "Give the bot's role Read Message History there (channel settings → Permissions), so a digest interrupted by a restart can be checked";

/** The smallest snowflake of a message posted at `ms` or later, less one: what `after` takes for "since `ms`". */
export function snowflakeBefore(ms: number): bigint {
  const lowest = (BigInt(Math.floor(ms)) - SnowflakeUtil.epoch) << 22n;
  return lowest > 0n ? lowest - 1n : 0n;
}

/** Whether a listed message is the bot's own post for this delivery: its author, and the reference as its last line. */
function isDeliveryPost(message: APIMessage, botUserId: string, ref: string): boolean {
  if (message.author?.id !== botUserId || typeof message.content !== "string") return false;
  // Only the last line: the sender puts the reference there, after everything a message's text can hold.
  return message.content.slice(message.content.lastIndexOf("\n") + 1) === ref;
}

/**
 * A failed read in the core's terms. 50001 on a listing: the bot cannot see the channel (it could
 * not post there either), so target-gone; 50013: it may see but not read it. A channel gone, a
 * 5xx or a rate limit as for a send. A read that got no answer is a plain Error, not an
 * OutcomeUnknownError: a read posts nothing, so nothing about a resend follows from it.
 */
function translateFindError(error: unknown, where: string): unknown {
  if (error instanceof DiscordAPIError && error.code === DISCORD_ERRORS.missingAccess) {
    return new DeliveryError(
      `the bot cannot read ${where} (Discord error 50001)`,
      "target-gone",
      "Give the bot's role View Channel and Read Message History there (channel settings → Permissions)",
    );
  }
  if (error instanceof DiscordAPIError && error.code === DISCORD_ERRORS.missingPermissions) {
    return new DeliveryError(
      `the bot may not read the messages of ${where} (Discord error 50013)`,
      "transient",
      READ_HISTORY_FIX,
    );
  }
  const translated = translateSendError(error, where);
  if (translated instanceof OutcomeUnknownError) {
    return new Error(`Discord did not answer the look-up in ${where}`, { cause: error });
  }
  return translated;
}

/**
 * An empty listing of a guild channel is an answer only if the bot may read its history: without
 * Read Message History, Discord lists no messages at all rather than refusing. So: if the channel's
 * last message is older than the window, there is truly nothing since; if it is newer, reading it
 * tells which: 10008 (it was deleted, and nothing else since was listed) is the answer, 50001 or
 * 50013 is the missing permission, and a message that reads fine was posted after the listing, so
 * the listing is stale and gives no answer. Discord checks the channel's permissions before
 * looking the message up, so a deleted message reads as 10008 only to a bot that may read history.
 */
async function confirmNothingHidden(
  rest: REST,
  channelId: string,
  after: bigint,
  where: string,
): Promise<void> {
  const channel = (await rest.get(Routes.channel(channelId))) as { last_message_id?: string | null };
  const last = channel.last_message_id;
  if (!last || BigInt(last) <= after) return;
  try {
    await rest.get(Routes.channelMessage(channelId, last));
  } catch (error) {
    if (!(error instanceof DiscordAPIError)) throw error;
    if (error.code === UNKNOWN_MESSAGE) return;
    if (error.code === DISCORD_ERRORS.missingAccess || error.code === DISCORD_ERRORS.missingPermissions) {
      throw new DeliveryError(
        `the bot may not read the message history of ${where} (Discord error ${error.code})`,
        "transient",
        READ_HISTORY_FIX,
      );
    }
    throw error;
  }
  throw new Error(`a message came into ${where} while it was read: no answer yet`);
}

/**
 * The look-up of a keyed Discord post (see FindDelivery): lists the channel's (or the user's DM's)
 * messages posted since `since` minus {@link DISCORD_CLOCK_SKEW_MS}, 100 at a time from the oldest,
 * and finds the one the bot itself wrote whose last line is this delivery's reference
 * (discordDeliveryRef). Anyone else's message naming the reference does not count. `found: false`
 * only once a page came back short (nothing after it) and, where a listing was empty, Discord was
 * shown not to be hiding history; more than `maxPages` pages, or any failed request, throws.
 */
export function findDiscordDelivery(
  rest: REST,
  botUserId: string,
  options: {
    /** Shared with the sender, so a DM is looked for where the alert went. */
    readonly dmChannels?: DiscordDmChannels;
    readonly maxPages?: number;
  } = {},
): FindDelivery {
  const dmChannel = options.dmChannels ?? discordDmChannels(rest);
  const maxPages = options.maxPages ?? DISCORD_HISTORY_MAX_PAGES;
  if (botUserId === "") throw new Error("findDiscordDelivery needs the bot's user id to tell its own posts");

  return async (targetKey, idempotencyKey, since): Promise<DeliveryLookup> => {
    const target = parseTargetKey(targetKey);
    if (target?.platform !== "discord") throw new Error(`not a Discord target: ${targetKey}`);
    const toUser = target.kind === "user";
    const where = toUser ? "the user's direct messages" : `channel ${target.id}`;
    const call = async <T>(request: () => Promise<T>): Promise<T> => {
      try {
        return await request();
      } catch (error) {
        throw translateFindError(error, where);
      }
    };

    const channelId = toUser ? await call(() => dmChannel(target.id)) : target.id;
    const ref = discordDeliveryRef(idempotencyKey);
    const from = snowflakeBefore(since.getTime() - DISCORD_CLOCK_SKEW_MS);
    let after = from;
    let scanned = 0;
    for (let page = 0; page < maxPages; page++) {
      const query = new URLSearchParams({ after: String(after), limit: String(PAGE_SIZE) });
      const messages = (await call(() =>
        rest.get(Routes.channelMessages(channelId), { query }),
      )) as APIMessage[];
      // Discord sends a page newest first; the next page starts after the newest here, whatever the order.
      let newest = after;
      for (const message of messages) {
        scanned++;
        if (isDeliveryPost(message, botUserId, ref)) return { found: true, messageId: message.id };
        const id = BigInt(message.id);
        if (id > newest) newest = id;
      }
      if (messages.length < PAGE_SIZE) {
        // DMs have no permission that hides their history.
        if (scanned === 0 && !toUser) await call(() => confirmNothingHidden(rest, channelId, from, where));
        return { found: false, scanned };
      }
      if (newest === after) throw new Error(`Discord listed no message after ${after} in ${where}`);
      after = newest;
    }
    throw new Error(
      `more than ${maxPages * PAGE_SIZE} messages in ${where} since ${since.toISOString()}: no answer whether delivery ${idempotencyKey} was posted`,
    );
  };
}
