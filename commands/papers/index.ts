import type { CommandDefinition } from "../../src/command-kit/define.ts";
import { alerts } from "./alerts.ts";
import { discuss } from "./discuss.ts";
import { exportCommand } from "./export.ts";
import { forget } from "./forget.ts";
import { foryou } from "./foryou.ts";
import { help } from "./help.ts";
import { paper } from "./paper.ts";
import { rate } from "./rate.ts";
import { ratings } from "./ratings.ts";
import { save } from "./save.ts";
import { saved } from "./saved.ts";
import { search } from "./search.ts";
import { similar } from "./similar.ts";
import { subscribe } from "./subscribe.ts";
import { subscriptions } from "./subscriptions.ts";
import { unsave } from "./unsave.ts";
import { unsubscribe } from "./unsubscribe.ts";

export const papersCommand: CommandDefinition = {
  name: "papers",
  description: "Search research papers, save them and follow topics",
  subcommands: [
    search,
    paper,
    similar,
    discuss,
    save,
    unsave,
    saved,
    exportCommand,
    rate,
    ratings,
    foryou,
    forget,
    subscribe,
    unsubscribe,
    subscriptions,
    alerts,
    help,
  ],
};
