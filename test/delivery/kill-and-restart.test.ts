import { describe, it } from "vitest";
import { exitCodeWithin } from "../support/bot-process.ts";
import {
  channelIds,
  channelsPostedBy,
  everyChannelPosted,
  FIRST_TOKEN,
  middayZone,
  notExactlyOnce,
  postsOnceStalled,
  readLedgers,
  SECOND_TOKEN,
  seedChannels,
  useDeliveryRig,
} from "./delivery-harness.ts";
import { type StoreKind, storeAvailable } from "./test-stores.ts";

const channels = channelIds(200);

/**
 * Where the kill lands. DigestService claims (target, date), composes, marks the claim *sending*,
 * sends, writes the ledger, then marks the claim *sent* (see its comment for every step). Slack
 * here takes each post and holds its answer, and the test waits until posts stop coming: every
 * delivery worker of the process is then blocked on Slack, with a claim left *sending* and a
 * message already posted. That is the moment a kill is most likely to double a digest (the message
 * is out, the ledger does not say so) and the restart must not send it again; the channels not yet
 * started must still be delivered by the restart. The other kill points, and the look-up that
 * settles the claims left *sending*, are in crash-injection.test.ts and takeover-processes.test.ts.
 */
// The backends run side by side: most of each test is waiting on child processes.
describe.concurrent.each<StoreKind>(["sqlite", "redis"])(
  "SIGKILL in the middle of a fan-out on %s",
  (kind) => {
    it.skipIf(!storeAvailable(kind))(
      "the restarted process delivers the rest: every channel gets exactly one digest",
      async (test) => {
        const { expect } = test;
        const rig = useDeliveryRig(test);
        const { fake, store } = await rig.open(kind, channels);
        const { timezone, today } = middayZone();
        await seedChannels(store.url, channels, timezone);

        fake.heldPosts.hold();
        const killed = rig.startBot(FIRST_TOKEN);
        const inFlight = (await postsOnceStalled(fake, 3_000, 60_000)).map((post) => post.channel);
        expect(inFlight.length).toBeGreaterThan(0);
        expect(inFlight.length).toBeLessThan(channels.length);

        killed.child.kill("SIGKILL");
        expect(await exitCodeWithin(killed, 30_000, "the killed bot")).toBeNull();
        fake.heldPosts.release();

        const restarted = rig.startBot(SECOND_TOKEN);
        await everyChannelPosted(fake, channels, 60_000);
        restarted.child.kill("SIGTERM");
        expect(await exitCodeWithin(restarted, 30_000)).toBe(0);

        expect(notExactlyOnce(fake, channels)).toEqual([]);
        // The channels whose post was out when the process died were not sent again.
        const resent = new Set(channelsPostedBy(fake, SECOND_TOKEN));
        expect(inFlight.filter((id) => resent.has(id))).toEqual([]);
        // Everything the restart sent is in the ledger for today.
        const ledgers = await readLedgers(store.url, [...resent]);
        const unrecorded = [...resent].filter(
          (id) => !(ledgers.get(id) ?? []).some((delivery) => delivery.localDate === today),
        );
        expect(unrecorded).toEqual([]);
      },
      120_000,
    );
  },
);
