import { describe, expect, it } from "vitest";
import { planDelivery, scheduledTargets } from "../../src/digest/plan.ts";
import { defaultChannelSettings } from "../../src/store/index.ts";
import { memorySettings, subscriptions } from "./memory-seams.ts";

const defaults = { time: "08:30", timezone: "Europe/Berlin", size: 4 };
const setUp = new Date("2026-11-20T10:00:00Z");
const channel = (channelId: string, extra: object = {}) => ({
  ...defaultChannelSettings(
    { platform: "discord", channelId, setupBy: "admin", topics: ["diffusion"] },
    setUp,
  ),
  ...extra,
});

describe("planning a delivery", () => {
  it("gives a channel its own size and topics, and a user the default size and their topics", async () => {
    const settings = memorySettings([channel("c1", { size: 7 })], [subscriptions("u1", ["llm", "rl"])]);
    expect(await planDelivery("discord:c1", settings, defaults)).toEqual({
      kind: "channel",
      size: 7,
      topics: ["diffusion"],
      paused: false,
      failures: 0,
      learn: true,
      // A digest opens no threads until an admin runs /digest threads on.
      threads: false,
    });
    const unlearning = memorySettings([channel("c2", { learn: false })], []);
    expect(await planDelivery("discord:c2", unlearning, defaults)).toMatchObject({ learn: false });
    expect(await planDelivery("console:user:u1", settings, defaults)).toMatchObject({
      kind: "user",
      size: 4,
      topics: ["llm", "rl"],
      paused: false,
    });
  });

  it("has nothing for a target never set up, a user without topics, or a key that is no target", async () => {
    const settings = memorySettings([], [subscriptions("u1", [])]);
    expect(await planDelivery("discord:c9", settings, defaults)).toBeUndefined();
    expect(await planDelivery("console:user:u1", settings, defaults)).toBeUndefined();
    expect(await planDelivery("not a target", settings, defaults)).toBeUndefined();
  });

  it("pauses the same targets for the scheduler and for the delivery", async () => {
    const settings = memorySettings(
      [
        channel("running"),
        channel("paused", { paused: true }),
        channel("stopped", { disabledReason: "the channel was deleted", failures: 3 }),
      ],
      [
        subscriptions("open", ["llm"]),
        subscriptions("closed", ["llm"], { alertsPausedReason: "DMs closed" }),
      ],
    );
    const scheduled = await scheduledTargets(settings, defaults, () => true);
    const pausedForScheduler = scheduled.filter((target) => target.paused).map((target) => target.key);
    const pausedForDelivery: string[] = [];
    for (const { key } of scheduled)
      if ((await planDelivery(key, settings, defaults))?.paused) pausedForDelivery.push(key);
    expect(pausedForScheduler.sort()).toEqual(["console:user:closed", "discord:paused", "discord:stopped"]);
    expect(pausedForDelivery.sort()).toEqual(pausedForScheduler.sort());
  });

  it("schedules only the targets this process serves, users at the default time from their first topic", async () => {
    const settings = memorySettings(
      [channel("mine", { time: "07:00", timezone: "Asia/Tokyo" }), channel("theirs", { guildId: "g2" })],
      [
        {
          ...subscriptions("u1", ["llm"]),
          topics: [
            { topic: "llm", addedAt: "2026-11-22T10:00:00.000Z" },
            { topic: "rl", addedAt: "2026-11-21T09:00:00.000Z" },
          ],
        },
        subscriptions("nobody", []),
      ],
    );
    const scheduled = await scheduledTargets(settings, defaults, (_key, guildId) => guildId !== "g2");
    expect(scheduled).toEqual([
      { key: "discord:mine", time: "07:00", timezone: "Asia/Tokyo", paused: false },
      {
        key: "console:user:u1",
        time: "08:30",
        timezone: "Europe/Berlin",
        paused: false,
        since: new Date("2026-11-21T09:00:00.000Z"),
      },
    ]);
  });
});
