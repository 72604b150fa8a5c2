import { StoreError } from "./errors.ts";
import { RecordCollection, type RecordKind } from "./record-collection.ts";
import type { Rating, UserRatings } from "./schemas.ts";
import { userRatingsSchema } from "./schemas.ts";
import { parseUserKey, userRecordBase } from "./user-key.ts";

/** The most papers one person keeps rated; past it the oldest rating goes, so a profile follows its owner. */
export const MAX_RATINGS_PER_USER = 5000;

export const ratingsKind: RecordKind<UserRatings> = {
  name: "ratings",
  schema: userRatingsSchema,
  keyOf: (ratings) => ratings.user,
  stamp: (ratings, nowIso) => ({ ...ratings, updatedAt: nowIso }),
};

export type RateResult =
  | { readonly outcome: "rated"; readonly previous: Rating["value"] | undefined; readonly count: number }
  | { readonly outcome: "cleared" | "not-rated"; readonly count: number };

/**
 * Each person's ratings, keyed by their target key. One rating per paper: a new one replaces the
 * last and moves to the end, so the record stays in the order rated. Ratings are the person's own:
 * nothing here lists them for anyone else, and nothing logs them.
 */
export class RatingStore extends RecordCollection<UserRatings> {
  /** Rates a paper 👍 or 👎 for the person, replacing their earlier rating of it. */
  async rate(
    userKey: string,
    paperId: string,
    value: Rating["value"],
    channel?: string,
  ): Promise<RateResult> {
    parseUserKey(userKey);
    let previous: Rating["value"] | undefined;
    const result = await this.modify(userKey, (current) => {
      const base = current ?? { ...userRecordBase(userKey, this.calls.nowIso()), ratings: [] };
      previous = base.ratings.find((rating) => rating.paperId === paperId)?.value;
      const others = base.ratings.filter((rating) => rating.paperId !== paperId);
      const rating: Rating = {
        paperId,
        value,
        ratedAt: this.calls.nowIso(),
        ...(channel !== undefined && { channel }),
      };
      const channels =
        channel === undefined || base.channels?.includes(channel)
          ? base.channels
          : [...(base.channels ?? []), channel];
      return {
        ...base,
        ratings: [...others, rating].slice(-MAX_RATINGS_PER_USER),
        ...(channels !== undefined && { channels }),
      };
    });
    if (result.after === undefined)
      throw new StoreError(`store: rating a paper for "${userKey}" wrote nothing`);
    return { outcome: "rated", previous, count: result.after.ratings.length };
  }

  /** Takes the person's rating of a paper back; `channel` is where it was given, if on a channel's post. */
  async clear(userKey: string, paperId: string): Promise<RateResult & { readonly channel?: string }> {
    parseUserKey(userKey);
    const result = await this.modify(userKey, (current) => {
      if (!current?.ratings.some((rating) => rating.paperId === paperId)) return undefined;
      return { ...current, ratings: current.ratings.filter((rating) => rating.paperId !== paperId) };
    });
    const count = result.after?.ratings.length ?? 0;
    if (!result.written) return { outcome: "not-rated", count };
    const channel = result.before?.ratings.find((rating) => rating.paperId === paperId)?.channel;
    return { outcome: "cleared", count, ...(channel !== undefined && { channel }) };
  }

  /** The channels whose profiles the person's ratings were folded into. */
  async channelsOf(userKey: string): Promise<readonly string[]> {
    parseUserKey(userKey);
    return (await this.get(userKey))?.channels ?? [];
  }

  /** The person's ratings, newest first. */
  async newestFirst(userKey: string): Promise<readonly Rating[]> {
    parseUserKey(userKey);
    return [...((await this.get(userKey))?.ratings ?? [])].reverse();
  }

  /** Deletes every rating of the person (their profile is learned from nothing else); `false` when there were none. */
  async forget(userKey: string): Promise<boolean> {
    parseUserKey(userKey);
    return this.delete(userKey);
  }
}
