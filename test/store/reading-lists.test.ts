import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ListedPaper, MAX_LISTED_PER_CHANNEL } from "../../src/store/index.ts";
import { fuzzRuns } from "../fuzz/fuzz-runs.ts";
import { backends, useBackendStores } from "./backends.ts";

const ada = { userId: "A1", userName: "ada" };
const grace = { userId: "G2", userName: "grace" };
const ids = (entries: readonly ListedPaper[]) => entries.map((entry) => entry.paperId);

for (const backend of backends) {
  describe.skipIf(backend.url === undefined)(`channel reading lists on ${backend.name}`, () => {
    const { open } = useBackendStores(backend);

    it("keeps each channel's list in the order added, with who added each, across a reopen", async () => {
      const store = await open();
      expect((await store.readingLists.add("discord:1", "2501.00001", ada)).outcome).toBe("added");
      expect(await store.readingLists.add("discord:1", "2501.00002", grace)).toEqual({
        outcome: "added",
        count: 2,
      });
      await store.readingLists.add("slack:C7", "2501.00003", grace);
      const reopened = await open();
      const listed = await reopened.readingLists.inOrder("discord:1");
      expect(ids(listed)).toEqual(["2501.00001", "2501.00002"]);
      expect(listed.map((entry) => entry.addedByName)).toEqual(["ada", "grace"]);
      expect(ids(await reopened.readingLists.inOrder("slack:C7"))).toEqual(["2501.00003"]);
      expect(await reopened.readingLists.inOrder("discord:2")).toEqual([]);
    });

    it("lands 20 adds at once, and adding twice keeps the first adder", async () => {
      const store = await open();
      const papers = Array.from({ length: 20 }, (_, i) => `2502.${String(i).padStart(5, "0")}`);
      const results = await Promise.all(papers.map((id) => store.readingLists.add("console", id, ada)));
      expect(results.every((result) => result.outcome === "added")).toBe(true);
      const again = await store.readingLists.add("console", papers[0] ?? "", grace);
      expect(again).toMatchObject({ outcome: "already-listed", count: 20, entry: { addedBy: "A1" } });
      expect(new Set(ids(await store.readingLists.inOrder("console")))).toEqual(new Set(papers));
    });

    it("removes only what its rule allows, and says when a paper is not listed", async () => {
      const store = await open();
      await store.readingLists.add("discord:1", "p1", ada);
      const refused = await store.readingLists.remove("discord:1", "p1", (entry) => entry.addedBy === "G2");
      expect(refused).toMatchObject({ outcome: "refused", entry: { addedBy: "A1" } });
      expect(ids(await store.readingLists.inOrder("discord:1"))).toEqual(["p1"]);
      expect(await store.readingLists.remove("discord:1", "p9", () => true)).toEqual({
        outcome: "not-listed",
        count: 1,
      });
      expect(await store.readingLists.remove("discord:1", "p1", () => true)).toMatchObject({
        outcome: "removed",
        count: 0,
      });
    });

    it("refuses a paper past the cap and keeps the list whole", async () => {
      const store = await open();
      const at = "2026-12-07T00:00:00.000Z";
      await store.readingLists.put({
        schemaVersion: 1,
        channel: "discord:9",
        platform: "discord",
        channelId: "9",
        papers: Array.from({ length: MAX_LISTED_PER_CHANNEL }, (_, i) => ({
          paperId: `p${i}`,
          addedBy: "A1",
          addedAt: at,
        })),
        updatedAt: at,
      });
      expect(await store.readingLists.add("discord:9", "one-more", ada)).toEqual({
        outcome: "full",
        count: MAX_LISTED_PER_CHANNEL,
      });
      expect((await store.readingLists.inOrder("discord:9")).length).toBe(MAX_LISTED_PER_CHANNEL);
    });

    it("counts how many people keep a paper saved, once each, as they save and unsave", async () => {
      const store = await open();
      await Promise.all([
        store.saved.save("discord:user:1", "p1"),
        store.saved.save("discord:user:2", "p1"),
        store.saved.save("slack:user:U3", "p1"),
        store.saved.save("discord:user:1", "p2"),
      ]);
      await store.saved.save("discord:user:1", "p1");
      expect(await store.savers.counts(["p1", "p2", "p3"])).toEqual([3, 1, 0]);
      await store.saved.unsave("discord:user:2", "p1");
      await store.saved.unsave("discord:user:2", "p1");
      const reopened = await open();
      expect(await reopened.savers.counts(["p1", "p2"])).toEqual([2, 1]);
    });

    it("counts the savers of papers saved before savers were kept, once, when the store opens", async () => {
      const store = await open();
      await store.countSaversOnce();
      // Saved lists written as stores did before they kept savers: the person's record only.
      const at = "2026-12-01T00:00:00.000Z";
      for (const [userId, papers] of [
        ["1", ["p1", "p2"]],
        ["2", ["p1"]],
      ] as const) {
        await store.saved.put({
          schemaVersion: 1,
          user: `discord:user:${userId}`,
          platform: "discord",
          userId,
          papers: papers.map((paperId) => ({ paperId, savedAt: at })),
          updatedAt: at,
        });
      }
      expect(await store.savers.counts(["p1", "p2"])).toEqual([0, 0]);
      // This store was counted when it was new; a store from before savers has no such mark.
      await store.savers.delete("(counted)");
      const reopened = await open();
      await reopened.countSaversOnce();
      expect(await reopened.savers.counts(["p1", "p2"])).toEqual([2, 1]);
      await reopened.saved.save("discord:user:2", "p1");
      await reopened.saved.unsave("discord:user:1", "p2");
      const again = await open();
      await again.countSaversOnce();
      expect(await again.savers.counts(["p1", "p2"])).toEqual([2, 0]);
    });
  });
}

describe("a reading list under any sequence of adds and removes (SQLite)", () => {
  const { open } = useBackendStores(backends[0] as (typeof backends)[number]);

  it("stays a set in the order first added, and never loses an entry, with changes at once", async () => {
    const store = await open();
    const step = fc.record({
      remove: fc.boolean(),
      paper: fc.constantFrom("p1", "p2", "p3", "p4", "p5"),
      by: fc.constantFrom(ada, grace),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        async (batches) => {
          const channel = `discord:property${run++}`;
          // The model: what the list must hold, in order, with who added each.
          let model: { paperId: string; addedBy: string }[] = [];
          for (const batch of batches) {
            // Each batch runs at once; the store takes them in call order, as the model does.
            await Promise.all(
              batch.map((change) =>
                change.remove
                  ? store.readingLists.remove(
                      channel,
                      change.paper,
                      (entry) => entry.addedBy === change.by.userId,
                    )
                  : store.readingLists.add(channel, change.paper, change.by),
              ),
            );
            for (const change of batch) {
              const listed = model.find((entry) => entry.paperId === change.paper);
              if (change.remove && listed?.addedBy === change.by.userId) {
                model = model.filter((entry) => entry !== listed);
              } else if (!change.remove && !listed) {
                model.push({ paperId: change.paper, addedBy: change.by.userId });
              }
            }
            const stored = await store.readingLists.inOrder(channel);
            expect(stored.map(({ paperId, addedBy }) => ({ paperId, addedBy }))).toEqual(model);
            expect(new Set(ids(stored)).size).toBe(stored.length);
          }
        },
      ),
      fuzzRuns(60),
    );
  });
});
