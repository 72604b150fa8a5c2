import { describe, expect, it } from "vitest";
import { defaultChannelSettings } from "../../src/store/index.ts";
import { runChild } from "./run-child.ts";
import { useTempStores } from "./temp-store.ts";

const { newStore, open } = useTempStores();

describe("persistence", () => {
  it("keeps everything across close and reopen", async () => {
    const { store, url } = await newStore();
    await store.channels.put(defaultChannelSettings({ platform: "slack", channelId: "C1", setupBy: "U1" }));
    await store.subscriptions.addTopic("slack:user:U1", "protein folding");
    await store.ledger.record("slack:C1", {
      localDate: "2025-03-04",
      paperIds: ["x"],
      deliveredAt: "2025-03-04T09:00:00.000Z",
      kind: "digest",
    });
    await store.close();

    const reopened = await open(url);
    expect(await reopened.channels.get("slack:C1")).toMatchObject({ setupBy: "U1", time: "09:00" });
    expect((await reopened.subscriptions.get("slack:user:U1"))?.topics.map((t) => t.topic)).toEqual([
      "protein folding",
    ]);
    expect(await reopened.ledger.hasDelivery("slack:C1", "2025-03-04")).toBe(true);
    // The day stays taken after a restart: no second digest for it.
    expect(
      await reopened.ledger.record("slack:C1", {
        localDate: "2025-03-04",
        paperIds: ["y"],
        deliveredAt: "2025-03-04T12:00:00.000Z",
        kind: "digest",
      }),
    ).toBe(false);
  });

  it("keeps every resolved write when the process is killed with SIGKILL right after it", async () => {
    const { store, url } = await newStore();
    await store.close();

    const child = await runChild("child-write-then-die.ts", [url]);
    expect(child.stderr).toBe("");
    expect(child.stdout).toBe("written\n");
    expect(child.signal).toBe("SIGKILL");

    const reopened = await open(url);
    expect(await reopened.channels.get("discord:1")).toMatchObject({ setupBy: "admin", time: "07:45" });
    expect(await reopened.subscriptions.get("discord:user:42")).toMatchObject({
      topics: [{ topic: "speech recognition" }],
    });
    expect(await reopened.ledger.deliveredPaperIds("discord:1")).toEqual(
      new Set(["2403.00001", "2403.00002"]),
    );
    expect(await reopened.ledger.hasDelivery("discord:1", "2025-03-04")).toBe(true);
  });
});
