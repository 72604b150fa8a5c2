import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { wholeNumber } from "../../src/command-kit/options.ts";
import type { Message } from "../../src/core/message.ts";
import { shortDate } from "../../src/core/text.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { MAX_SAVED_PER_USER } from "../../src/store/index.ts";
import { PER_PAGE, personalListPage } from "./personal-list.ts";

const LAST_PAGE = Math.ceil(MAX_SAVED_PER_USER / PER_PAGE);

export const saved = defineSubcommand({
  path: ["saved"],
  description: "Your saved papers, newest first, with when you saved each",
  options: z.object({
    page: wholeNumber({ description: "Which page", min: 1, max: LAST_PAGE }).default(1),
  }),
  requires: [],
  examples: ["/papers saved page:2"],
  async run({ services, invoker }, { page }): Promise<Message> {
    return personalListPage(services, {
      entries: await services.store.saved.newestFirst(userTarget(invoker)),
      page,
      lastPage: LAST_PAGE,
      command: "/papers saved",
      noun: "saved paper",
      empty:
        "You have no saved papers yet. Save one with /papers save <id> (ids appear under each search result).",
      title: "Your saved papers",
      describe: (entry) => `saved ${shortDate(entry.savedAt.slice(0, 10))}`,
    });
  },
});
