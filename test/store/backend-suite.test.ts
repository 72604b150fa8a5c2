import { beforeAll, describe, expect, it } from "vitest";
import { buildCatalog, LiveCatalog } from "../../src/catalog/index.ts";
import type { Message } from "../../src/core/message.ts";
import { loadCorpus } from "../../src/corpus/index.ts";
import { DeliveryError } from "../../src/digest/delivery-error.ts";
import { DigestService } from "../../src/digest/digest-service.ts";
import type { SendMessage } from "../../src/platforms/contract.ts";
import { ClaimSweep } from "../../src/store/claim-sweep.ts";
import { type Delivery, defaultChannelSettings, type Store } from "../../src/store/index.ts";
import { backends, useBackendStores } from "./backends.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const channel = (id: string, platform: "discord" | "slack" = "discord") =>
  defaultChannelSettings({ platform, channelId: id, setupBy: "admin" });

const digest = (localDate: string, paperIds: string[]): Delivery => ({
  localDate,
  paperIds,
  deliveredAt: "2025-03-04T09:00:00.000Z",
  kind: "digest",
});

/** The local date `days` days after 2025-01-01, and a delivery made on it at 09:00 UTC. */
const dayAfterNewYear = (days: number) => new Date(Date.UTC(2025, 0, 1 + days)).toISOString().slice(0, 10);
const deliveryOn = (localDate: string, paperIds: string[] = [`paper-${localDate}`]): Delivery => ({
  localDate,
  paperIds,
  deliveredAt: `${localDate}T09:00:00.000Z`,
  kind: "digest",
});

/** Polls until `condition` holds (generous bound for a loaded machine), instead of sleeping a fixed time. */
async function waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

