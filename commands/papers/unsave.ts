import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { textMessage } from "../../src/core/message.ts";
import { userTarget } from "../../src/digest/targets.ts";
import { paperIdOption, recordedPaperId } from "./paper-ids.ts";

export const unsave = defineSubcommand({
  path: ["unsave"],
  description: "Remove a paper from your saved papers",
  options: z.object({ id: paperIdOption }),
  requires: [],
  examples: ["/papers unsave 2112.05682"],
  async run({ services, invoker }, { id }) {
    const removed = await services.store.saved.unsave(userTarget(invoker), recordedPaperId(services, id));
    if (!removed) return textMessage(`“${id}” is not among your saved papers. /papers saved lists them.`);
    return textMessage(`Removed “${id}” from your saved papers.`);
  },
});
