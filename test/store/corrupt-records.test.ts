import { describe, expect, it } from "vitest";
import { defaultChannelSettings, UnreadableRecordError } from "../../src/store/index.ts";
import { runChild } from "./run-child.ts";
import { useTempStores } from "./temp-store.ts";

const { newStore, raw } = useTempStores();

const channel = (id: string) =>
  defaultChannelSettings({ platform: "discord", channelId: id, setupBy: "admin" });

describe("a stored record that fails validation", () => {
  it("is skipped by list() and reported by get(), whatever is wrong with it", async () => {
    const { store, file } = await newStore();
    await store.channels.put(channel("1"));
    await store.channels.put(channel("2"));
    const rows = raw(file);
    await rows.put("channels:discord:garbage", "{not json");
    await rows.put("channels:discord:big", JSON.stringify({ value: { ...channel("big"), size: 99 } }));
    await rows.put(
      "channels:discord:future",
      JSON.stringify({ value: { ...channel("future"), schemaVersion: 2 } }),
    );
    await rows.put("channels:discord:moved", JSON.stringify({ value: channel("elsewhere") }));
    await rows.put("channels:discord:null", "null");

    const listed = await store.channels.list();
    expect(listed.map((s) => s.target).sort()).toEqual(["discord:1", "discord:2"]);

    const problems = {
      garbage: "not valid JSON",
      big: "size",
      future: "schemaVersion",
      moved: 'names "discord:elsewhere"',
      null: "no value field",
    };
    for (const [id, problem] of Object.entries(problems)) {
      const error = await store.channels.get(`discord:${id}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreadableRecordError);
      expect((error as Error).message).toContain(`"discord:${id}"`);
      expect((error as Error).message).toContain(problem);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("is never overwritten by update(), and stays as it was", async () => {
    const { store, file } = await newStore();
    const future = JSON.stringify({ value: { ...channel("7"), schemaVersion: 2, newField: "kept" } });
    await raw(file).put("channels:discord:7", future);

    await expect(store.channels.update("discord:7", (s) => ({ ...s, paused: true }))).rejects.toThrow(
      UnreadableRecordError,
    );
    await expect(store.channels.upsert("discord:7", () => channel("7"))).rejects.toThrow(
      UnreadableRecordError,
    );
    expect(await raw(file).get("channels:discord:7")).toBe(future);
  });

  it("can be replaced on purpose by put() or removed by delete()", async () => {
    const { store, file } = await newStore();
    await raw(file).put("channels:discord:7", "{broken");
    await raw(file).put("channels:discord:8", "{broken");
    await store.channels.put(channel("7"));
    expect(await store.channels.get("discord:7")).toMatchObject({ target: "discord:7", size: 5 });
    expect(await store.channels.delete("discord:8")).toBe(true);
    expect(await store.channels.list()).toHaveLength(1);
  });

  it("in the ledger makes delivery questions fail instead of answering 'nothing delivered yet'", async () => {
    const { store, file } = await newStore();
    await raw(file).put(
      "ledger:discord:1",
      JSON.stringify({ value: { schemaVersion: 1, target: "discord:1" } }),
    );
    await expect(store.ledger.hasDelivery("discord:1", "2025-03-04")).rejects.toThrow(
      /ledger record "discord:1"/,
    );
    await expect(store.ledger.deliveredPaperIds("discord:1")).rejects.toThrow(UnreadableRecordError);
    await expect(
      store.ledger.record("discord:1", {
        localDate: "2025-03-04",
        paperIds: [],
        deliveredAt: "2025-03-04T09:00:00.000Z",
        kind: "nothing-new",
      }),
    ).rejects.toThrow(UnreadableRecordError);
  });

  it("as a day in the ledger makes delivery questions fail, naming the target and the day", async () => {
    const { store, file } = await newStore();
    const day = (localDate: string) => ({
      localDate,
      paperIds: ["a"],
      deliveredAt: `${localDate}T09:00:00.000Z`,
      kind: "digest" as const,
    });
    await store.ledger.record("discord:1", day("2025-03-03"));
    const rows = raw(file);
    const insert = "INSERT INTO paper_picks_deliveries(target, local_date, delivery) VALUES(?, ?, ?)";
    await rows.sql(insert, ["discord:1", "2025-03-04", "{cut off"]);
    await rows.sql(insert, ["discord:2", "2025-03-04", JSON.stringify(day("2025-03-05"))]);
    await rows.sql(insert, [
      "discord:3",
      "2025-03-04",
      JSON.stringify({ ...day("2025-03-04"), kind: "maybe" }),
    ]);

    const problems = {
      "discord:1": "not valid JSON",
      "discord:2": "names 2025-03-05",
      "discord:3": "kind",
    };
    for (const [target, problem] of Object.entries(problems)) {
      const error = await store.ledger.view(target).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreadableRecordError);
      expect((error as Error).message).toContain(`"${target}@2025-03-04"`);
      expect((error as Error).message).toContain(problem);
    }
    // The damaged day stays taken: nothing is recorded over it.
    expect(await store.ledger.record("discord:1", day("2025-03-04"))).toBe(false);
  });

  it("in subscriptions keeps addTopic from replacing the user's topics", async () => {
    const { store, file } = await newStore();
    await raw(file).put(
      "subscriptions:slack:user:U1",
      '{"value":{"schemaVersion":1,"user":"slack:user:U1"}}',
    );
    await expect(store.subscriptions.addTopic("slack:user:U1", "robots")).rejects.toThrow(
      UnreadableRecordError,
    );
    expect(await store.subscriptions.list()).toEqual([]);
  });

  it("is logged with its key when list() skips it", async () => {
    const { store, file, url } = await newStore();
    await store.channels.put(channel("1"));
    await raw(file).put("channels:discord:garbage", "{not json");
    await store.close();

    const child = await runChild("child-list-channels.ts", [url]);
    expect(child.code).toBe(0);
    expect(child.stdout.trim()).toBe("discord:1");
    expect(child.stderr).toContain("discord:garbage");
    expect(child.stderr).toContain("unreadable");
  });
});
