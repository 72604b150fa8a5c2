import type { Catalog } from "../catalog/index.ts";
import type { Message } from "../core/message.ts";
import { paperCard } from "../core/paper-card.ts";
import { plural, shortDate } from "../core/text.ts";
import { type Pick, type PickRequest, pickDigest } from "../picks/index.ts";

export interface ComposedDigest {
  readonly picks: readonly Pick[];
  readonly message: Message;
}

/** A channel's daily picks as a message: "Today's picks · 26 Nov" and one card per paper. */
export function composeChannelDigest(catalog: Catalog, request: PickRequest): ComposedDigest {
  const picks = pickDigest(catalog.papers, catalog.topics, request);
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

/** A user's daily topic alert: the new papers matching any of their topics. */
export function composeTopicAlert(catalog: Catalog, request: PickRequest): ComposedDigest {
  const picks = pickDigest(catalog.papers, catalog.topics, request);
  const header = `New on your topics · ${shortDate(request.localDate)}: ${plural(picks.length, "paper")}`;
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
