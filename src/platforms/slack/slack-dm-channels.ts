import type { webApi } from "@slack/bolt";

/** The direct-message channel (`D…`) of a user, opened with conversations.open when not yet known. */
export type SlackDmChannels = (userId: string) => Promise<string>;

/**
 * DM channel ids are stable per user, so each is asked for once per process; the sender and the
 * delivery look-up share one of these, so a look-up reads the channel the alert went to.
 */
export function slackDmChannels(client: webApi.WebClient): SlackDmChannels {
  const known = new Map<string, string>();
  return async (userId) => {
    const cached = known.get(userId);
    if (cached) return cached;
    const opened = await client.conversations.open({ users: userId });
    const id = opened.channel?.id;
    if (!id) throw new Error(`conversations.open gave no channel for ${userId}`);
    known.set(userId, id);
    return id;
  };
}
