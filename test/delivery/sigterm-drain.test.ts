import { describe, expect, it } from "vitest";
import { exitCodeWithin, stderrContains } from "../support/bot-process.ts";
import {
  ANNOUNCE_SIGTERM,
  channelIds,
  channelsPostedBy,
  everyChannelPosted,
  FIRST_TOKEN,
  middayZone,
  notExactlyOnce,
  postsByChannel,
  postsOnceStalled,
  readLedgers,
  SECOND_TOKEN,
  SIGTERM_ANNOUNCEMENT,
  seedChannels,
  useDeliveryRig,
} from "./delivery-harness.ts";

const channels = channelIds(200);

describe("SIGTERM while digests are being sent", () => {
  it("lets the sends in flight finish and record, starts no other, and exits 0", async (test) => {
    const rig = useDeliveryRig(test);
    const { fake, store } = await rig.open("sqlite", channels);
    const { timezone, today } = middayZone();
    await seedChannels(store.url, channels, timezone);

    // Every worker posts and then waits for Slack's answer; the SIGTERM comes then, and Slack
    // answers only once the bot has taken the signal (a delay well inside the 10 s grace).
    fake.heldPosts.hold();
    const bot = rig.startBot(FIRST_TOKEN, { imports: [ANNOUNCE_SIGTERM] });
    const inFlight = (await postsOnceStalled(fake, 3_000, 60_000)).map((post) => post.channel);
    expect(inFlight.length).toBeGreaterThan(0);
    expect(inFlight.length).toBeLessThan(channels.length);

    bot.child.kill("SIGTERM");
    await stderrContains(bot, SIGTERM_ANNOUNCEMENT, 30_000);
    fake.heldPosts.release();
    expect(await exitCodeWithin(bot, 30_000)).toBe(0);

    // Nothing was sent after the SIGTERM beyond what was already in flight.
    expect([...postsByChannel(fake).keys()].toSorted()).toEqual(inFlight.toSorted());
    // Each send in flight completed: the bot heard Slack's answer and recorded it in the ledger.
    const ledgers = await readLedgers(store.url, inFlight);
    const posts = postsByChannel(fake);
    const unrecorded = inFlight.filter((id) => {
      const recorded = (ledgers.get(id) ?? []).find((delivery) => delivery.localDate === today);
      return recorded?.messageId !== posts.get(id)?.[0]?.ts;
    });
    expect(unrecorded).toEqual([]);

    // The next process sends the rest, and nothing again to the channels already served.
    const restarted = rig.startBot(SECOND_TOKEN);
    await everyChannelPosted(fake, channels, 60_000);
    restarted.child.kill("SIGTERM");
    expect(await exitCodeWithin(restarted, 30_000)).toBe(0);
    expect(notExactlyOnce(fake, channels)).toEqual([]);
    const again = new Set(channelsPostedBy(fake, SECOND_TOKEN));
    expect(inFlight.filter((id) => again.has(id))).toEqual([]);
  }, 120_000);
});
