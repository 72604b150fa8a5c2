import { describe, it } from "vitest";
import { exitCodeWithin } from "../support/bot-process.ts";
import {
  BOT_TOKENS,
  channelIds,
  channelsPostedBy,
  everyChannelPosted,
  middayZone,
  notExactlyOnce,
  postsByChannel,
  readLedgers,
  seedChannels,
  useDeliveryRig,
} from "./delivery-harness.ts";
import { type StoreKind, storeAvailable } from "./test-stores.ts";

const channels = channelIds(200);

// The backends run side by side: most of each test is waiting on child processes.
describe.concurrent.each<StoreKind>(["redis", "postgres"])("two bot processes on one %s store", (kind) => {
  it.skipIf(!storeAvailable(kind))(
    "share 200 channels due at the same moment, and each channel gets exactly one digest",
    async (test) => {
      const { expect } = test;
      const rig = useDeliveryRig(test);
      const { fake, store } = await rig.open(kind, channels);
      const { timezone, today } = middayZone();
      await seedChannels(store.url, channels, timezone);

      // Both processes' catch-up at start finds all 200 due. Slack holds its answers until each
      // process has a post out, so the two runs overlap for certain however the starts are spread,
      // and from then on they race each other for the same channels.
      fake.heldPosts.hold();
      const bots = BOT_TOKENS.map((token) => rig.startBot(token));
      await fake.waitFor(
        () => (BOT_TOKENS.every((token) => channelsPostedBy(fake, token).length > 0) ? true : undefined),
        "a post from each process",
        60_000,
      );
      fake.heldPosts.release();
      await everyChannelPosted(fake, channels, 60_000);

      for (const bot of bots) bot.child.kill("SIGTERM");
      for (const bot of bots) expect(await exitCodeWithin(bot, 30_000)).toBe(0);

      expect(notExactlyOnce(fake, channels)).toEqual([]);
      expect(fake.workspace.posted).toHaveLength(channels.length);
      // Both did part of the work (certain by construction: each had a post out before the release).
      for (const token of BOT_TOKENS) expect(channelsPostedBy(fake, token).length).toBeGreaterThan(0);

      // The ledger agrees with Slack: one delivery today, carrying the id of the message posted.
      const ledgers = await readLedgers(store.url, channels);
      const posts = postsByChannel(fake);
      const disagreeing = channels.filter((id) => {
        const deliveries = ledgers.get(id) ?? [];
        return (
          deliveries.length !== 1 ||
          deliveries[0]?.localDate !== today ||
          deliveries[0]?.messageId !== posts.get(id)?.[0]?.ts
        );
      });
      expect(disagreeing).toEqual([]);
    },
    120_000,
  );
});
