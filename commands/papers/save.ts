import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { UserError } from "../../src/command-kit/user-error.ts";
import { textMessage } from "../../src/core/message.ts";
import { plural } from "../../src/core/text.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { MAX_SAVED_PER_USER } from "../../src/store/index.ts";
import { paperIdOption, paperOrExplain } from "./paper-ids.ts";

export const save = defineSubcommand({
  path: ["save"],
  description: "Save a paper to your reading list (only you see it)",
  options: z.object({ id: paperIdOption }),
  requires: [],
  examples: ["/papers save 2112.05682"],
  async run({ services, invoker }, { id }) {
    const paper = paperOrExplain(services, id);
    const result = await services.store.saved.save(userTarget(invoker), paper.id);
    if (result.outcome === "full") {
      throw new UserError(
        `You have ${MAX_SAVED_PER_USER} saved papers, the most there can be; /papers unsave one first.`,
      );
    }
    if (result.outcome === "already-saved") {
      return textMessage(
        `“${paper.title}” is already saved. /papers saved lists your ${plural(result.count, "paper")}.`,
      );
    }
    return textMessage(
      `Saved “${paper.title}” (${plural(result.count, "saved paper")}). /papers saved lists them.`,
    );
  },
});
