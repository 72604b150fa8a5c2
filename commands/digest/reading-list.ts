import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { wholeNumber } from "../../src/command-kit/options.ts";
import { refuseUnlessAdderOrAdmin } from "../../src/command-kit/preconditions.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { textMessage } from "../../src/core/message.ts";
import { plural } from "../../src/core/text.ts";
import { channelTarget } from "../../src/digest/targets.ts";
import type { Invoker } from "../../src/platforms/contract.ts";
import { MAX_LISTED_PER_CHANNEL } from "../../src/store/index.ts";
import { paperIdOption, paperOrExplain, recordedPaperId } from "../papers/paper-ids.ts";
import { PER_PAGE } from "../papers/personal-list.ts";
import { addedLine, readingListPage } from "./reading-list-page.ts";

const LAST_PAGE = Math.ceil(MAX_LISTED_PER_CHANNEL / PER_PAGE);

/** The key of the reading list of the channel a command was typed in. */
export function readingListKey(invoker: Invoker): string {
  return channelTarget(invoker.platform, invoker.channelId);
}

/** How answers name the channel: `#papers`, or "this channel" where its name is unknown. */
export function channelWords(invoker: Invoker): string {
  return invoker.channelName ? `#${invoker.channelName}` : "this channel";
}

export const listShow = defineSubcommand({
  path: ["list"],
  description: "This channel's reading list, with who added each paper and how many people saved it",
  options: z.object({
    page: wholeNumber({ description: "Which page", min: 1, max: LAST_PAGE }).default(1),
  }),
  requires: ["channel"],
  examples: ["/digest list page:2"],
  async run({ services, invoker }, { page }) {
    return readingListPage(services, {
      entries: await services.store.readingLists.inOrder(readingListKey(invoker)),
      page,
      lastPage: LAST_PAGE,
      where: channelWords(invoker),
    });
  },
});

export const listAdd = defineSubcommand({
  path: ["list", "add"],
  description: "Add a paper to this channel's reading list (anyone in the channel may)",
  options: z.object({ id: paperIdOption }),
  requires: ["channel"],
  examples: ["/digest list add 2112.05682"],
  async run({ services, invoker }, { id }) {
    const paper = paperOrExplain(services, id);
    const where = channelWords(invoker);
    const result = await services.store.readingLists.add(readingListKey(invoker), paper.id, {
      userId: invoker.userId,
      userName: invoker.userName,
    });
    if (result.outcome === "full") {
      throw new UserError(
        `The reading list of ${where} holds ${MAX_LISTED_PER_CHANNEL} papers, the most there can be; /digest list remove one first.`,
      );
    }
    if (result.outcome === "already-listed") {
      return textMessage(
        `“${paper.title}” is already on the reading list of ${where} (${addedLine(result.entry)}); nothing changed. /digest list shows its ${plural(result.count, "paper")}.`,
      );
    }
    return textMessage(
      `Added “${paper.title}” to the reading list of ${where} (${plural(result.count, "paper")}). /digest list shows it.`,
    );
  },
});

export const listRemove = defineSubcommand({
  path: ["list", "remove"],
  description: "Take a paper off this channel's reading list (whoever added it, or an admin)",
  options: z.object({ id: paperIdOption }),
  requires: ["channel"],
  examples: ["/digest list remove 2112.05682"],
  async run(context, { id }) {
    const { services, invoker } = context;
    const where = channelWords(invoker);
    let refusal: string | undefined;
    const result = await services.store.readingLists.remove(
      readingListKey(invoker),
      recordedPaperId(services, id),
      (entry) => {
        refusal = refuseUnlessAdderOrAdmin(
          "/digest list remove",
          { userId: entry.addedBy, userName: entry.addedByName },
          context,
        );
        return refusal === undefined;
      },
    );
    if (result.outcome === "refused") throw new UserError(refusal ?? "You may not remove that paper.");
    if (result.outcome === "not-listed") {
      throw new UserError(`“${id}” is not on the reading list of ${where}. /digest list shows what is.`);
    }
    return textMessage(
      `Removed “${id}” from the reading list of ${where} (${plural(result.count, "paper")} left).`,
    );
  },
});
