import type { CommandDefinition } from "../../src/command-kit/define.ts";
import { help } from "./help.ts";
import { paper } from "./paper.ts";
import { search } from "./search.ts";
import { similar } from "./similar.ts";
import { subscribe } from "./subscribe.ts";
import { subscriptions } from "./subscriptions.ts";
import { unsubscribe } from "./unsubscribe.ts";

export const papersCommand: CommandDefinition = {
  name: "papers",
  description: "Search research papers and follow topics",
  subcommands: [search, paper, similar, subscribe, unsubscribe, subscriptions, help],
};
