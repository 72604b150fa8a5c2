import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { wholeNumber } from "../../src/command-kit/options.ts";
import type { Message } from "../../src/core/message.ts";
import { shortDate } from "../../src/core/text.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { RATING_EMOJI } from "../../src/picks/index.ts";
import { MAX_RATINGS_PER_USER } from "../../src/store/index.ts";
import { PER_PAGE, personalListPage } from "./personal-list.ts";

const LAST_PAGE = Math.ceil(MAX_RATINGS_PER_USER / PER_PAGE);

export const ratings = defineSubcommand({
  path: ["ratings"],
  description: "Your ratings, newest first (only you see them)",
  options: z.object({
    page: wholeNumber({ description: "Which page", min: 1, max: LAST_PAGE }).default(1),
  }),
  requires: [],
  examples: ["/papers ratings page:2"],
  async run({ services, invoker }, { page }): Promise<Message> {
    return personalListPage(services, {
      entries: await services.store.ratings.newestFirst(userTarget(invoker)),
      page,
      lastPage: LAST_PAGE,
      command: "/papers ratings",
      noun: "rating",
      empty: "You have not rated any paper yet. Try /papers rate <id> up.",
      title: "Your ratings",
      after: "/papers forget confirm:yes deletes them all.",
      describe: (rating) => `${RATING_EMOJI[rating.value]} ${shortDate(rating.ratedAt.slice(0, 10))}`,
    });
  },
});
