import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { textMessage } from "../../src/core/message.ts";
import { plural } from "../../src/core/text.ts";
import { describeSourceStatus } from "../../src/corpus/sources/index.ts";
import { describeDigest } from "./describe.ts";

export const status = defineSubcommand({
  path: ["status"],
  description: "The digest's settings, next post, last delivery and failures",
  options: z.object({}),
  requires: ["admin", "digest"],
  async run({ services, digest: settings }) {
    const ledger = await services.store.ledger.view(settings.target);
    const last = ledger.last();
    const delivered = ledger.paperIds();
    const catalog = services.catalog.current;
    const lastLine = last
      ? `Last delivery: ${last.localDate}, ${last.kind === "digest" ? plural(last.paperIds.length, "paper") : "nothing new"} (at ${last.deliveredAt}).`
      : "Last delivery: none yet.";
    const failures = settings.failures ? `\nFailures in a row: ${settings.failures}.` : "";
    const stopped = settings.disabledReason ? `\nStopped: ${settings.disabledReason}` : "";
    const sources = services.sources.status().map(describeSourceStatus);
    const sourceLines = sources.length ? `\nSources:\n${sources.join("\n")}` : "";
    return textMessage(
      [
        `Daily picks: ${describeDigest(settings, services.now())}.`,
        lastLine,
        `Posted so far: ${plural(delivered.size, "paper")} of ${catalog.papers.length} in the corpus.`,
      ].join("\n") +
        failures +
        stopped +
        sourceLines,
    );
  },
});
