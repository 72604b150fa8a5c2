import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { wholeNumber } from "../../src/command-kit/options.ts";
import type { Message } from "../../src/core/message.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { plural, shortDate } from "../../src/core/text.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { MAX_SAVED_PER_USER } from "../../src/store/index.ts";
import { pageOf } from "./paging.ts";

/** Saved papers per page: one card each, the most embeds a Discord message holds. */
const PER_PAGE = 10;
const LAST_PAGE = Math.ceil(MAX_SAVED_PER_USER / PER_PAGE);

export const saved = defineSubcommand({
  path: ["saved"],
  description: "Your saved papers, newest first, with when you saved each",
  options: z.object({
    page: wholeNumber({
      description: "Which page",
      min: 1,
      max: LAST_PAGE,
    }).default(1),
  }),
  requires: [],
  examples: ["/papers saved page:2"],
  async run({ services, invoker }, { page }): Promise<Message> {
    const all = await services.store.saved.newestFirst(userTarget(invoker));
    if (all.length === 0) {
      return {
        text: "You have no saved papers yet. Save one with /papers save <id> (ids appear under each search result).",
        cards: [],
        buttons: [],
        ephemeral: true,
      };
    }
    const start = (page - 1) * PER_PAGE;
    const shown = all.slice(start, start + PER_PAGE);
    if (shown.length === 0) {
      return {
        text: `You have ${plural(all.length, "saved paper")}; page ${page} is past the end.`,
        cards: [],
        buttons: [],
        ephemeral: true,
      };
    }
    const { byId } = services.catalog.current;
    const gone: string[] = [];
    const cards = shown.flatMap((entry) => {
      const paper = byId.get(entry.paperId);
      const when = `saved ${shortDate(entry.savedAt.slice(0, 10))}`;
      if (!paper) {
        gone.push(`${entry.paperId} (${when}) is no longer in the corpus.`);
        return [];
      }
      return [paperCard(paper, { reason: when })];
    });
    const paging = pageOf(
      { page, limit: PER_PAGE },
      shown.length,
      all.length,
      (to) => `/papers saved page:${to}`,
      LAST_PAGE,
    );
    const goneNote = gone.length > 0 ? `\n${gone.join("\n")}` : "";
    return {
      text: `Your saved papers ${paging.first}–${paging.last} of ${all.length}, newest first.${goneNote}`,
      cards,
      buttons: paging.buttons,
      ephemeral: true,
    };
  },
});
