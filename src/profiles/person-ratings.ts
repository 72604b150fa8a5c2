import type { Rating, RatingStore, SavedPaper, SavedPaperStore } from "../store/index.ts";
import type { ProfileRating } from "./learn-profile.ts";

/** What a person's profile is learned from, newest first, with when each was given. */
export interface DatedRating extends ProfileRating {
  readonly at: string;
}

/**
 * A person's ratings with their saved papers folded in: saving a paper counts as a 👍 unless they
 * rated it themselves (their rating wins, whichever came later). Both lists come newest first; so
 * does the result, by the time each was given.
 */
export function withSavedAsLiked(
  ratings: readonly Rating[],
  saved: readonly SavedPaper[],
): readonly DatedRating[] {
  const rated = new Set(ratings.map((rating) => rating.paperId));
  const merged: DatedRating[] = [
    ...ratings.map((rating) => ({ paperId: rating.paperId, value: rating.value, at: rating.ratedAt })),
    ...saved
      .filter((entry) => !rated.has(entry.paperId))
      .map((entry) => ({ paperId: entry.paperId, value: "up" as const, at: entry.savedAt })),
  ];
  // ISO times in one zone sort as strings; a stable sort keeps each list's own order on ties.
  return merged.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/**
 * What a person's profile learns from, read from the store: `given`, their own ratings, and
 * `learnedFrom`, those with their saved papers folded in (withSavedAsLiked). Both newest first.
 */
export async function personRatings(
  store: { readonly ratings: RatingStore; readonly saved: SavedPaperStore },
  userKey: string,
): Promise<{ readonly given: readonly Rating[]; readonly learnedFrom: readonly DatedRating[] }> {
  const [given, saved] = await Promise.all([
    store.ratings.newestFirst(userKey),
    store.saved.newestFirst(userKey),
  ]);
  return { given, learnedFrom: withSavedAsLiked(given, saved) };
}
