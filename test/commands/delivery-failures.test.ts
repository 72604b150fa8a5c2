import { afterEach, describe, expect, it } from "vitest";
import { DeliveryError } from "../../src/digest/delivery-error.ts";
import { memberInvoker, startTestApp, type TestApp } from "../support/test-app.ts";

let bot: TestApp | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe("a channel that keeps refusing the digest", () => {
  it("is stopped after three tries, its admin is told why, and /digest status shows it", async () => {
    let channelGone = true;
    bot = await startTestApp({
      now: () => new Date("2026-11-26T08:00:00Z"),
      refuse: (target) =>
        target === "console" && channelGone
          ? new DeliveryError(
              "the channel was deleted",
              "target-gone",
              "Run /digest setup in another channel",
            )
          : undefined,
    });
    await bot.run("/digest setup");
    const { scheduler } = bot.app.services;
    for (const time of ["09:00", "09:15"]) {
      const report = await scheduler.runDue(new Date(`2026-11-26T${time}:00Z`));
      expect(report.failed.map((failure) => failure.key)).toEqual(["console"]);
    }
    expect((await bot.run("/digest status")).text).toContain("Failures in a row: 2.");
    expect(bot.sent).toHaveLength(0);

    await scheduler.runDue(new Date("2026-11-26T09:30:00Z"));
    const status = await bot.run("/digest status");
    expect(status.text).toContain("stopped: the channel was deleted. Run /digest setup in another channel");
    expect(bot.sent.map((entry) => entry.target)).toEqual(["console:user:you"]);
    expect(bot.sent[0]?.message.text).toContain("have stopped after 3 failed tries: the channel was deleted");

    // Stopped means no more tries, so no more noise.
    const later = await scheduler.runDue(new Date("2026-11-26T09:45:00Z"));
    expect(later.failed).toEqual([]);

    // Fixed and resumed: the next run delivers.
    channelGone = false;
    expect((await bot.run("/digest resume")).text).toContain("Resumed");
    await scheduler.runDue(new Date("2026-11-26T10:00:00Z"));
    expect(bot.sent.map((entry) => entry.message.text)).toContain("Today's picks · 26 Nov");
  });

  it("does not count a passing failure toward stopping", async () => {
    bot = await startTestApp({
      now: () => new Date("2026-11-26T08:00:00Z"),
      refuse: (target) => (target === "console" ? new Error("socket hang up") : undefined),
    });
    await bot.run("/digest setup");
    for (const time of ["09:00", "09:15", "09:30", "09:45"]) {
      await bot.app.services.scheduler.runDue(new Date(`2026-11-26T${time}:00Z`));
    }
    const status = await bot.run("/digest status");
    expect(status.text).not.toContain("stopped");
    expect(status.text).not.toContain("Failures in a row");
  });
});

describe("a subscriber whose direct messages are closed", () => {
  it("has alerts paused, hears it at the next command, and gets them again the next day", async () => {
    let dmsClosed = true;
    bot = await startTestApp({
      now: () => new Date("2026-11-26T08:00:00Z"),
      refuse: (target) =>
        target === "console:user:member" && dmsClosed
          ? new DeliveryError("cannot send messages to this user", "dm-closed")
          : undefined,
    });
    await bot.run("/papers subscribe kv cache", memberInvoker);
    const { scheduler } = bot.app.services;
    await scheduler.runDue(new Date("2026-11-26T09:00:00Z"));
    const retried = await scheduler.runDue(new Date("2026-11-26T09:15:00Z"));
    expect(retried.skipped).toContainEqual({ key: "console:user:member", reason: "paused" });

    const next = await bot.run("/papers search diffusion", memberInvoker);
    expect(next.text).toContain("Your topic alerts were paused: the bot could not send you a direct message");
    // Told once.
    expect((await bot.run("/papers search diffusion", memberInvoker)).text).not.toContain("paused");

    dmsClosed = false;
    await scheduler.runDue(new Date("2026-11-27T09:00:00Z"));
    expect(bot.sent.filter((entry) => entry.target === "console:user:member")).toHaveLength(1);
  });
});
