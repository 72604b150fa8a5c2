import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { CardActions, CardButton } from "../../command-kit/card-actions.ts";
import { isPagingCommand, type MessageButton, type PaperCard } from "../../core/message.ts";
import { truncateAtWord } from "../../core/text.ts";
import type { ButtonIds, ButtonMode } from "./button-ids.ts";

/** Discord's component limits, from its documentation. */
export const COMPONENT_LIMITS = {
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectOptions: 25,
  optionLabel: 100,
  placeholder: 150,
} as const;

/** The custom id of a card menu; its options' values carry the command lines (see ButtonIds). */
export const CARD_MENU_PREFIX = "cards:";

export type ComponentRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** Paging buttons replace the page they are on; anything else answers with a new private reply. */
export function buttonMode(command: string): ButtonMode {
  return isPagingCommand(command) ? "update" : "reply";
}

/**
 * The message's rows: one row per card while every card gets one (its 👍, 👎, 🔖 and "More like"
 * buttons), then the message's own buttons (paging). Discord allows five rows, and draws them all
 * under all the embeds, so with several cards each button names its card's number. Too many cards
 * for a row each (a 10-paper digest) get one menu per kind of button instead ("👍 Relevant:
 * choose a paper"), so one message still carries every button of every card; why
 * this over splitting a digest into two posts is in docs/decisions/013-card-buttons.md.
 */
export function componentRows(
  cards: readonly PaperCard[],
  messageButtons: readonly MessageButton[],
  ids: ButtonIds,
  cardActions: CardActions | undefined,
): ComponentRow[] {
  // A paper shown twice gets its buttons once: custom ids and menu values must be unique in a message.
  const papers = new Set<string>();
  const perCard = cards.map((card) => {
    if (papers.has(card.paperId)) return [];
    papers.add(card.paperId);
    return (cardActions?.(card.paperId) ?? []).slice(0, COMPONENT_LIMITS.buttonsPerRow);
  });
  const onCards = new Set(perCard.flat().map((button) => button.command));
  // Custom ids must be unique within a message: a message button that is also a card's is left to the card.
  const seen = new Set<string>();
  const own = messageButtons
    .filter((button) => !onCards.has(button.command) && !seen.has(button.command) && seen.add(button.command))
    .slice(0, COMPONENT_LIMITS.buttonsPerRow * COMPONENT_LIMITS.rows);
  const ownRows: ComponentRow[] = [];
  for (let start = 0; start < own.length; start += COMPONENT_LIMITS.buttonsPerRow) {
    ownRows.push(buttonRow(own.slice(start, start + COMPONENT_LIMITS.buttonsPerRow), ids));
  }
  const free = COMPONENT_LIMITS.rows - ownRows.length;
  const withButtons = perCard.filter((buttons) => buttons.length > 0).length;
  if (withButtons === 0 || free <= 0) return ownRows;
  const cardRows =
    withButtons <= free
      ? perCard.flatMap((buttons, index) => {
          if (buttons.length === 0) return [];
          const numbered = buttons.map((button) => ({ ...button, label: `${button.short} #${index + 1}` }));
          return [buttonRow(cards.length === 1 ? buttons : numbered, ids)];
        })
      : menuRows(cards, perCard, ids, free);
  return [...cardRows, ...ownRows];
}

function buttonRow(buttons: readonly MessageButton[], ids: ButtonIds): ComponentRow {
  return {
    type: ComponentType.ActionRow,
    components: buttons.map(
      (button): APIButtonComponentWithCustomId => ({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: truncateAtWord(button.label, COMPONENT_LIMITS.buttonLabel),
        custom_id: ids.customId(button.command, buttonMode(button.command)),
      }),
    ),
  };
}

/**
 * The cards' buttons as menus, one per kind of button ("👍 Relevant: choose a paper") while there
 * are rows for each; with fewer rows, neighbouring kinds share a menu while their options fit in 25.
 * A card's number and title name each option.
 */
function menuRows(
  cards: readonly PaperCard[],
  perCard: readonly (readonly CardButton[])[],
  ids: ButtonIds,
  rows: number,
): ComponentRow[] {
  const kinds = Array.from({ length: Math.max(...perCard.map((buttons) => buttons.length)) }, (_, kind) => ({
    label: perCard.find((buttons) => buttons[kind])?.[kind]?.label ?? "",
    options: perCard.flatMap((buttons, index) => {
      const button = buttons[kind];
      if (!button) return [];
      const title = cards[index]?.title ?? "";
      return [
        {
          label: truncateAtWord(`${button.short} #${index + 1} · ${title}`, COMPONENT_LIMITS.optionLabel),
          value: ids.customId(button.command, "reply"),
        },
      ];
    }),
  }));
  const menus: { labels: string[]; options: APIStringSelectComponent["options"] }[] = [];
  for (const kind of kinds) {
    const last = menus[menus.length - 1];
    const share =
      kinds.length > rows &&
      last &&
      last.options.length + kind.options.length <= COMPONENT_LIMITS.selectOptions;
    if (last && share) {
      last.labels.push(kind.label);
      last.options.push(...kind.options);
    } else if (menus.length < rows) {
      menus.push({ labels: [kind.label], options: kind.options.slice(0, COMPONENT_LIMITS.selectOptions) });
    }
  }
  return menus.map((menu, index) => ({
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: `${CARD_MENU_PREFIX}${index}`,
        placeholder: truncateAtWord(
          `${menu.labels.join(" · ")}: choose a paper`,
          COMPONENT_LIMITS.placeholder,
        ),
        options: menu.options,
      },
    ],
  }));
}