for (const backend of backends) {
  describe.skipIf(backend.url === undefined)(`the store on ${backend.name}`, () => {
    const { open, raw } = useBackendStores(backend);

    describe("records", () => {
      it("gives back what was put and keeps each kind in its own namespace", async () => {
        const store = await open();
        await store.channels.put(channel("1"));
        await store.channels.put(channel("C7", "slack"));
        await store.subscriptions.addTopic("discord:user:9", "speech recognition");
        await store.ledger.record("discord:1", digest("2025-03-04", ["p1"]));

        expect(await store.channels.get("discord:1")).toMatchObject({ channelId: "1", time: "09:00" });
        expect((await store.channels.list()).map((s) => s.target).sort()).toEqual(["discord:1", "slack:C7"]);
        expect((await store.subscriptions.list()).map((s) => s.user)).toEqual(["discord:user:9"]);
        expect(await store.ledger.hasDelivery("discord:1", "2025-03-04")).toBe(true);
        expect(await store.channels.delete("discord:1")).toBe(true);
        expect((await store.channels.list()).map((s) => s.target)).toEqual(["slack:C7"]);
      });

      it("keeps each person's saved papers, across a reopen, with 20 saves at once all landing", async () => {
        const store = await open();
        const ids = Array.from({ length: 20 }, (_, i) => `2501.${String(i).padStart(5, "0")}`);
        const results = await Promise.all(ids.map((id) => store.saved.save("slack:user:U1", id)));
        expect(results.every((result) => result.outcome === "saved")).toBe(true);
        expect((await store.saved.save("slack:user:U1", ids[0] ?? "")).outcome).toBe("already-saved");
        await store.saved.save("discord:user:7", "2112.05682");
        const reopened = await open();
        const saved = await reopened.saved.newestFirst("slack:user:U1");
        expect(new Set(saved.map((entry) => entry.paperId))).toEqual(new Set(ids));
        expect(await reopened.saved.unsave("slack:user:U1", ids[3] ?? "")).toBe(true);
        expect(await reopened.saved.unsave("slack:user:U1", ids[3] ?? "")).toBe(false);
        expect((await reopened.saved.newestFirst("slack:user:U1")).length).toBe(19);
        expect((await reopened.saved.newestFirst("discord:user:7")).map((entry) => entry.paperId)).toEqual([
          "2112.05682",
        ]);
      });

      it("keeps one rating per person and paper, the latest winning, and forgets them all on request", async () => {
        const store = await open();
        await store.ratings.rate("discord:user:7", "p1", "up", "discord:123");
        await store.ratings.rate("discord:user:7", "p2", "down");
        await store.ratings.rate("discord:user:7", "p1", "down");
        await store.ratings.rate("slack:user:U1", "p1", "up");
        const reopened = await open();
        const mine = await reopened.ratings.newestFirst("discord:user:7");
        expect(mine.map((rating) => [rating.paperId, rating.value])).toEqual([
          ["p1", "down"],
          ["p2", "down"],
        ]);
        expect((await reopened.ratings.clear("discord:user:7", "p2")).outcome).toBe("cleared");
        expect(await reopened.ratings.forget("discord:user:7")).toBe(true);
        expect(await reopened.ratings.newestFirst("discord:user:7")).toEqual([]);
        expect((await reopened.ratings.newestFirst("slack:user:U1")).map((rating) => rating.value)).toEqual([
          "up",
        ]);
      });

      it("keeps a channel's votes, one per person and paper, sums them per paper, and forgets one person's", async () => {
        const store = await open();
        await store.ratings.rate("discord:user:7", "p1", "up", "discord:123");
        await store.channelVotes.vote("discord:123", "discord:user:7", "p1", "up");
        await Promise.all([
          store.channelVotes.vote("discord:123", "discord:user:8", "p1", "up"),
          store.channelVotes.vote("discord:123", "discord:user:8", "p2", "down"),
          store.channelVotes.vote("discord:123", "discord:user:9", "p1", "down"),
          store.channelVotes.vote("discord:456", "discord:user:9", "p3", "up"),
        ]);
        const reopened = await open();
        expect(await reopened.channelVotes.ratings("discord:123")).toEqual([
          { paperId: "p1", value: "up" },
          { paperId: "p2", value: "down" },
        ]);
        expect(await reopened.ratings.channelsOf("discord:user:7")).toEqual(["discord:123"]);
        await reopened.channelVotes.forgetPerson("discord:123", "discord:user:8");
        await reopened.channelVotes.withdraw("discord:123", "discord:user:9", "p1");
        expect(await reopened.channelVotes.ratings("discord:123")).toEqual([{ paperId: "p1", value: "up" }]);
        expect(await reopened.channelVotes.ratings("discord:456")).toEqual([{ paperId: "p3", value: "up" }]);
        await expect(reopened.channelVotes.ratings("discord:user:9")).rejects.toThrow("not a channel key");
      });

      it("keeps one thread per channel and paper, the first recorded winning until it is gone, across a reopen", async () => {
        const store = await open();
        const [first, second] = await Promise.all([
          store.threads.remember({ channel: "discord:1", paperId: "p1", threadId: "t1", postId: "m1" }),
          store.threads.remember({ channel: "discord:1", paperId: "p1", threadId: "t2", postId: "m1" }),
        ]);
        expect(second?.threadId).toBe(first?.threadId);
        await store.threads.remember({ channel: "discord:2", paperId: "p1", threadId: "t3" });
        await store.threads.remember({ channel: "slack:C7", paperId: "p1", threadId: "1700000000.000200" });
        const reopened = await open();
        expect((await reopened.threads.find("discord:1", "p1"))?.threadId).toBe(first?.threadId);
        expect((await reopened.threads.find("discord:2", "p1"))?.threadId).toBe("t3");
        expect((await reopened.threads.find("slack:C7", "p1"))?.threadId).toBe("1700000000.000200");
        expect(await reopened.threads.find("discord:1", "p2")).toBeUndefined();
        // A thread found gone is replaced; naming any other thread as gone changes nothing.
        const gone = first?.threadId ?? "";
        await reopened.threads.remember({ channel: "discord:1", paperId: "p1", threadId: "t9" }, "t-other");
        expect((await reopened.threads.find("discord:1", "p1"))?.threadId).toBe(gone);
        await reopened.threads.remember({ channel: "discord:1", paperId: "p1", threadId: "t9" }, gone);
        expect((await reopened.threads.find("discord:1", "p1"))?.threadId).toBe("t9");
        await expect(reopened.threads.find("discord:user:1", "p1")).rejects.toThrow(/not a channel key/);
      });

      it("lists every channel when there are more than one page of them, each once", async () => {
        const store = await open();
        const ids = Array.from({ length: 1100 }, (_, i) => `c${i}`);
        for (let i = 0; i < ids.length; i += 100)
          await Promise.all(ids.slice(i, i + 100).map((id) => store.channels.put(channel(id, "slack"))));
        const listed = (await store.channels.list()).map((s) => s.channelId);
        expect(listed).toHaveLength(ids.length);
        expect(new Set(listed)).toEqual(new Set(ids));
      });

      it("sees what another store on the same database wrote (a second process)", async () => {
        const first = await open();
        const second = await open();
        await first.channels.put(channel("1"));
        await first.channels.update("discord:1", (s) => ({ ...s, time: "07:30" }));
        expect(await second.channels.get("discord:1")).toMatchObject({ time: "07:30" });
        expect(await second.channels.list()).toHaveLength(1);
      });

      it("lets one of many concurrent ledger records for one date through", async () => {
        const store = await open();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.ledger.record("slack:C1", digest("2025-03-04", [`p${i}`])),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.ledger.history("slack:C1")).toHaveLength(1);
      });
    });

    describe("the delivery ledger across processes", () => {
      it("keeps every day when two processes record different days for one target at once, 50 times over", async () => {
        const [a, b] = [await open(), await open()];
        for (let round = 0; round < 50; round++) {
          const results = await Promise.all([
            a.ledger.record("slack:C1", deliveryOn(dayAfterNewYear(2 * round))),
            b.ledger.record("slack:C1", deliveryOn(dayAfterNewYear(2 * round + 1))),
          ]);
          expect(results).toEqual([true, true]);
        }
        const expected = Array.from({ length: 100 }, (_, i) => dayAfterNewYear(i));
        for (const store of [a, b]) {
          const history = await store.ledger.history("slack:C1");
          expect(history.map((delivery) => delivery.localDate)).toEqual(expected);
          expect((await store.ledger.deliveredPaperIds("slack:C1")).size).toBe(100);
        }
      });

      it("lets exactly one of two processes record a day, and neither once it is recorded", async () => {
        const [a, b] = [await open(), await open()];
        for (let day = 0; day < 20; day++) {
          const date = dayAfterNewYear(day);
          const first = await Promise.all([
            a.ledger.record("discord:1", deliveryOn(date, ["from-a"])),
            b.ledger.record("discord:1", deliveryOn(date, ["from-b"])),
          ]);
          expect(first.filter(Boolean)).toHaveLength(1);
          const again = await Promise.all([
            a.ledger.record("discord:1", deliveryOn(date, ["again-a"])),
            b.ledger.record("discord:1", deliveryOn(date, ["again-b"])),
          ]);
          expect(again).toEqual([false, false]);
        }
        const history = await a.ledger.history("discord:1");
        expect(history).toHaveLength(20);
        // Each day holds the one delivery that won it, never a mix and never a later attempt.
        for (const delivery of history) expect(["from-a", "from-b"]).toContain(delivery.paperIds[0]);
      });

      it("keeps targets apart, including ones whose keys share a beginning", async () => {
        const store = await open();
        await store.ledger.record("discord:1", deliveryOn("2025-03-04", ["one"]));
        await store.ledger.record("discord:12", deliveryOn("2025-03-04", ["twelve"]));
        await store.ledger.record("discord:user:1", deliveryOn("2025-03-05", ["dm"]));
        expect(await store.ledger.deliveredPaperIds("discord:1")).toEqual(new Set(["one"]));
        expect(await store.ledger.deliveredPaperIds("discord:12")).toEqual(new Set(["twelve"]));
        expect(await store.ledger.deliveredPaperIds("discord:user:1")).toEqual(new Set(["dm"]));
        expect(await store.ledger.history("discord:2")).toEqual([]);
      });

      it("reads a history of a year", async () => {
        const store = await open();
        const dates = Array.from({ length: 365 }, (_, i) => dayAfterNewYear(i));
        for (let i = 0; i < dates.length; i += 73)
          await Promise.all(
            dates.slice(i, i + 73).map((date) => store.ledger.record("slack:C9", deliveryOn(date))),
          );
        const view = await store.ledger.view("slack:C9");
        expect(view.deliveries.map((delivery) => delivery.localDate)).toEqual(dates);
        expect(view.last()?.localDate).toBe("2025-12-31");
        expect(view.hasDelivery("2025-07-04")).toBe(true);
      });
    });

    describe("a ledger written before day records (one record per target)", () => {
      const oldDeliveries = [
        deliveryOn("2025-03-01", ["a", "b"]),
        { ...deliveryOn("2025-03-02", []), kind: "nothing-new" as const },
        { ...deliveryOn("2025-03-03", ["c"]), messageId: "m-3" },
      ];

      it("is read in full, then moved into day records and removed, losing nothing", async () => {
        const rows = await raw();
        await rows.writeOldLedger("discord:1", oldDeliveries);
        const store = await open();
        expect(await store.ledger.history("discord:1")).toEqual(oldDeliveries);
        expect(await rows.oldLedger("discord:1")).toBeUndefined();
        expect(await store.ledger.history("discord:1")).toEqual(oldDeliveries);
        // A moved day is still taken; a new day goes in beside the old ones.
        expect(await store.ledger.record("discord:1", deliveryOn("2025-03-03", ["again"]))).toBe(false);
        expect(await store.ledger.record("discord:1", deliveryOn("2025-03-04", ["d"]))).toBe(true);
        expect(await store.ledger.deliveredPaperIds("discord:1")).toEqual(new Set(["a", "b", "c", "d"]));
        expect((await store.ledger.last("discord:1"))?.localDate).toBe("2025-03-04");
      });

      it("answers for one of its days, and a day it lacks, before anything read it", async () => {
        const rows = await raw();
        await rows.writeOldLedger("slack:C2", oldDeliveries);
        const store = await open();
        expect(await store.ledger.hasDelivery("slack:C2", "2025-03-02")).toBe(true);
        expect(await store.ledger.hasDelivery("slack:C2", "2025-03-09")).toBe(false);
        expect(await rows.oldLedger("slack:C2")).toBeUndefined();
        expect(await store.ledger.hasDelivery("slack:C2", "2025-03-03")).toBe(true);
      });

      it("refuses to record a day it holds, even before anything read it", async () => {
        const rows = await raw();
        await rows.writeOldLedger("slack:C1", oldDeliveries);
        const store = await open();
        expect(await store.ledger.record("slack:C1", deliveryOn("2025-03-02", ["x"]))).toBe(false);
        expect(await store.ledger.history("slack:C1")).toEqual(oldDeliveries);
      });

      it("is moved once when two processes read and record it at the same time", async () => {
        const rows = await raw();
        await rows.writeOldLedger("discord:7", oldDeliveries);
        const [a, b] = [await open(), await open()];
        const [historyA, historyB, recordedA, recordedB] = await Promise.all([
          a.ledger.history("discord:7"),
          b.ledger.history("discord:7"),
          a.ledger.record("discord:7", deliveryOn("2025-03-01", ["dup"])),
          b.ledger.record("discord:7", deliveryOn("2025-03-05", ["e"])),
        ]);
        // Each read sees every old day (and maybe the new one, depending on who came first).
        for (const history of [historyA, historyB])
          expect(history.filter((delivery) => delivery.localDate <= "2025-03-03")).toEqual(oldDeliveries);
        expect([recordedA, recordedB]).toEqual([false, true]);
        expect(await a.ledger.history("discord:7")).toEqual([
          ...oldDeliveries,
          deliveryOn("2025-03-05", ["e"]),
        ]);
        expect(await rows.oldLedger("discord:7")).toBeUndefined();
      });

      it("reads each day once after a move cut short (day records written, old record still there)", async () => {
        const rows = await raw();
        const store = await open();
        await store.ledger.record("discord:3", deliveryOn("2025-03-03", ["c"]));
        await rows.writeOldLedger("discord:3", oldDeliveries);
        const history = await store.ledger.history("discord:3");
        expect(history.map((delivery) => delivery.localDate)).toEqual([
          "2025-03-01",
          "2025-03-02",
          "2025-03-03",
        ]);
        // The day record wins over the old record's copy of that day.
        expect(history[2]).toEqual(deliveryOn("2025-03-03", ["c"]));
        expect(await rows.oldLedger("discord:3")).toBeUndefined();
      });
    });

    describe("claims", () => {
      it("lets exactly one of 50 concurrent claimers from two stores win", async () => {
        const stores = [await open(), await open()];
        const won = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (stores[i % 2] as Store).claims.claim("digest:discord:1@2025-03-04", `holder-${i}`, 60_000),
          ),
        );
        expect(won.filter(Boolean)).toHaveLength(1);
      });

      it("frees a claim whose holder died once its lease runs out, and the late holder cannot complete it", async () => {
        const store = await open();
        expect(await store.claims.claim("day", "dead", 300)).toBe(true);
        expect(await store.claims.claim("day", "alive", 300)).toBe(false);
        await sleep(450);
        expect(await store.claims.claim("day", "alive", 60_000)).toBe(true);
        expect(await store.claims.complete("day", "dead")).toBe(false);
        expect(await store.claims.release("day", "dead")).toBe(false);
        expect(await store.claims.complete("day", "alive")).toBe(true);
      });

      it("keeps a completed claim past its lease; a release frees it for the next holder", async () => {
        const store = await open();
        expect(await store.claims.claim("day", "a", 200)).toBe(true);
        expect(await store.claims.complete("day", "a")).toBe(true);
        await sleep(350);
        expect(await store.claims.claim("day", "b", 200)).toBe(false);
        expect(await store.claims.release("day", "b")).toBe(false);
        expect(await store.claims.release("day", "a")).toBe(true);
        expect(await store.claims.claim("day", "b", 200)).toBe(true);
      });

      it("keeps claims of different keys apart", async () => {
        const store = await open();
        expect(await store.claims.claim("digest:discord:1@2025-03-04", "a", 60_000)).toBe(true);
        expect(await store.claims.claim("digest:discord:1@2025-03-05", "a", 60_000)).toBe(true);
        expect(await store.claims.claim("digest:discord:2@2025-03-04", "a", 60_000)).toBe(true);
      });

      it("deletes expired claims at open and when swept, keeping live, completed and lapsed ones", async () => {
        const rows = await raw();
        const first = await open();
        // Past its keeping: an old claim whose lease ended (new leases are kept for a takeover).
        await rows.writeOldClaim("lapsed", "dead", 1);
        expect(await first.claims.claim("taken-over-later", "dead", 1)).toBe(true);
        expect(await first.claims.claim("live", "a", 60_000)).toBe(true);
        expect(await first.claims.claim("done", "b", 60_000)).toBe(true);
        expect(await first.claims.complete("done", "b")).toBe(true);
        await sleep(30); // past the 1 ms lease of "lapsed"
        // Opening the store (a process starting) sweeps, in the background.
        await open();
        await waitUntil(
          async () => !(await rows.storedClaimKeys()).includes("lapsed"),
          "the sweep at open ran",
        );
        expect(await rows.storedClaimKeys()).toEqual(["done", "live", "taken-over-later"]);

        await rows.writeOldClaim("lapsed-again", "dead", 1);
        await sleep(30);
        await first.claims.removeExpired();
        expect(await rows.storedClaimKeys()).toEqual(["done", "live", "taken-over-later"]);
        expect(await first.claims.claim("live", "c", 60_000)).toBe(false);
        expect(await first.claims.claim("done", "c", 60_000)).toBe(false);
      });

      it("sweeps again on its timer until stopped", async () => {
        const rows = await raw();
        const store = await open();
        const sweep = new ClaimSweep(store.claims, 20);
        await sweep.start();
        try {
          await rows.writeOldClaim("lapsed", "dead", 1);
          await waitUntil(async () => !(await rows.storedClaimKeys()).includes("lapsed"), "the sweep ran");
        } finally {
          await sweep.stop();
        }
      });

      it("moves a claim through claimed, sending and sent, keeping the message id", async () => {
        const store = await open();
        const key = "digest:slack:C1@2025-03-04";
        expect(await store.claims.take(key, "a", 60_000)).toEqual({ state: "claimed" });
        expect((await store.claims.read(key))?.state).toBe("claimed");
        const before = Date.now();
        expect(await store.claims.markSending(key, "a", 60_000, '{"paperIds":["p1"]}')).toBe(true);
        const sending = await store.claims.read(key);
        expect(sending).toMatchObject({ holder: "a", state: "sending", detail: '{"paperIds":["p1"]}' });
        expect(sending?.sendingAt).toBeGreaterThanOrEqual(before - 1000);
        expect(await store.claims.markSending(key, "b", 60_000, "{}")).toBe(false);
        expect(await store.claims.complete(key, "a", "1733.0042")).toBe(true);
        expect(await store.claims.read(key)).toMatchObject({ state: "sent", messageId: "1733.0042" });
        expect(await store.claims.take(key, "b", 60_000)).toBeUndefined();
        expect(await store.claims.renew(key, "a", 60_000)).toBe(false);
      });

      it("hands a lapsed send over as sending, with its first sending time and detail, counting takeovers", async () => {
        const [a, b] = [await open(), await open()];
        const key = "digest:discord:1@2025-03-04";
        expect(await a.claims.take(key, "killed", 200)).toEqual({ state: "claimed" });
        expect(await a.claims.markSending(key, "killed", 200, "detail-1")).toBe(true);
        const sendingAt = (await a.claims.read(key))?.sendingAt;
        expect(await b.claims.take(key, "survivor", 60_000)).toBeUndefined();
        await sleep(350);
        expect(await b.claims.lapsed()).toContain(key);
        const taken = await b.claims.take(key, "survivor", 200);
        expect(taken).toEqual({ state: "sending", sendingAt, detail: "detail-1", takeovers: 1 });
        expect(await b.claims.lapsed()).not.toContain(key);
        // The killed holder cannot come back and finish what the survivor now holds.
        expect(await a.claims.complete(key, "killed", "m1")).toBe(false);
        expect(await a.claims.markSending(key, "killed", 200, "x")).toBe(false);
        // Re-sending keeps the first sending time, so a later look-up covers both tries.
        expect(await b.claims.markSending(key, "survivor", 200, "detail-2")).toBe(true);
        expect((await b.claims.read(key))?.sendingAt).toBe(sendingAt);
        await sleep(350);
        expect(await a.claims.take(key, "third", 60_000)).toMatchObject({ state: "sending", takeovers: 2 });
      });

      it("lists lapsed claims for takeover and keeps them past a sweep, but not live, sent or released ones", async () => {
        const store = await open();
        expect(await store.claims.claim("cron:lapsed", "dead", 150)).toBe(true);
        expect(await store.claims.claim("live", "a", 60_000)).toBe(true);
        expect(await store.claims.claim("sent", "a", 150)).toBe(true);
        expect(await store.claims.complete("sent", "a")).toBe(true);
        expect(await store.claims.claim("released", "a", 150)).toBe(true);
        expect(await store.claims.release("released", "a")).toBe(true);
        expect(await store.claims.claim("renewed", "a", 150)).toBe(true);
        await sleep(100);
        expect(await store.claims.renew("renewed", "a", 60_000)).toBe(true);
        await sleep(100);
        await store.claims.removeExpired();
        expect(await store.claims.lapsed()).toEqual(["cron:lapsed"]);
        // Taken over, it is work under way again, no longer lapsed.
        expect(await store.claims.claim("cron:lapsed", "survivor", 60_000)).toBe(true);
        expect(await store.claims.lapsed()).toEqual([]);
      });

      it("reads a claim written before the claim states as held until it expires", async () => {
        // Written before the store opens: on SQLite the table is the old one, and opening adds the columns.
        // The lease outlasts opening a store on a busy machine (PostgreSQL took over 300 ms in CI).
        const leaseMs = 2_000;
        const written = Date.now();
        await (await raw()).writeOldClaim("digest:discord:9@2025-03-04", "old-process", leaseMs);
        const store = await open();
        expect(await store.claims.read("digest:discord:9@2025-03-04")).toMatchObject({
          holder: "old-process",
          state: "legacy",
        });
        expect(await store.claims.take("digest:discord:9@2025-03-04", "new", 60_000)).toBeUndefined();
        expect(await store.claims.lapsed()).toEqual([]);
        await sleep(written + leaseMs + 150 - Date.now());
        expect(await store.claims.take("digest:discord:9@2025-03-04", "new", 60_000)).toEqual({
          state: "claimed",
        });
      });

      it("refuses a lease that is not a positive whole number of ms", async () => {
        const store = await open();
        expect(() => store.claims.claim("day", "a", 0)).toThrow(/lease/);
        expect(() => store.claims.claim("day", "a", 1.5)).toThrow(/lease/);
      });
    });

    describe("digest delivery across processes", () => {
      let catalog: LiveCatalog;
      beforeAll(async () => {
        catalog = new LiveCatalog(buildCatalog((await loadCorpus("data/papers.txt")).papers));
      });

      const sent: { target: string; message: Message }[] = [];
      const recordingSend =
        (refuse?: () => Error | undefined): SendMessage =>
        async (target, message) => {
          await sleep(20); // a platform round trip, so that racing calls really overlap
          const refusal = refuse?.();
          if (refusal) throw refusal;
          sent.push({ target, message });
          return { messageId: `m${sent.length}` };
        };
      const service = (store: Store, send: SendMessage = recordingSend(), claimLeaseMs?: number) =>
        new DigestService({
          catalog,
          store,
          send,
          defaults: { time: "09:00", timezone: "UTC", size: 3 },
          ...(claimLeaseMs !== undefined && { claimLeaseMs }),
        });

      it("posts one digest when two processes deliver the same target and day at once", async () => {
        sent.length = 0;
        const [a, b] = [await open(), await open()];
        await a.channels.put(channel("1"));
        const outcomes = await Promise.all([
          service(a).deliver("discord:1", "2025-03-04"),
          service(b).deliver("discord:1", "2025-03-04"),
        ]);
        expect(outcomes.map((o) => o.status).sort()).toEqual(["already-delivered", "delivered"]);
        expect(sent.map((s) => s.target)).toEqual(["discord:1"]);
        const history = await b.ledger.history("discord:1");
        expect(history).toHaveLength(1);
        expect(history[0]?.messageId).toBe("m1");
        // The next day is a new claim.
        expect((await service(b).deliver("discord:1", "2025-03-05")).status).toBe("delivered");
        expect(sent).toHaveLength(2);
      });

      it("delivers 20 targets once each when two processes run all of them at the same time", async () => {
        sent.length = 0;
        const [a, b] = [await open(), await open()];
        const targets = Array.from({ length: 20 }, (_, i) => `discord:${i}`);
        for (const [i] of targets.entries()) await a.channels.put(channel(String(i)));
        const [sa, sb] = [service(a), service(b)];
        await Promise.all(targets.flatMap((t) => [sa.deliver(t, "2025-03-04"), sb.deliver(t, "2025-03-04")]));
        expect(sent.map((s) => s.target).sort()).toEqual([...targets].sort());
      });

      it("retries a day whose send the platform refused", async () => {
        sent.length = 0;
        const store = await open();
        await store.channels.put(channel("1"));
        let refuse = true;
        const flaky = service(
          store,
          recordingSend(() =>
            refuse ? new DeliveryError("Discord is having a bad day", "transient") : undefined,
          ),
        );
        await expect(flaky.deliver("discord:1", "2025-03-04")).rejects.toThrow(/bad day/);
        expect(sent).toHaveLength(0);
        refuse = false;
        expect((await flaky.deliver("discord:1", "2025-03-04")).status).toBe("delivered");
        expect(sent).toHaveLength(1);
      });

      it("delivers a day held by a process that died before sending, once its lease runs out", async () => {
        sent.length = 0;
        const [a, b] = [await open(), await open()];
        await a.channels.put(channel("1"));
        // The dead process's claim, as `deliver` takes it: keyed by target and local date.
        expect(await a.claims.claim("digest:discord:1@2025-03-04", "killed-process", 300)).toBe(true);
        expect((await service(b).deliver("discord:1", "2025-03-04")).status).toBe("already-delivered");
        expect(sent).toHaveLength(0);
        await sleep(450);
        expect((await service(b).deliver("discord:1", "2025-03-04")).status).toBe("delivered");
        expect(sent).toHaveLength(1);
      });

      it("never sends again a day whose claim was completed, even with no ledger entry (killed mid-send)", async () => {
        sent.length = 0;
        const store = await open();
        await store.channels.put(channel("1"));
        expect(await store.claims.claim("digest:discord:1@2025-03-04", "killed-mid-send", 200)).toBe(true);
        expect(await store.claims.complete("digest:discord:1@2025-03-04", "killed-mid-send")).toBe(true);
        await sleep(300);
        expect((await service(store).deliver("discord:1", "2025-03-04")).status).toBe("already-delivered");
        expect(sent).toHaveLength(0);
      });
    });
  });
}
