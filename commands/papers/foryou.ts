import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import type { Message } from "../../src/core/message.ts";
import { paperCard } from "../../src/core/paper-card.ts";
import { plural } from "../../src/core/text.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { describeLike, forYou, pickDigest } from "../../src/picks/index.ts";
import { personRatings } from "../../src/profiles/person-ratings.ts";
import { localDateIn } from "../../src/schedule/index.ts";
import { pageOf, pageOffset, pagingOptions } from "./paging.ts";

export const foryou = defineSubcommand({
  path: ["foryou"],
  description: "The best papers for you now, learned from your 👍 and 👎 ratings and saved papers",
  options: z.object(pagingOptions),
  requires: [],
  examples: ["/papers foryou limit:3"],
  async run({ services, invoker }, { limit, page }): Promise<Message> {
    const catalog = services.catalog.current;
    const today = localDateIn(services.now(), services.defaults.timezone);
    const user = userTarget(invoker);
    // A saved paper counts as a 👍 (withSavedAsLiked), so a reading list alone is enough to start.
    const { given, learnedFrom: ratings } = await personRatings(services.store, user);
    const savedOnly = ratings.length - given.length;
    if (!ratings.some((rating) => rating.value === "up")) {
      const trending = pickDigest(catalog.papers, catalog.topics, {
        localDate: today,
        size: limit,
        topics: [],
        delivered: new Set(ratings.map((rating) => rating.paperId)),
      });
      return {
        text:
          "Nothing rated 👍 yet, so here is what is trending. Rate a paper with /papers rate <id> up " +
          "(or down), or save one, and this becomes yours.",
        cards: trending.map((pick) => paperCard(pick.paper, { reason: pick.reason })),
        buttons: [],
        ephemeral: true,
      };
    }
    const picks = forYou(catalog.index, ratings, today);
    const shown = picks.slice(pageOffset({ page, limit }), pageOffset({ page, limit }) + limit);
    if (shown.length === 0) {
      const text =
        picks.length === 0
          ? "No paper is like the ones you rated 👍 yet. Rate a few more with /papers rate <id> up."
          : `You have ${plural(picks.length, "pick")}; page ${page} is past the end.`;
      return { text, cards: [], buttons: [], ephemeral: true };
    }
    const { first, last, buttons } = pageOf(
      { page, limit },
      shown.length,
      picks.length,
      (to) => `/papers foryou limit:${limit} page:${to}`,
    );
    return {
      text: `For you (${first}–${last}), from your ${plural(given.length, "rating")}${savedOnly > 0 ? ` and ${plural(savedOnly, "saved paper")}` : ""}.`,
      cards: shown.map((pick) => {
        const reason = describeLike(catalog.byId.get(pick.becauseId)?.title);
        return paperCard(pick.paper, { reason });
      }),
      buttons,
      ephemeral: true,
    };
  },
});
