import { describe, it } from "vitest";
import { exitCodeWithin } from "../support/bot-process.ts";
import {
  channelIds,
  channelsPostedBy,
  everyChannelPosted,
  FIRST_TOKEN,
  middayZone,
  notExactlyOnce,
  postsByChannel,
  readLedgers,
  SECOND_TOKEN,
  seedChannels,
  useDeliveryRig,
} from "./delivery-harness.ts";
import { type StoreKind, storeAvailable } from "./test-stores.ts";

const channels = channelIds(200);
const THIRD_TOKEN = "xoxb-5555-6666-thirdprocess";
/** The claim lease the bots run with; the default (120 s) works the same, only slower to test. */
const LEASE_SECONDS = 4;
/** The bound the takeover promises: lease + 30 s, plus the fan-out's own time (measured below). */
const TAKEOVER_SLACK_MS = LEASE_SECONDS * 1000 + 30_000;

/**
 * A scaled-out deployment losing a process for good: N bots on one store, 200 channels due at
 * once, one bot SIGKILLed while it has posts out (Slack took them; their answers are held) and
 * never restarted. The survivors must deliver every channel the dead one claimed, looking up the
 * posts it left *sending* instead of posting them again, within lease + 30 s of the kill plus the
 * fan-out's own time; and every channel ends with exactly one post, recorded with its ts.
 */
const cases: readonly { kind: StoreKind; processes: 2 | 3 }[] = [
  { kind: "sqlite", processes: 2 },
  { kind: "redis", processes: 3 },
  { kind: "postgres", processes: 2 },
  { kind: "postgres", processes: 3 },
];

describe.concurrent.each(cases)("a bot killed for good among $processes on $kind", ({ kind, processes }) => {
  it.skipIf(!storeAvailable(kind))(
    "the survivors take its channels over: each gets exactly one post, recorded with its ts",
    async (test) => {
      const { expect } = test;
      const rig = useDeliveryRig(test);
      const { fake, store } = await rig.open(kind, channels);
      const { timezone, today } = middayZone();
      await seedChannels(store.url, channels, timezone);
      const tokens = [FIRST_TOKEN, SECOND_TOKEN, THIRD_TOKEN].slice(0, processes);

      fake.heldPosts.hold();
      const bots = tokens.map((token) =>
        rig.startBot(token, { env: { DIGEST_CLAIM_LEASE_SECONDS: String(LEASE_SECONDS) } }),
      );
      await fake.waitFor(
        () => (tokens.every((token) => channelsPostedBy(fake, token).length > 0) ? true : undefined),
        "a post from each process",
        60_000,
      );
      const [killed, ...survivors] = bots;
      if (!killed) throw new Error("no bot started");
      killed.child.kill("SIGKILL");
      const killedAt = Date.now();
      expect(await exitCodeWithin(killed, 30_000, "the killed bot")).toBeNull();
      const leftSending = channelsPostedBy(fake, FIRST_TOKEN);
      fake.heldPosts.release();

      await everyChannelPosted(fake, channels, 60_000);
      const fanOutMs = Date.now() - killedAt;
      // Every channel recorded, the dead bot's posts included (by a survivor's look-up).
      let ledgers = await readLedgers(store.url, channels);
      const unrecorded = () =>
        channels.filter((id) => !(ledgers.get(id) ?? []).some((day) => day.localDate === today));
      const deadline = killedAt + fanOutMs + TAKEOVER_SLACK_MS;
      while (unrecorded().length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        ledgers = await readLedgers(store.url, channels);
      }
      expect(unrecorded()).toEqual([]);

      for (const bot of survivors) bot.child.kill("SIGTERM");
      for (const bot of survivors) expect(await exitCodeWithin(bot, 30_000)).toBe(0);

      expect(notExactlyOnce(fake, channels)).toEqual([]);
      const posts = postsByChannel(fake);
      const disagreeing = channels.filter((id) => {
        const days = (ledgers.get(id) ?? []).filter((day) => day.localDate === today);
        return days.length !== 1 || days[0]?.messageId !== posts.get(id)?.[0]?.ts;
      });
      expect(disagreeing).toEqual([]);
      // The dead bot's posts were found, not sent again: no survivor posted to those channels.
      const resent = new Set(tokens.slice(1).flatMap((token) => channelsPostedBy(fake, token)));
      expect(leftSending.filter((id) => resent.has(id))).toEqual([]);
      // Each was looked up and found by a survivor (which may also have looked up its own sends,
      // had a heartbeat come late on this crowded machine: found too, never posted twice).
      const survivorLog = survivors.map((bot) => bot.stderr()).join("\n");
      const found = leftSending.filter((id) =>
        survivorLog
          .split("\n")
          .some(
            (line) =>
              line.includes(`"slack:${id}"`) && line.includes("interrupted digest had reached the platform"),
          ),
      );
      expect(found).toEqual(leftSending);
    },
    150_000,
  );
});
