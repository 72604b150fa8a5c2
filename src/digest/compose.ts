import type { Catalog } from "../catalog/index.ts";
import type { Message } from "../core/message.ts";
import { paperCard } from "../core/paper-card.ts";
import { plural, shortDate } from "../core/text.ts";
import {
  describeLike,
  forYou,
  type Pick,
  type PickRequest,
  pickDigest,
  type RatedPaper,
  tasteOf,
} from "../picks/index.ts";

/** "For you" papers a personal digest adds to its topic matches, when the person has rated some 👍. */
export const FOR_YOU_IN_ALERT = 3;

export interface ComposedDigest {
  readonly picks: readonly Pick[];
  readonly message: Message;
}

/**
 * A channel's daily picks as a message: "Today's picks · 26 Nov" and one card per paper. With
 * `votes` (the channel's ratings, newest first, see ChannelVoteStore) holding a 👍, the picks blend
 * trending with the profile learned from them (src/picks/learned-blend.ts).
 */
export function composeChannelDigest(
  catalog: Catalog,
  request: PickRequest,
  channel?: { readonly target: string; readonly votes: readonly RatedPaper[] },
): ComposedDigest {
  const taste = channel?.votes.some((vote) => vote.value === "up")
    ? tasteOf(catalog.index, channel.target, channel.votes, (id) => catalog.byId.get(id)?.title)
    : undefined;
  // A paper the channel rated was on its posts already, or is known to it: never picked again.
  const rated = new Set([...request.delivered, ...(channel?.votes.map((vote) => vote.paperId) ?? [])]);
  const picks = pickDigest(
    catalog.papers,
    catalog.topics,
    taste ? { ...request, taste, delivered: rated } : request,
  );
  const header = `Today's picks · ${shortDate(request.localDate)}`;
  if (picks.length === 0) {
    const scope = request.topics.length ? " on this digest's topics" : "";
    return {
      picks,
      message: publicText(`${header}\nNothing new${scope} today: every paper has been posted here.`),
    };
  }
  return { picks, message: withCards(header, picks) };
}

/**
 * A person's direct-message digest: the new papers matching any of their topics, then up to
 * FOR_YOU_IN_ALERT of their "for you" picks (src/picks/for-you.ts) not already in it, each saying
 * which paper rated 👍 it is like. No topics and no 👍: nothing (the caller stays quiet).
 */
export function composeTopicAlert(
  catalog: Catalog,
  request: PickRequest,
  ratings: readonly RatedPaper[] = [],
): ComposedDigest {
  const topical = request.topics.length > 0 ? pickDigest(catalog.papers, catalog.topics, request) : [];
  const taken = new Set([...request.delivered, ...topical.map((pick) => pick.paper.id)]);
  const liked = ratings.some((rating) => rating.value === "up")
    ? forYou(catalog.index, ratings, request.localDate)
        .filter((pick) => !taken.has(pick.paper.id))
        .slice(0, FOR_YOU_IN_ALERT)
        .map(
          (pick): Pick => ({
            paper: pick.paper,
            score: pick.score,
            reason: describeLike(catalog.byId.get(pick.becauseId)?.title),
          }),
        )
    : [];
  const picks = [...topical, ...liked];
  const what = liked.length > 0 ? "New for you" : "New on your topics";
  const header = `${what} · ${shortDate(request.localDate)}: ${plural(picks.length, "paper")}`;
  return { picks, message: withCards(header, picks) };
}

function withCards(header: string, picks: readonly Pick[]): Message {
  return {
    text: header,
    cards: picks.map((pick) => paperCard(pick.paper, { reason: pick.reason })),
    buttons: [],
    ephemeral: false,
  };
}

function publicText(text: string): Message {
  return { text, cards: [], buttons: [], ephemeral: false };
}
