import type { types } from "@slack/bolt";
import type { CardActions } from "../../command-kit/card-actions.ts";
import type { Message, MessageButton, PaperCard } from "../../core/message.ts";
import { chunkEscaped, escapeText, fitEscaped, linkTarget, TEXT_LIMIT } from "./escape.ts";

/** Block Kit's caps: blocks per message, elements per actions block, button text and value. */
export const MAX_BLOCKS = 50;
const MAX_ACTIONS = 25;
const BUTTON_TEXT_LIMIT = 75;
const BUTTON_VALUE_LIMIT = 2000;

/** Buttons run their value as a command line; this prefix tells our action handler they are ours. */
export const RUN_ACTION_PREFIX = "run:";

export type Block = types.KnownBlock;

export interface RenderedMessage {
  /** The fallback shown in notifications and by clients that cannot draw blocks: always set. */
  readonly text: string;
  readonly blocks: Block[];
}

export interface RenderOptions {
  /** The buttons each paper card carries (rate, save, more like this); unset, cards have none. */
  readonly cardActions?: CardActions;
}

/**
 * A neutral message as Block Kit: the text as sections, then a section per paper (title linked,
 * authors, snippet) with a context line (reason, categories, id) and the card's own buttons right
 * under it, then the message's buttons. Every piece of paper text
 * is escaped and every text field fits Slack's limits; `verbatim` stops Slack from turning bare
 * names or URLs in it into mentions and links.
 */
export function renderBlocks(message: Message, options: RenderOptions = {}): RenderedMessage {
  const blocks: Block[] = chunkEscaped(escapeText(message.text)).map((text) => section(text));
  const buttons = message.buttons
    .map((button, index) => buttonElement(button, String(index)))
    .filter(isDefined);
  const reserved = buttons.length ? 1 : 0;

  let shown = 0;
  for (const [index, card] of message.cards.entries()) {
    const actions = cardButtons(card, index, options);
    const cardBlocks = [cardSection(card), cardContext(card), ...(actions ? [actions] : [])];
    // Keeping room for the message's buttons and for a "more not shown" line.
    if (blocks.length + cardBlocks.length + reserved + 1 > MAX_BLOCKS) break;
    blocks.push(...cardBlocks);
    shown++;
  }
  const hidden = message.cards.length - shown;
  if (hidden > 0) blocks.push(context(`…and ${hidden} more not shown here.`));
  if (buttons.length) blocks.push({ type: "actions", elements: buttons.slice(0, MAX_ACTIONS) });

  return { text: fallbackText(message), blocks };
}

function fallbackText(message: Message): string {
  if (message.text.trim()) return fitEscaped(message.text);
  const titles = message.cards.map((card, index) => `${index + 1}. ${card.title}`).join("\n");
  return titles ? fitEscaped(titles) : "(no text)";
}

function section(text: string): types.SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text, verbatim: true } };
}

function context(text: string): types.ContextBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text, verbatim: true }] };
}

function cardSection(card: PaperCard): Block {
  const url = linkTarget(card.url);
  // The title's own length is capped first so a huge title still leaves room for the snippet.
  const title = fitEscaped(card.title, 600);
  const heading = url ? `*<${url}|${title}>*` : `*${title}*`;
  const authors = card.authors ? `\n_${fitEscaped(card.authors, 300)}_` : "";
  const head = `${heading}${authors}\n`;
  // The note is one line after the snippet, capped first so that the snippet fills what is left.
  const note = card.note ? `\n${fitEscaped(card.note, NOTE_LIMIT)}` : "";
  return section(head + fitEscaped(card.snippet, TEXT_LIMIT - head.length - note.length) + note);
}

const NOTE_LIMIT = 600;

/** The card's buttons (👍, 👎, 🔖, More like this); each action id names its card. */
function cardButtons(card: PaperCard, index: number, options: RenderOptions): types.ActionsBlock | undefined {
  const elements = (options.cardActions?.(card.paperId) ?? [])
    .map((button, kind) => buttonElement(button, `card:${index}:${kind}`))
    .filter(isDefined);
  return elements.length ? { type: "actions", elements } : undefined;
}

/**
 * Reason, categories and id, then the card's links as mrkdwn links, in a second element: link buttons
 * would send Slack an action to acknowledge and add a block per card towards the 50.
 */
function cardContext(card: PaperCard): Block {
  const parts = [card.reason, card.about, `id ${card.paperId}`].filter(isDefined);
  const block = context(fitEscaped(parts.join(" · ")));
  const links = (card.links ?? [])
    .map((link) => {
      const target = linkTarget(link.url);
      return target === undefined ? undefined : `<${target}|${escapeText(link.label)}>`;
    })
    .filter(isDefined)
    .join(" · ");
  if (links === "" || links.length > TEXT_LIMIT) return block;
  return { ...block, elements: [...block.elements, { type: "mrkdwn", text: links, verbatim: true }] };
}

function buttonElement(button: MessageButton, id: string): types.Button | undefined {
  // A command line too long for a button value cannot be run from it: better no button than a broken one.
  if (button.command.length > BUTTON_VALUE_LIMIT) return undefined;
  const label =
    button.label.length > BUTTON_TEXT_LIMIT
      ? `${button.label.slice(0, BUTTON_TEXT_LIMIT - 1)}…`
      : button.label;
  return {
    type: "button",
    action_id: `${RUN_ACTION_PREFIX}${id}`,
    text: { type: "plain_text", text: label, emoji: true },
    value: button.command,
  };
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
