import { describe, expect, it } from "vitest";
import { MAX_TOPIC_LENGTH, MAX_TOPICS_PER_USER, StoreError } from "../../src/store/index.ts";
import { fixedNow, useTempStores } from "./temp-store.ts";

const { newStore } = useTempStores();

describe("user subscriptions", () => {
  it("creates the user's record on the first topic, tidied, with platform and id from the key", async () => {
    const { store } = await newStore({ now: () => fixedNow });
    const result = await store.subscriptions.addTopic("discord:user:42", "  graph   neural networks ");
    expect(result.outcome).toBe("added");
    const expected = {
      schemaVersion: 1,
      user: "discord:user:42",
      platform: "discord",
      userId: "42",
      topics: [{ topic: "graph neural networks", addedAt: fixedNow.toISOString() }],
      updatedAt: fixedNow.toISOString(),
    };
    expect(await store.subscriptions.get("discord:user:42")).toEqual(expected);
    expect(await store.subscriptions.list()).toEqual([expected]);
  });

  it("treats topics that differ only in case and spacing as one", async () => {
    const { store } = await newStore();
    await store.subscriptions.addTopic("slack:user:U1", "Diffusion Models");
    const again = await store.subscriptions.addTopic("slack:user:U1", "diffusion\t  MODELS ");
    expect(again.outcome).toBe("duplicate");
    expect((await store.subscriptions.get("slack:user:U1"))?.topics.map((t) => t.topic)).toEqual([
      "Diffusion Models",
    ]);
  });

  it("keeps every one of many concurrent additions, up to the cap and no further", async () => {
    const { store } = await newStore();
    const topics = Array.from({ length: 50 }, (_, i) => `topic ${i}`);
    const results = await Promise.all(
      topics.map((topic) => store.subscriptions.addTopic("console:user:you", topic)),
    );

    const added = topics.filter((_, i) => results[i]?.outcome === "added");
    expect(added).toHaveLength(MAX_TOPICS_PER_USER);
    expect(results.filter((r) => r.outcome === "too-many")).toHaveLength(50 - MAX_TOPICS_PER_USER);
    const stored = (await store.subscriptions.get("console:user:you"))?.topics.map((t) => t.topic);
    expect(stored).toEqual(added);
  });

  it("keeps all 50 concurrent additions spread over users", async () => {
    const { store } = await newStore();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.subscriptions.addTopic(`discord:user:${i % 2}`, `topic ${i}`),
      ),
    );
    const counts = (await store.subscriptions.list()).map((s) => s.topics.length);
    expect(counts).toEqual([25, 25]);
  });

  it("refuses an empty or overlong topic without creating a record", async () => {
    const { store } = await newStore();
    expect((await store.subscriptions.addTopic("discord:user:1", "   ")).outcome).toBe("invalid");
    expect(
      (await store.subscriptions.addTopic("discord:user:1", "x".repeat(MAX_TOPIC_LENGTH + 1))).outcome,
    ).toBe("invalid");
    expect(await store.subscriptions.get("discord:user:1")).toBeUndefined();
  });

  it("removes a topic however it is spelled, and says when there was nothing to remove", async () => {
    const { store } = await newStore();
    await store.subscriptions.addTopic("discord:user:1", "Robot learning");
    await store.subscriptions.addTopic("discord:user:1", "speech");
    expect(await store.subscriptions.removeTopic("discord:user:1", " ROBOT   learning")).toBe(true);
    expect(await store.subscriptions.removeTopic("discord:user:1", "robot learning")).toBe(false);
    expect(await store.subscriptions.removeTopic("discord:user:2", "speech")).toBe(false);
    expect((await store.subscriptions.get("discord:user:1"))?.topics.map((t) => t.topic)).toEqual(["speech"]);
  });

  it("pauses and resumes a user's alerts", async () => {
    const { store } = await newStore();
    await store.subscriptions.addTopic("discord:user:1", "speech");
    await store.subscriptions.update("discord:user:1", (s) => ({
      ...s,
      alertsPausedReason: "DMs are closed",
    }));
    expect(await store.subscriptions.get("discord:user:1")).toMatchObject({
      alertsPausedReason: "DMs are closed",
    });
    await store.subscriptions.update("discord:user:1", ({ alertsPausedReason: _, ...resumed }) => resumed);
    expect(await store.subscriptions.get("discord:user:1")).not.toHaveProperty("alertsPausedReason");
  });

  it("rejects a key that is not a user's", async () => {
    const { store } = await newStore();
    await expect(store.subscriptions.addTopic("discord:123", "speech")).rejects.toThrow(StoreError);
    await expect(store.subscriptions.removeTopic("console", "speech")).rejects.toThrow(/not a user key/);
  });
});
