import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { text } from "../../src/command-kit/options.ts";
import type { Message } from "../../src/core/message.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { plural } from "../../src/core/text.ts";
import { pageOf, pageOffset, pagingOptions } from "./paging.ts";

export const search = defineSubcommand({
  path: ["search"],
  description: "Search the papers by title, abstract and author",
  options: z.object({
    query: text({
      description: 'Words, "a phrase" or author:name; typos are forgiven',
      greedy: true,
      keepQuotes: true,
      autocomplete: true,
    }),
    ...pagingOptions,
  }),
  requires: [],
  examples: ['/papers search "kv cache" limit:3', "/papers search author:dao attention"],
  async run({ services }, { query, limit, page }): Promise<Message> {
    const { index } = services.catalog.current;
    const result = index.search(query, { limit, offset: pageOffset({ page, limit }) });
    const corrected = result.corrections.map(({ from, to }) => `“${to}” (you typed “${from}”)`).join(", ");
    const note = corrected ? `\nShowing results for ${corrected}.` : "";
    if (result.total === 0) {
      return {
        text: `No papers match ${shown(query)}.${note}\nTry fewer or different words, or /papers help.`,
        cards: [],
        buttons: [],
        ephemeral: true,
      };
    }
    if (result.hits.length === 0) {
      return {
        text: `${shown(query)} has ${plural(result.total, "result")}; page ${page} is past the end.`,
        cards: [],
        buttons: [],
        ephemeral: true,
      };
    }
    const { first, last, buttons } = pageOf(
      { page, limit },
      result.hits.length,
      result.total,
      (target) => `/papers search ${query} limit:${limit} page:${target}`,
    );
    return {
      text: `Results ${first}–${last} of ${result.total} for ${shown(query)}.${note}`,
      cards: result.hits.map((hit) => paperCard(hit.paper, { snippet: hit.snippet })),
      buttons,
      ephemeral: true,
    };
  },
  async suggest({ services }, _option, partial) {
    if (partial.trim().length < 2) return [];
    const { hits } = services.catalog.current.index.search(partial, { limit: 10 });
    // Discord caps choice names and values at 100 characters.
    return hits.map((hit) => ({ name: hit.paper.title.slice(0, 100), value: hit.paper.title.slice(0, 100) }));
  },
});

/** The query in quotes, unless it brings its own ("a phrase"), which would otherwise show doubled. */
function shown(query: string): string {
  return /["“”]/.test(query) ? query : `“${query}”`;
}
