import { z } from "zod";
import { findPaper } from "../../src/catalog/index.ts";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { paperId } from "../../src/command-kit/options.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import type { Message } from "../../src/core/message.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { plural } from "../../src/core/text.ts";
import { pageOf, pageOffset, pagingOptions } from "./paging.ts";

/** Shared words shown on each card: enough to see why it is there, few enough to read at a glance. */
const REASON_WORDS = 3;

export const similar = defineSubcommand({
  path: ["similar"],
  description: "Papers like a given one (the “More like this” button)",
  options: z.object({
    id: paperId({ description: "The paper's id, as shown in search results" }),
    ...pagingOptions,
  }),
  requires: [],
  examples: ["/papers similar 2112.05682 limit:3"],
  async run({ services }, { id, limit, page }): Promise<Message> {
    const catalog = services.catalog.current;
    const source = findPaper(catalog, id);
    if (!source) {
      throw new UserError(
        `No paper has the id “${id}”. Ids appear under each search result: try /papers search first.`,
      );
    }
    const result = catalog.index.similar(source.id, { limit, offset: pageOffset({ page, limit }) });
    if (result.total === 0) {
      return answer(
        `No other paper shares the words that “${source.title}” is about. ` +
          "Try /papers search with a few words from its title.",
      );
    }
    if (result.hits.length === 0) {
      return answer(
        `“${source.title}” has ${plural(result.total, "similar paper")}; page ${page} is past the end.`,
      );
    }
    const { first, last, buttons } = pageOf(
      { page, limit },
      result.hits.length,
      result.total,
      (target) => `/papers similar ${source.id} limit:${limit} page:${target}`,
    );
    return {
      // No "of N": N counts every paper sharing any one word, which says little about how many are alike.
      text: `Papers like “${source.title}” (${first}–${last}).`,
      cards: result.hits.map((hit) =>
        paperCard(hit.paper, {
          snippet: hit.snippet,
          reason: `shares ${hit.matchedTerms
            .slice(0, REASON_WORDS)
            .map((word) => `“${word}”`)
            .join(", ")}`,
        }),
      ),
      buttons,
      ephemeral: true,
    };
  },
});

function answer(text: string): Message {
  return { text, cards: [], buttons: [], ephemeral: true };
}
