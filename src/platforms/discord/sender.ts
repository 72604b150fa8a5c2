import { createHash } from "node:crypto";
import { type REST, Routes } from "discord.js";
import type { Message } from "../../core/message.ts";
import { parseTargetKey } from "../../core/target.ts";
import { truncateAtWord } from "../../core/text.ts";
import type { SendMessage, SendOptions } from "../contract.ts";
import { translateSendError } from "./delivery-errors.ts";
import { type DiscordDmChannels, discordDmChannels } from "./dm-channels.ts";
import { type DiscordMessage, LIMITS } from "./render-message.ts";

/** Discord's longest string nonce. */
const NONCE_MAX_LENGTH = 25;

/**
 * How long Discord dedupes an enforced nonce: its docs say "the past few minutes" without a
 * number, so the digest service resends under one only within 2 minutes of its first try.
 */
export const DISCORD_NONCE_WINDOW_MS = 2 * 60 * 1000;

/**
 * The nonce for an idempotency key: 25 hex digits (100 bits) of its SHA-256, so the same delivery
 * gets the same nonce in every try and every process, and different deliveries practically never share one.
 */
export function discordNonce(idempotencyKey: string): string {
  return createHash("sha256").update(idempotencyKey).digest("hex").slice(0, NONCE_MAX_LENGTH);
}

/** Hex digits of the nonce a delivery's reference shows: 64 bits, short enough to sit unnoticed. */
const REF_LENGTH = 16;

/**
 * The line a keyed send ends its content with, `-# ref <16 hex>` (Discord's small grey subtext):
 * Discord keeps no nonce on a message it lists, so this is how a delivery's post is recognised
 * later (findDiscordDelivery). The hex is the start of the send's nonce, so both name one delivery.
 */
export function discordDeliveryRef(idempotencyKey: string): string {
  return `-# ref ${discordNonce(idempotencyKey).slice(0, REF_LENGTH)}`;
}

/**
 * Content with the delivery's reference as its last line, within Discord's 2000 characters: the
 * body is cut at a word to make room, the reference never is.
 */
export function withDeliveryRef(content: string, idempotencyKey: string): string {
  const ref = discordDeliveryRef(idempotencyKey);
  if (content === "") return ref;
  return `${truncateAtWord(content, LIMITS.content - ref.length - 1)}\n${ref}`;
}

/** The message body as REST takes it: no mention in it may ping anyone, whatever the text says. */
export function restBody(rendered: DiscordMessage) {
  return { ...rendered, allowed_mentions: { parse: [] } };
}

/**
 * The outbox sender for `discord:<channelId>` and `discord:user:<userId>`. Sends to one target
 * go one after another, so a burst to a channel arrives in the order it was sent even while
 * discord.js waits out rate limits; different targets do not wait for each other.
 */
export function createDiscordSender(
  rest: REST,
  /** `renderPost` for a channel's posts (their cards carry Discuss), `render` for direct messages. */
  renderers: {
    readonly render: (message: Message) => DiscordMessage;
    readonly renderPost: (message: Message) => DiscordMessage;
  },
  /** Shared with the delivery look-up (findDiscordDelivery); default: a cache of this sender's own. */
  dmChannel: DiscordDmChannels = discordDmChannels(rest),
): SendMessage {
  const queues = new Map<string, Promise<unknown>>();

  async function deliver(
    targetKey: string,
    message: Message,
    options: SendOptions | undefined,
  ): Promise<{ messageId?: string }> {
    const target = parseTargetKey(targetKey);
    if (target?.platform !== "discord") throw new Error(`not a Discord target: ${targetKey}`);
    const where = target.kind === "user" ? "the user's direct messages" : `channel ${target.id}`;
    try {
      const channelId = target.kind === "user" ? await dmChannel(target.id) : target.id;
      // With enforce_nonce, Discord answers a repeat of this nonce (ours after an unknown outcome, or
      // discord.js's own after a timeout, a reset or a 5xx) with the first message instead of a second one.
      const key = options?.idempotencyKey;
      const rendered = target.kind === "user" ? renderers.render(message) : renderers.renderPost(message);
      const body =
        key === undefined
          ? restBody(rendered)
          : {
              ...restBody({ ...rendered, content: withDeliveryRef(rendered.content, key) }),
              nonce: discordNonce(key),
              enforce_nonce: true,
            };
      const sent = (await rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
      return { messageId: sent.id };
    } catch (error) {
      throw translateSendError(error, where);
    }
  }

  return (targetKey, message, options) => {
    const previous = queues.get(targetKey) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => deliver(targetKey, message, options));
    queues.set(targetKey, run);
    // Forget an idle queue so the map holds only targets with sends in flight.
    void run
      .catch(() => undefined)
      .then(() => {
        if (queues.get(targetKey) === run) queues.delete(targetKey);
      });
    return run;
  };
}
