import type { MessageButton } from "../core/message.ts";
import type { CommandRouter } from "./router.ts";

/**
 * A card's button. `short` names it where many cards share one row of buttons or one menu and
 * the card's number says which paper it is for ("👍 #2").
 */
export interface CardButton extends MessageButton {
  readonly short: string;
}

/** The buttons of one paper card, in the order they are shown. */
export type CardActions = (paperId: string) => readonly CardButton[];

/** One kind of card button: its labels and the command it runs, when that command is registered. */
interface CardAction {
  readonly label: string;
  readonly short: string;
  readonly command: string;
  readonly path: readonly string[];
  readonly line: (paperId: string) => string;
}

/**
 * Every card carries the same buttons: rate it, save it, see more like it. Each runs a command line
 * as the person who pressed it, so a press is answered exactly as typing that command would be,
 * privately, and the post it is on never changes. A button whose command is not registered (a
 * router built without `/papers save`, say) is left off.
 */
const CARD_ACTIONS: readonly CardAction[] = [
  { label: "👍 Relevant", short: "👍", ...papers(["rate"], (id) => `/papers rate ${id} up`) },
  { label: "👎 Not for me", short: "👎", ...papers(["rate"], (id) => `/papers rate ${id} down`) },
  { label: "🔖 Save", short: "🔖", ...papers(["save"], (id) => `/papers save ${id}`) },
  { label: "More like this", short: "More like", ...papers(["similar"], (id) => `/papers similar ${id}`) },
];

/**
 * Only a card on a channel post carries Discuss: it opens that paper's thread beside the post
 * (src/threads/), which a private answer or a direct message has none of.
 */
const CHANNEL_POST_ACTIONS: readonly CardAction[] = [
  { label: "Discuss", short: "Discuss", ...papers(["discuss"], (id) => `/papers discuss ${id}`) },
];

function papers(path: readonly string[], line: (paperId: string) => string) {
  return { command: "papers", path, line };
}

/** The card buttons this router can run; `channelPost` for the cards of a post in a channel. */
export function cardActionsOf(
  router: Pick<CommandRouter, "findSubcommand">,
  options: { readonly channelPost?: boolean } = {},
): CardActions {
  const actions = options.channelPost ? [...CARD_ACTIONS, ...CHANNEL_POST_ACTIONS] : CARD_ACTIONS;
  const available = actions.filter((action) => router.findSubcommand(action.command, action.path));
  return (paperId) =>
    available.map((action) => ({ label: action.label, short: action.short, command: action.line(paperId) }));
}
