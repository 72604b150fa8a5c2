import { commands } from "../../commands/index.ts";
import { cardActionsOf } from "../../src/command-kit/card-actions.ts";
import { CommandRouter } from "../../src/command-kit/router.ts";

/** The card buttons of the bot's own commands, as the platforms render them. */
export const cardActions = cardActionsOf(new CommandRouter(commands));
