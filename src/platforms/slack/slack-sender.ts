import type { webApi } from "@slack/bolt";
import type { SendMessage } from "../../digest/digest-service.ts";
import { parseTargetKey } from "../../target.ts";
import { type RenderOptions, renderBlocks } from "./render-blocks.ts";
import { toDeliveryError } from "./slack-errors.ts";

/**
 * Posts digests to channels (`slack:<channelId>`) and topic alerts by DM (`slack:user:<userId>`,
 * through conversations.open). Rate limits are the Web API client's job: it waits out
 * `Retry-After` and sends again, so each message arrives once.
 */
export function slackSender(client: webApi.WebClient, render: () => RenderOptions): SendMessage {
  const dmChannels = new Map<string, string>();

  async function dmChannel(userId: string): Promise<string> {
    const known = dmChannels.get(userId);
    if (known) return known;
    const opened = await client.conversations.open({ users: userId });
    const id = opened.channel?.id;
    if (!id) throw new Error(`conversations.open gave no channel for ${userId}`);
    dmChannels.set(userId, id);
    return id;
  }

  return async (targetKey, message) => {
    const target = parseTargetKey(targetKey);
    if (target?.platform !== "slack") throw new Error(`not a Slack target: ${targetKey}`);
    const toUser = target.kind === "user";
    try {
      const channel = toUser ? await dmChannel(target.id) : target.id;
      const { text, blocks } = renderBlocks(message, render());
      const posted = await client.chat.postMessage({
        channel,
        text,
        blocks,
        // Papers link to arXiv: one preview per link would bury the digest.
        unfurl_links: false,
        unfurl_media: false,
      });
      return posted.ts ? { messageId: posted.ts } : {};
    } catch (error) {
      throw toDeliveryError(error, targetKey, toUser);
    }
  };
}
