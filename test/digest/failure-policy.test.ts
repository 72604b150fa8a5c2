import { describe, expect, it } from "vitest";
import { DeliveryError, FAILURES_BEFORE_DISABLING } from "../../src/digest/delivery-error.ts";
import { FailurePolicy } from "../../src/digest/failure-policy.ts";
import { defaultChannelSettings } from "../../src/store/index.ts";
import { memorySettings, quietLog, recordingPlatform, subscriptions } from "./memory-seams.ts";

const gone = () =>
  new DeliveryError("the channel was deleted", "target-gone", "Run /digest setup in another channel");
const papersChannel = () =>
  defaultChannelSettings({ platform: "discord", channelId: "c1", channelName: "papers", setupBy: "admin7" });

describe("what a send's outcome does to its target", () => {
  it("stops a channel after repeated permanent failures and tells the admin who set it up, once", async () => {
    const settings = memorySettings([papersChannel()]);
    const platform = recordingPlatform();
    const policy = new FailurePolicy(settings, platform.send);
    for (let failure = 1; failure < FAILURES_BEFORE_DISABLING; failure++) {
      await policy.failed("discord:c1", gone(), quietLog);
      expect(settings.channels.records.get("discord:c1")).toMatchObject({ failures: failure });
      expect(settings.channels.records.get("discord:c1")?.disabledReason).toBeUndefined();
    }
    expect(platform.sent).toEqual([]);

    await policy.failed("discord:c1", gone(), quietLog);
    expect(settings.channels.records.get("discord:c1")?.disabledReason).toBe(
      "the channel was deleted. Run /digest setup in another channel",
    );
    expect(platform.sent.map((entry) => entry.target)).toEqual(["discord:user:admin7"]);
    expect(platform.sent[0]?.message.text).toBe(
      "The daily paper picks for #papers have stopped after 3 failed tries: the channel was deleted. " +
        "Run /digest setup in another channel. When it is fixed, run /digest resume there (or /digest setup in another channel).",
    );

    await policy.failed("discord:c1", gone(), quietLog);
    expect(platform.sent).toHaveLength(1);
  });

  it("ends a run of failures with a success, and writes nothing when there was none", async () => {
    const settings = memorySettings([{ ...papersChannel(), failures: 2 }]);
    const policy = new FailurePolicy(settings, recordingPlatform().send);
    await policy.succeeded("discord:c1", 2);
    expect(settings.channels.records.get("discord:c1")?.failures).toBe(0);

    let writes = 0;
    const counted = {
      ...settings,
      channels: {
        get: (key: string) => settings.channels.get(key),
        update: async (...args: Parameters<typeof settings.channels.update>) => {
          writes += 1;
          return settings.channels.update(...args);
        },
      },
    };
    await new FailurePolicy(counted, recordingPlatform().send).succeeded("discord:c1", 0);
    expect(writes).toBe(0);
  });

  it("pauses a user's alerts when their DMs are closed, and sends nothing", async () => {
    const settings = memorySettings([], [subscriptions("u1", ["llm"])]);
    const platform = recordingPlatform();
    await new FailurePolicy(settings, platform.send).failed(
      "console:user:u1",
      new DeliveryError("cannot DM", "dm-closed"),
      quietLog,
    );
    expect(settings.subscriptions.records.get("console:user:u1")?.alertsPausedReason).toContain(
      "DMs are closed",
    );
    expect(platform.sent).toEqual([]);
  });

  it("changes nothing for a transient failure", async () => {
    const settings = memorySettings([papersChannel()]);
    await new FailurePolicy(settings, recordingPlatform().send).failed(
      "discord:c1",
      new DeliveryError("502", "transient"),
      quietLog,
    );
    expect(settings.channels.records.get("discord:c1")).toMatchObject({ failures: 0, paused: false });
    expect(settings.channels.records.get("discord:c1")?.disabledReason).toBeUndefined();
  });

  it("still stops the channel when the admin cannot be told", async () => {
    const settings = memorySettings([{ ...papersChannel(), failures: FAILURES_BEFORE_DISABLING - 1 }]);
    const platform = recordingPlatform(() => new Error("DMs closed too"));
    await new FailurePolicy(settings, platform.send).failed("discord:c1", gone(), quietLog);
    expect(settings.channels.records.get("discord:c1")?.disabledReason).toContain("the channel was deleted");
  });
});
