import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { wholeNumber } from "../../src/command-kit/options.ts";
import type { Message } from "../../src/core/message.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { plural, shortDate } from "../../src/core/text.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { MAX_RATINGS_PER_USER } from "../../src/store/index.ts";
import { pageOf } from "./paging.ts";

const PER_PAGE = 10;
const LAST_PAGE = Math.ceil(MAX_RATINGS_PER_USER / PER_PAGE);
const EMOJI = { up: "👍", down: "👎" } as const;

export const ratings = defineSubcommand({
  path: ["ratings"],
  description: "Your ratings, newest first (only you see them)",
  options: z.object({
    page: wholeNumber({ description: "Which page", min: 1, max: LAST_PAGE }).default(1),
  }),
  requires: [],
  examples: ["/papers ratings page:2"],
  async run({ services, invoker }, { page }): Promise<Message> {
    const all = await services.store.ratings.newestFirst(userTarget(invoker));
    const answer = (text: string): Message => ({ text, cards: [], buttons: [], ephemeral: true });
    if (all.length === 0) return answer("You have not rated any paper yet. Try /papers rate <id> up.");
    const shown = all.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    if (shown.length === 0)
      return answer(`You have ${plural(all.length, "rating")}; page ${page} is past the end.`);
    const { byId } = services.catalog.current;
    const gone: string[] = [];
    const cards = shown.flatMap((rating) => {
      const when = `${EMOJI[rating.value]} ${shortDate(rating.ratedAt.slice(0, 10))}`;
      const paper = byId.get(rating.paperId);
      if (!paper) {
        gone.push(`${when} ${rating.paperId} is no longer in the corpus.`);
        return [];
      }
      return [paperCard(paper, { reason: when })];
    });
    const paging = pageOf(
      { page, limit: PER_PAGE },
      shown.length,
      all.length,
      (to) => `/papers ratings page:${to}`,
      LAST_PAGE,
    );
    const goneNote = gone.length > 0 ? `\n${gone.join("\n")}` : "";
    return {
      text: `Your ratings ${paging.first}–${paging.last} of ${all.length}, newest first. /papers forget confirm:yes deletes them all.${goneNote}`,
      cards,
      buttons: paging.buttons,
      ephemeral: true,
    };
  },
});
