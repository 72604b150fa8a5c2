import { parseTargetKey } from "../core/target.ts";
import { StoreError } from "./errors.ts";
import { RecordCollection, type RecordKind } from "./record-collection.ts";
import { type ChannelVote, type ChannelVotes, channelVotesSchema } from "./schemas.ts";

/** The most votes one channel keeps; past it the oldest goes, so its profile follows the group's taste. */
export const MAX_VOTES_PER_CHANNEL = 5000;

export const channelVotesKind: RecordKind<ChannelVotes> = {
  name: "channel votes",
  schema: channelVotesSchema,
  keyOf: (votes) => votes.channel,
  stamp: (votes, nowIso) => ({ ...votes, updatedAt: nowIso }),
};

/** A paper's standing in a channel: 👍 when more of its votes are up than down, 👎 when fewer. */
export interface ChannelRating {
  readonly paperId: string;
  readonly value: "up" | "down";
}

/**
 * The 👍/👎 pressed on each channel's posts, keyed by the channel's target key: one vote per
 * person per paper, the latest wins, each change under the channel's lock so presses at once all
 * land. What a channel's profile is learned from; nothing here lists who voted.
 */
export class ChannelVoteStore extends RecordCollection<ChannelVotes> {
  async vote(
    channelKey: string,
    userKey: string,
    paperId: string,
    value: ChannelVote["value"],
  ): Promise<void> {
    parseChannelKey(channelKey);
    await this.modify(channelKey, (current) => {
      const nowIso = this.calls.nowIso();
      const base = current ?? {
        schemaVersion: 1 as const,
        channel: channelKey,
        votes: [],
        updatedAt: nowIso,
      };
      const others = base.votes.filter((vote) => vote.user !== userKey || vote.paperId !== paperId);
      const vote: ChannelVote = { paperId, user: userKey, value, ratedAt: nowIso };
      return { ...base, votes: [...others, vote].slice(-MAX_VOTES_PER_CHANNEL) };
    });
  }

  /** Takes back one person's vote on a paper, if they gave one. */
  async withdraw(channelKey: string, userKey: string, paperId: string): Promise<void> {
    parseChannelKey(channelKey);
    await this.modify(channelKey, (current) => {
      if (!current?.votes.some((vote) => vote.user === userKey && vote.paperId === paperId)) return undefined;
      return {
        ...current,
        votes: current.votes.filter((vote) => vote.user !== userKey || vote.paperId !== paperId),
      };
    });
  }

  /** Takes back every vote one person gave in the channel (/papers forget). */
  async forgetPerson(channelKey: string, userKey: string): Promise<void> {
    parseChannelKey(channelKey);
    await this.modify(channelKey, (current) => {
      if (!current?.votes.some((vote) => vote.user === userKey)) return undefined;
      return { ...current, votes: current.votes.filter((vote) => vote.user !== userKey) };
    });
  }

  /**
   * The channel's ratings, one per paper, newest vote first: 👍 where more people pressed 👍 than
   * 👎, 👎 where fewer, none where they cancel out.
   */
  async ratings(channelKey: string): Promise<readonly ChannelRating[]> {
    parseChannelKey(channelKey);
    const votes = (await this.get(channelKey))?.votes ?? [];
    const balance = new Map<string, number>();
    // Newest first, so the Map keeps each paper at the place of its latest vote.
    for (let i = votes.length - 1; i >= 0; i--) {
      const vote = votes[i] as ChannelVote;
      balance.set(vote.paperId, (balance.get(vote.paperId) ?? 0) + (vote.value === "up" ? 1 : -1));
    }
    return [...balance].flatMap(([paperId, sum]): ChannelRating[] =>
      sum === 0 ? [] : [{ paperId, value: sum > 0 ? "up" : "down" }],
    );
  }
}

function parseChannelKey(channelKey: string): void {
  if (parseTargetKey(channelKey)?.kind !== "channel")
    throw new StoreError(`store: "${channelKey}" is not a channel key such as discord:42`);
}
