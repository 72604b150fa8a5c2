import type { webApi } from "@slack/bolt";
import type { ThreadOpener, ThreadOutcome } from "../contract.ts";
import { type RenderOptions, renderBlocks } from "./render-blocks.ts";
import { slackErrorCode } from "./slack-errors.ts";

/** Slack's refusals of a threaded reply, as what to do about them. */
const REFUSALS: Readonly<Record<string, string>> = {
  not_in_channel: "The bot is not in this channel any more: /invite it back, then press Discuss again.",
  channel_not_found: "The bot cannot see this channel: /invite it, then press Discuss again.",
  is_archived: "This channel is archived: threads cannot be opened in it.",
};

/**
 * Discussion threads on Slack (decision 018): a paper's thread is a threaded reply under the post
 * it was discussed from (chat.postMessage with `thread_ts`), carrying the paper's card, and people
 * are sent there by its permalink (chat.getPermalink). Slack has no thread without a post and no
 * thread membership: joining is being given the link. chat:write is all it needs, which posting
 * the digest needs already.
 */
export function slackThreads(client: webApi.WebClient, render: () => RenderOptions): ThreadOpener {
  async function permalink(channel: string, ts: string): Promise<string> {
    const found = await client.chat.getPermalink({ channel, message_ts: ts });
    return found.permalink ?? "";
  }

  function refused(error: unknown): ThreadOutcome {
    const problem = REFUSALS[slackErrorCode(error) ?? ""];
    if (problem === undefined) throw error;
    return { ok: false, problem };
  }

  return {
    needsPost: true,

    async missing() {
      return [];
    },

    async open(channelId, card, post) {
      if (!post) {
        return {
          ok: false,
          problem: "A Slack thread hangs from a post: press Discuss on a card in a digest.",
        };
      }
      const { text, blocks } = renderBlocks(
        { text: "", cards: [card], buttons: [], ephemeral: false },
        render(),
      );
      try {
        const posted = await client.chat.postMessage({
          channel: channelId,
          thread_ts: post.id,
          text,
          blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
        const ts = posted.ts ?? "";
        return { ok: true, threadId: ts, link: await permalink(channelId, ts) };
      } catch (error) {
        return refused(error);
      }
    },

    async join(channelId, threadId) {
      try {
        return { ok: true, threadId, link: await permalink(channelId, threadId) };
      } catch (error) {
        if (slackErrorCode(error) === "message_not_found") return { gone: true };
        return refused(error);
      }
    },
  };
}
