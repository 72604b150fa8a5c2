import { afterEach, describe, expect, it } from "vitest";
import { defaultChannelSettings } from "../../src/store/index.ts";
import { people, type SlackHarness, startSlackHarness } from "../platforms/slack/slack-harness.ts";
import { channelIds } from "./delivery-harness.ts";

let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

const at = (isoMinute: string) => new Date(`${isoMinute}:00Z`);

/**
 * The single-channel cases (three tries, then stopped, the admin told) are in
 * test/platforms/slack/delivery.test.ts and test/commands/delivery-failures.test.ts. This is the
 * same among 199 healthy channels: the one that is gone must not hold the others up, neither the
 * day it fails nor the next. In-process, with the scheduler's clock in the test's hands: the tries
 * come at every sweep (each 15 minutes), a real process would need 45 minutes to reach the third.
 */
describe("a channel that is gone, among 199 that are fine", () => {
  it("is stopped after 3 tries while the others get their digest on time each day", async () => {
    slack = await startSlackHarness("socket", { now: () => at("2026-11-26T08:00") });
    const { fake, bot } = slack;
    const ids = channelIds(200);
    const gone = ids[57] ?? "";
    const healthy = ids.filter((id) => id !== gone);
    for (const id of healthy) fake.workspace.addChannel({ id, name: id.toLowerCase(), botIsMember: true });
    const { store, scheduler } = bot.app.services;
    await Promise.all(
      ids.map((id) =>
        store.channels.put(
          defaultChannelSettings({
            platform: "slack",
            channelId: id,
            channelName: id.toLowerCase(),
            setupBy: people.admin.id,
            time: "09:00",
          }),
        ),
      ),
    );
    const postsTo = (id: string) =>
      fake.callsOf("chat.postMessage").filter((call) => call.args.channel === id).length;

    const first = await scheduler.runDue(at("2026-11-26T09:00"));
    expect(first.delivered.toSorted()).toEqual(healthy.map((id) => `slack:${id}`));
    expect(first.failed.map((failure) => failure.key)).toEqual([`slack:${gone}`]);

    // The sweeps that follow try the gone channel again, and only it.
    for (const time of ["09:15", "09:30"]) {
      const retry = await scheduler.runDue(at(`2026-11-26T${time}`));
      expect(retry.delivered).toEqual([]);
      expect(retry.failed.map((failure) => failure.key)).toEqual([`slack:${gone}`]);
    }
    expect((await store.channels.get(`slack:${gone}`))?.disabledReason).toContain("channel_not_found");
    const adminDm = fake.workspace.dms.get(people.admin.id) ?? "";
    expect(fake.workspace.messagesIn(adminDm).map((notice) => notice.text)).toEqual([
      expect.stringContaining(`#${gone.toLowerCase()} have stopped after 3 failed tries`),
    ]);

    // Stopped: not tried again, that day or the next, while the others get the next day's digest on time.
    expect((await scheduler.runDue(at("2026-11-26T09:45"))).failed).toEqual([]);
    const nextDay = await scheduler.runDue(at("2026-11-27T09:00"));
    expect(nextDay.delivered.toSorted()).toEqual(healthy.map((id) => `slack:${id}`));
    expect(nextDay.failed).toEqual([]);
    expect(postsTo(gone)).toBe(3);
    expect(healthy.filter((id) => fake.workspace.messagesIn(id).length !== 2)).toEqual([]);
  }, 60_000);
});
