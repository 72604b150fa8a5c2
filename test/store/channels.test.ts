import { describe, expect, it } from "vitest";
import { defaultChannelSettings, StoreError } from "../../src/store/index.ts";
import { fixedNow, useTempStores } from "./temp-store.ts";

const { newStore, raw } = useTempStores();

describe("defaultChannelSettings", () => {
  it("fills the defaults: 09:00 UTC, five papers, running, no failures", () => {
    const settings = defaultChannelSettings(
      { platform: "discord", channelId: "123", setupBy: "42" },
      fixedNow,
    );
    expect(settings).toEqual({
      schemaVersion: 1,
      target: "discord:123",
      platform: "discord",
      channelId: "123",
      setupBy: "42",
      time: "09:00",
      timezone: "UTC",
      size: 5,
      topics: [],
      paused: false,
      failures: 0,
      createdAt: "2025-03-04T05:06:07.000Z",
      updatedAt: "2025-03-04T05:06:07.000Z",
    });
  });

  it("uses the console target key for the console channel and keeps given values", () => {
    const settings = defaultChannelSettings({
      platform: "console",
      channelId: "console",
      setupBy: "you",
      time: "18:30",
      timezone: "Europe/Berlin",
      size: 3,
      channelName: "terminal",
    });
    expect(settings.target).toBe("console");
    expect(settings).toMatchObject({
      time: "18:30",
      timezone: "Europe/Berlin",
      size: 3,
      channelName: "terminal",
    });
  });
});

describe("channel settings", () => {
  it("gives back what was put, and lists every channel of every platform", async () => {
    const { store } = await newStore({ now: () => fixedNow });
    const discord = defaultChannelSettings({
      platform: "discord",
      channelId: "1",
      setupBy: "a",
      guildId: "g1",
    });
    const slack = defaultChannelSettings({
      platform: "slack",
      channelId: "C0123",
      setupBy: "U1",
      time: "07:15",
    });
    await store.channels.put(discord);
    await store.channels.put(slack);
    // Records of other kinds live in their own namespaces and never show up as channels.
    await store.subscriptions.addTopic("discord:user:1", "diffusion");
    await store.ledger.record("discord:1", {
      localDate: "2025-03-04",
      paperIds: ["p1"],
      deliveredAt: fixedNow.toISOString(),
      kind: "digest",
    });

    expect(await store.channels.get("discord:1")).toEqual({ ...discord, updatedAt: fixedNow.toISOString() });
    expect(await store.channels.get("slack:C0123")).toMatchObject({ time: "07:15", setupBy: "U1" });
    expect(await store.channels.get("discord:2")).toBeUndefined();
    const listed = await store.channels.list();
    expect(listed.map((s) => s.target).sort()).toEqual(["discord:1", "slack:C0123"]);
  });

  it("lists more channels than fit in one page of keyv's iterator", async () => {
    const { store } = await newStore();
    const ids = Array.from({ length: 1234 }, (_, i) => `c${i}`);
    await Promise.all(
      ids.map((id) =>
        store.channels.put(defaultChannelSettings({ platform: "slack", channelId: id, setupBy: "u" })),
      ),
    );
    const listed = await store.channels.list();
    expect(new Set(listed.map((s) => s.channelId))).toEqual(new Set(ids));
    expect(listed).toHaveLength(ids.length);
  });

  it("updates an existing channel and stamps updatedAt, but does not create a missing one", async () => {
    let now = new Date("2025-01-01T00:00:00.000Z");
    const { store } = await newStore({ now: () => now });
    await store.channels.put(
      defaultChannelSettings({ platform: "discord", channelId: "1", setupBy: "a" }, now),
    );
    now = new Date("2025-01-02T00:00:00.000Z");

    const updated = await store.channels.update("discord:1", (s) => ({ ...s, time: "21:00", paused: true }));
    expect(updated).toMatchObject({ time: "21:00", paused: true, updatedAt: "2025-01-02T00:00:00.000Z" });
    expect(await store.channels.get("discord:1")).toEqual(updated);

    expect(await store.channels.update("discord:404", (s) => ({ ...s, paused: true }))).toBeUndefined();
    expect(await store.channels.get("discord:404")).toBeUndefined();
  });

  it("upsert creates a channel when missing and changes it when present", async () => {
    const { store } = await newStore();
    const setUp = (time: string) =>
      store.channels.upsert("slack:C9", (current) => ({
        ...(current ?? defaultChannelSettings({ platform: "slack", channelId: "C9", setupBy: "U1" })),
        time,
      }));
    expect(await setUp("06:00")).toMatchObject({ time: "06:00", setupBy: "U1" });
    expect(await setUp("06:30")).toMatchObject({ time: "06:30" });
    expect(await store.channels.list()).toHaveLength(1);
  });

  it("deletes a channel", async () => {
    const { store } = await newStore();
    await store.channels.put(defaultChannelSettings({ platform: "discord", channelId: "1", setupBy: "a" }));
    expect(await store.channels.delete("discord:1")).toBe(true);
    expect(await store.channels.get("discord:1")).toBeUndefined();
    expect(await store.channels.delete("discord:1")).toBe(false);
    expect(await store.channels.list()).toEqual([]);
  });

  it("loses none of 50 concurrent updates to one channel", async () => {
    const { store } = await newStore();
    await store.channels.put(defaultChannelSettings({ platform: "discord", channelId: "1", setupBy: "a" }));
    await Promise.all(
      Array.from({ length: 50 }, () =>
        store.channels.update("discord:1", (s) => ({ ...s, failures: s.failures + 1 })),
      ),
    );
    expect((await store.channels.get("discord:1"))?.failures).toBe(50);
  });

  it.each([
    ["size", { size: 11 }],
    ["time", { time: "9am" }],
    ["timezone", { timezone: "Mars/Olympus_Mons" }],
    ["target", { target: "discord:someone-else" }],
  ])("refuses to write settings with a bad %s, and writes nothing", async (field, bad) => {
    const { store } = await newStore();
    const settings = {
      ...defaultChannelSettings({ platform: "discord", channelId: "1", setupBy: "a" }),
      ...bad,
    };
    const error = await store.channels.put(settings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(String((error as Error).message)).toContain(field);
    expect(await store.channels.list()).toEqual([]);
  });

  it("stores plain JSON with ISO time strings and never a secret passed in by mistake", async () => {
    const { store, file } = await newStore({ now: () => fixedNow });
    const settings = defaultChannelSettings({ platform: "discord", channelId: "1", setupBy: "a" }, fixedNow);
    await store.channels.put({ ...settings, token: "xoxb-very-secret" } as typeof settings);

    const row = await raw(file).get("channels:discord:1");
    expect(row).toBeDefined();
    expect(row).not.toContain("xoxb-very-secret");
    expect(JSON.parse(row ?? "")).toEqual({ value: settings });
    expect(await store.channels.get("discord:1")).not.toHaveProperty("token");
  });
});
