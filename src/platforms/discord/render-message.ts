import { type APIEmbed, escapeMarkdown } from "discord.js";
import type { CardActions } from "../../command-kit/card-actions.ts";
import type { Message, PaperCard } from "../../core/message.ts";
import { truncateAtWord } from "../../core/text.ts";
import type { ButtonIds } from "./button-ids.ts";
import { COMPONENT_LIMITS, type ComponentRow, componentRows } from "./render-components.ts";

/** Discord's message limits (characters), from its documentation. */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  footer: 2048,
  author: 256,
  /** title + description + footer + author over all embeds of one message. */
  embedTotal: 6000,
  ...COMPONENT_LIMITS,
} as const;

/** A message as Discord's API JSON, before it is sent by REST or by an interaction reply. */
export interface DiscordMessage {
  readonly content: string;
  readonly embeds: APIEmbed[];
  readonly components: ComponentRow[];
}

export interface RenderOptions {
  readonly buttonIds: ButtonIds;
  /** The buttons each paper card carries (rate, save, more like this); unset, cards have none. */
  readonly cardActions?: CardActions;
}

/** Texts kept escaped: a day's digests show the same papers in every channel. Bounded. */
const ESCAPED_MAX = 20_000;
const escaped = new Map<string, string>();

/**
 * Paper text is untrusted: no markdown from it renders, masked links included. discord.js's
 * escapeMarkdown runs a dozen regular expressions over the text, the largest cost of a digest at
 * scale (bench/delivery.ts, profiled), so each text is escaped once and remembered.
 */
function escapePaperText(text: string): string {
  let result = escaped.get(text);
  if (result === undefined) {
    result = escapeMarkdown(text, { maskedLink: true, heading: true, bulletedList: true });
    if (escaped.size >= ESCAPED_MAX) escaped.clear();
    escaped.set(text, result);
  }
  return result;
}

/**
 * A neutral message as embeds and buttons: one embed per paper (title linked to the paper page,
 * authors, snippet, the reason, categories and id in the footer), within every Discord limit, cut at a word with
 * an ellipsis. Mentions are switched off where the message is sent (allowed_mentions).
 */
export function renderMessage(message: Message, options: RenderOptions): DiscordMessage {
  const text = escapePaperText(message.text);
  const longText = text.length > LIMITS.content;
  const embeds: APIEmbed[] = [];
  // Text too long for content (help) goes into a leading embed, which allows 4096.
  if (longText) embeds.push({ description: truncateAtWord(text, LIMITS.description) });
  const cards = message.cards.slice(0, LIMITS.embeds - embeds.length);
  const used = embeds.reduce((sum, embed) => sum + (embed.description?.length ?? 0), 0);
  embeds.push(...cardEmbeds(cards, LIMITS.embedTotal - used));
  return {
    content: longText ? "" : text,
    embeds,
    components: componentRows(cards, message.buttons, options.buttonIds, options.cardActions),
  };
}

function cardEmbeds(cards: readonly PaperCard[], budget: number): APIEmbed[] {
  // Each card's title, author and footer together get at most an equal share of the 6000, so that
  // ten cards with long footers (a feed's long category lists) still make one message Discord takes.
  // Typical cards need far less than their share and are not cut; the 1 kept back is a cut's "…".
  const headShare = Math.floor(Math.max(0, budget) / Math.max(1, cards.length)) - 1;
  const heads = cards.map((card) => {
    const title = truncateAtWord(escapePaperText(card.title), Math.min(LIMITS.title, headShare));
    // Author names and footers do not render markdown, so they are not escaped.
    const author = card.authors
      ? truncateAtWord(card.authors, Math.min(LIMITS.author, Math.max(0, headShare - title.length)))
      : "";
    const footer = truncateAtWord(
      [card.reason, card.about, `id ${card.paperId}`].filter(Boolean).join(" · "),
      Math.min(LIMITS.footer, Math.max(0, headShare - title.length - author.length - 1)),
    );
    return {
      title,
      ...(card.url !== undefined && /^https?:\/\//.test(card.url) && { url: card.url }),
      ...(author && { author: { name: author } }),
      footer: { text: footer },
    };
  });
  // The note and links take what is left of the card's share after its head; the snippet comes after.
  const tails = heads.map((head, index) => {
    const room = headShare - head.title.length - head.footer.text.length - (head.author?.name.length ?? 0);
    const tail = cards[index] === undefined ? "" : cardTail(cards[index] as PaperCard, room - 2);
    return tail === "" ? "" : `\n\n${tail}`;
  });
  const fixed = heads.reduce(
    (sum, head, index) =>
      sum +
      head.title.length +
      head.footer.text.length +
      (head.author?.name.length ?? 0) +
      (tails[index]?.length ?? 0),
    0,
  );
  // What is left of the 6000 is shared among the snippets; a short one leaves its share to the next.
  let left = Math.max(0, budget - fixed);
  return heads.map((head, index) => {
    const share = Math.floor(left / (heads.length - index));
    const snippet = escapePaperText(cards[index]?.snippet ?? "");
    const tail = tails[index] ?? "";
    const cut = truncateAtWord(snippet, Math.min(LIMITS.description - tail.length, share));
    left -= cut.length;
    const description = cut === "" ? tail.trimStart() : cut + tail;
    return description ? { ...head, description } : head;
  });
}

/** A note is one line; in a message of ten cards a long one would crowd out the snippets. */
const NOTE_MAX = 400;

/**
 * Under the snippet, within `room` characters: the links as markdown links in the embed, not link
 * buttons (the card rows hold each card's four buttons, decision 013, and up to four links would not
 * fit beside them in a row of five), each whole or left out; then the note, escaped like all paper text, cut to fit.
 */
function cardTail(card: PaperCard, room: number): string {
  let links = "";
  for (const link of card.links ?? []) {
    const target = markdownLinkTarget(link.url);
    if (target === undefined) continue;
    const next = `${links}${links && " · "}[${link.label}](${target})`;
    if (next.length <= room) links = next;
  }
  const noteRoom = Math.min(NOTE_MAX, room - links.length - 1);
  const note =
    card.note === undefined || noteRoom < MIN_NOTE
      ? ""
      : truncateAtWord(escapePaperText(card.note), noteRoom);
  return [note, links].filter(Boolean).join("\n");
}

/** Less room than this for a note and the note is left out: a few words of it would say nothing. */
const MIN_NOTE = 40;

/**
 * An http(s) URL that ends a markdown link only where it should: parsed and re-serialised (spaces and
 * angle brackets percent-encoded), parentheses percent-encoded too. Anything else gives no link.
 */
export function markdownLinkTarget(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  const href = parsed.href.replace(/\(/g, "%28").replace(/\)/g, "%29");
  return href.length > 1000 ? undefined : href;
}
