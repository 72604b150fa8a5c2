import { setTimeout as sleep } from "node:timers/promises";
import type { webApi } from "@slack/bolt";
import { parseTargetKey } from "../../core/target.ts";
import type { SendMessage } from "../contract.ts";
import { type RenderOptions, renderBlocks } from "./render-blocks.ts";
import { type SlackDmChannels, slackDmChannels } from "./slack-dm-channels.ts";
import { toDeliveryError } from "./slack-errors.ts";

/** Slack takes about one message per second per channel (bursts tolerated, not promised). */
const CHANNEL_SPACING_MS = 1000;

/**
 * Posts to one channel go one at a time, each starting at least `spacingMs` after the one before
 * began, so the bot stays at Slack's per-channel limit rather than over it, and a burst to one
 * channel arrives in order. Different channels do not wait for each other.
 */
function channelLanes(spacingMs: number) {
  const lanes = new Map<string, Promise<void>>();
  return <T>(channel: string, post: () => Promise<T>): Promise<T> => {
    const turn = lanes.get(channel) ?? Promise.resolve();
    const posted = turn.then(post);
    const next = turn.then(async () => {
      await Promise.all([posted.catch(() => undefined), sleep(spacingMs, undefined, { ref: false })]);
    });
    lanes.set(channel, next);
    // Forget an idle lane so the map holds only channels posted to in the last second.
    void next.then(() => {
      if (lanes.get(channel) === next) lanes.delete(channel);
    });
    return posted;
  };
}

/** The `event_type` of the metadata every delivery carries; the payload's `key` is the delivery key. */
export const DELIVERY_EVENT_TYPE = "paper_picks_delivery";

/**
 * Slack keeps a message's metadata and `conversations.history` with `include_all_metadata` reads
 * it back, so a post can be recognised later as the one made for this delivery.
 */
function deliveryMetadata(key: string) {
  return { event_type: DELIVERY_EVENT_TYPE, event_payload: { key } };
}

/**
 * Posts digests to channels (`slack:<channelId>`) and topic alerts by DM (`slack:user:<userId>`,
 * through conversations.open), a second apart per channel. The workspace-wide limit on
 * chat.postMessage is not published, so that one is the Web API client's job: on a 429 it pauses
 * every call for `Retry-After` and sends again, so each message arrives once.
 */
export function slackSender(
  client: webApi.WebClient,
  /** `renderPost` for a channel's posts (their cards carry Discuss), `render` for direct messages. */
  renderers: { readonly render: () => RenderOptions; readonly renderPost: () => RenderOptions },
  options: {
    readonly channelSpacingMs?: number;
    /** Shared with the delivery look-up (findSlackDelivery); default: a cache of this sender's own. */
    readonly dmChannels?: SlackDmChannels;
  } = {},
): SendMessage {
  const dmChannel = options.dmChannels ?? slackDmChannels(client);
  const inLane = channelLanes(options.channelSpacingMs ?? CHANNEL_SPACING_MS);

  return async (targetKey, message, options) => {
    const target = parseTargetKey(targetKey);
    if (target?.platform !== "slack") throw new Error(`not a Slack target: ${targetKey}`);
    const toUser = target.kind === "user";
    try {
      const channel = toUser ? await dmChannel(target.id) : target.id;
      const { text, blocks } = renderBlocks(message, toUser ? renderers.render() : renderers.renderPost());
      const posted = await inLane(channel, () =>
        client.chat.postMessage({
          channel,
          text,
          blocks,
          // Papers link to arXiv: one preview per link would bury the digest.
          unfurl_links: false,
          unfurl_media: false,
          ...(options?.idempotencyKey !== undefined && {
            metadata: deliveryMetadata(options.idempotencyKey),
          }),
        }),
      );
      return posted.ts ? { messageId: posted.ts } : {};
    } catch (error) {
      throw toDeliveryError(error, targetKey, toUser);
    }
  };
}
