import { z } from "zod";
import { defineSubcommand } from "../../src/command-kit/define.ts";
import { textMessage } from "../../src/core/message.ts";
import { plural } from "../../src/core/text.ts";
import { describeSourceStatus } from "../../src/corpus/sources/index.ts";
import { log } from "../../src/log.ts";
import type { ChannelAccess, Invoker } from "../../src/platforms/contract.ts";
import type { ChannelSettings } from "../../src/store/index.ts";
import { describeDigest } from "./describe.ts";
import { describeLearning } from "./learn.ts";

export const status = defineSubcommand({
  path: ["status"],
  description: "The digest's settings, next post, last delivery and failures",
  options: z.object({}),
  requires: ["admin", "digest"],
  async run({ services, digest: settings, channels, invoker, platformWarnings }) {
    // The channel is checked first: on Slack its answer also refreshes the scopes the platform warns of.
    const warnings = [
      ...(await channelWarnings(channels, settings, invoker)),
      ...(platformWarnings?.() ?? []),
    ];
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
        await describeLearning(services, settings),
      ].join("\n") +
        failures +
        stopped +
        warnings.map((warning) => `\n${warning}`).join("") +
        sourceLines,
    );
  },
});

/**
 * What the bot lacks in the digest's channel that setup warned of, checked again now (it may have
 * been granted since, or taken away). A check that cannot answer leaves status without the lines.
 */
async function channelWarnings(
  channels: ChannelAccess,
  settings: ChannelSettings,
  invoker: Invoker,
): Promise<readonly string[]> {
  try {
    const checked = await channels.check(settings.channelId, invoker);
    return checked.ok ? (checked.warnings ?? []) : [];
  } catch (error) {
    log.warn({ err: error, target: settings.target }, "/digest status could not check the digest's channel");
    return [];
  }
}
