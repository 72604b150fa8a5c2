import { join } from "node:path";
import KeyvSqlite from "@keyv/sqlite";
import { describe, expect, it } from "vitest";
import { type Delivery, defaultChannelSettings, StoreError } from "../../src/store/index.ts";
import { recordKeyv } from "../../src/store/record-keyv.ts";
import { useTempStores } from "./temp-store.ts";

const { newStore, tempDir, open, raw } = useTempStores();

const digest = (localDate: string, paperIds: string[], deliveredAt: string): Delivery => ({
  localDate,
  paperIds,
  deliveredAt,
  kind: "digest",
});

describe("delivery ledger", () => {
  it("knows nothing about a target that never had a delivery", async () => {
    const { store } = await newStore();
    expect(await store.ledger.hasDelivery("discord:1", "2025-03-04")).toBe(false);
    expect(await store.ledger.deliveredPaperIds("discord:1")).toEqual(new Set());
    expect(await store.ledger.last("discord:1")).toBeUndefined();
  });

  it("answers which dates were delivered, which papers, and the last delivery", async () => {
    const { store } = await newStore();
    const first = digest("2025-03-03", ["a", "b"], "2025-03-03T09:00:00.000Z");
    const second = { ...digest("2025-03-04", ["c"], "2025-03-04T09:00:05.000+01:00"), messageId: "m-2" };
    expect(await store.ledger.record("discord:1", first)).toBe(true);
    expect(await store.ledger.record("discord:1", second)).toBe(true);
    expect(
      await store.ledger.record("slack:C1", digest("2025-03-04", ["z"], "2025-03-04T10:00:00.000Z")),
    ).toBe(true);

    expect(await store.ledger.hasDelivery("discord:1", "2025-03-03")).toBe(true);
    expect(await store.ledger.hasDelivery("discord:1", "2025-03-04")).toBe(true);
    expect(await store.ledger.hasDelivery("discord:1", "2025-03-05")).toBe(false);
    expect(await store.ledger.deliveredPaperIds("discord:1")).toEqual(new Set(["a", "b", "c"]));
    expect(await store.ledger.last("discord:1")).toEqual(second);
    expect(await store.ledger.history("discord:1")).toEqual([first, second]);
  });

  it("picks the last delivery by time even when a catch-up for an earlier date was recorded later", async () => {
    const { store } = await newStore();
    await store.ledger.record("discord:1", digest("2025-03-04", ["a"], "2025-03-04T09:00:00.000Z"));
    const catchUp = { ...digest("2025-03-03", [], "2025-03-04T09:01:00.000Z"), kind: "nothing-new" as const };
    await store.ledger.record("discord:1", catchUp);
    expect(await store.ledger.last("discord:1")).toEqual(catchUp);
  });

  it("refuses a second delivery for the same target and local date, keeping the first", async () => {
    const { store } = await newStore();
    await store.ledger.record("discord:1", digest("2025-03-04", ["a"], "2025-03-04T09:00:00.000Z"));
    expect(
      await store.ledger.record("discord:1", digest("2025-03-04", ["b"], "2025-03-04T09:30:00.000Z")),
    ).toBe(false);
    expect(await store.ledger.deliveredPaperIds("discord:1")).toEqual(new Set(["a"]));
    expect(await store.ledger.history("discord:1")).toHaveLength(1);
  });

  it("lets exactly one of many concurrent deliveries for one date through", async () => {
    const { store } = await newStore();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.ledger.record("slack:C1", digest("2025-03-04", [`p${i}`], "2025-03-04T09:00:00.000Z")),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.ledger.deliveredPaperIds("slack:C1")).size).toBe(1);
  });

  it("takes over a store file written before day records, with every delivery in it", async () => {
    // data/paper-picks.sqlite as earlier versions left it: keyv rows only, the ledger one row per target.
    const file = join(await tempDir(), "paper-picks.sqlite");
    const adapter = new KeyvSqlite({ uri: `sqlite://${file}` });
    const old = (namespace: string) => recordKeyv(adapter, namespace);
    const history = Array.from({ length: 30 }, (_, i) => {
      const localDate = new Date(Date.UTC(2025, 1, 1 + i)).toISOString().slice(0, 10);
      return digest(localDate, [`p${i}`], `${localDate}T09:00:00.000Z`);
    });
    await old("channels").set(
      "discord:1",
      defaultChannelSettings({ platform: "discord", channelId: "1", setupBy: "admin" }),
    );
    await old("ledger").set("discord:1", { schemaVersion: 1, target: "discord:1", deliveries: history });
    await old("ledger").set("slack:C1", {
      schemaVersion: 1,
      target: "slack:C1",
      deliveries: history.slice(0, 1),
    });
    await adapter.disconnect();

    const store = await open(`sqlite://${file}`);
    expect(await store.channels.get("discord:1")).toMatchObject({ setupBy: "admin" });
    expect(await store.ledger.deliveredPaperIds("discord:1")).toEqual(
      new Set(history.flatMap((d) => d.paperIds)),
    );
    expect(await store.ledger.hasDelivery("slack:C1", history[0]?.localDate ?? "")).toBe(true);
    expect(await store.ledger.record("slack:C1", history[0] as Delivery)).toBe(false);
    // Once read, the old rows are gone and the days stand on their own, across a restart too.
    expect(await raw(file).get("ledger:discord:1")).toBeUndefined();
    await store.close();
    const reopened = await open(`sqlite://${file}`);
    expect((await reopened.ledger.history("discord:1")).map((d) => d.localDate).sort()).toEqual(
      history.map((d) => d.localDate).sort(),
    );
  });

  it("refuses a malformed delivery and writes nothing", async () => {
    const { store } = await newStore();
    await expect(
      store.ledger.record("discord:1", digest("2025-13-45", ["a"], "2025-03-04T09:00:00Z")),
    ).rejects.toThrow(/localDate/);
    await expect(store.ledger.record("discord:1", digest("2025-03-04", ["a"], "yesterday"))).rejects.toThrow(
      StoreError,
    );
    await expect(
      store.ledger.record("not a target", digest("2025-03-04", ["a"], "2025-03-04T09:00:00Z")),
    ).rejects.toThrow(/target/);
    expect(await store.ledger.history("discord:1")).toEqual([]);
  });
});
