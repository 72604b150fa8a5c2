import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalog, LiveCatalog } from "../../src/catalog/index.ts";
import type { Message } from "../../src/core/message.ts";
import { loadCorpus } from "../../src/corpus/index.ts";
import { DeliveryError, NotTakenError, OutcomeUnknownError } from "../../src/digest/delivery-error.ts";
import { DigestService, deliveryKey, MAX_LOOKUPS } from "../../src/digest/digest-service.ts";
import type { DeliveryLookup, SendMessage } from "../../src/platforms/contract.ts";
import { discordDeliveryRef } from "../../src/platforms/discord/sender.ts";
import { TickCoordinator } from "../../src/schedule/claim-coordinator.ts";
import { Takeover } from "../../src/schedule/takeover.ts";
import { defaultChannelSettings, type Store } from "../../src/store/index.ts";
import { startDiscordBot } from "../platforms/discord/discord-bot.ts";
import { startSlackHarness } from "../platforms/slack/slack-harness.ts";
import { backends, useBackendStores } from "../store/backends.ts";

/**
 * A process killed at each step of a delivery, then a survivor on the same store that never
 * restarts the dead one: the survivor's takeover must leave every channel with exactly one post,
 * recorded in the ledger with that post's id, and the claim *sent*. The kill is a process that
 * simply stops: from the crash point on, none of its store calls or sends ever return, and so its
 * heartbeats stop too. The platform is the real Slack or Discord sender and look-up (through the
 * bot's outbox) over its fake, or a stand-in that answers look-ups the way FindDelivery does.
 */

const LEASE_MS = 300;
const DATE = "2025-03-04";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never = <T>() => new Promise<T>(() => undefined);

type CrashPoint =
  | "after the claim"
  | "after sending is written"
  | "after the request is written"
  | "after the response arrives"
  | "before sent is recorded";

const crashPoints: readonly CrashPoint[] = [
  "after the claim",
  "after sending is written",
  "after the request is written",
  "after the response arrives",
  "before sent is recorded",
];

/** Where the digests go: sends and look-ups, and what a user sees in the channel. */
interface CrashPlatform {
  readonly name: string;
  /** The digest channel's target key. */
  readonly target: string;
  readonly send: SendMessage;
  readonly find: (target: string, key: string, since: Date) => Promise<DeliveryLookup | undefined>;
  /** The posts in the target's channel made for `key`, with their ids. */
  postsFor(key: string): readonly { readonly id: string }[];
  /** History reads made so far. */
  lookups(): number;
  close(): Promise<void>;
}

/** The real Slack sender and look-up, through a bot's outbox, over the Slack fake. */
async function slackFake(): Promise<CrashPlatform> {
  const harness = await startSlackHarness("http");
  const { outbox } = harness.bot.app;
  return {
    name: "the Slack fake",
    target: `slack:${harness.channels.papers.id}`,
    send: outbox.send,
    find: (target, key, since) => outbox.find(target, key, since),
    postsFor: (key) =>
      harness.fake.workspace.posted
        .filter((post) => (post.metadata as { event_payload?: { key?: string } })?.event_payload?.key === key)
        .map((post) => ({ id: post.ts })),
    lookups: () => harness.fake.callsOf("conversations.history").length,
    close: () => harness.close(),
  };
}

/** The real Discord sender and look-up, through a bot's outbox, over the Discord fake. */
async function discordFake(): Promise<CrashPlatform> {
  const running = await startDiscordBot();
  const { outbox } = running.bot.app;
  const channel = running.fake.channel("papers").id;
  return {
    name: "the Discord fake",
    target: `discord:${channel}`,
    send: outbox.send,
    find: (target, key, since) => outbox.find(target, key, since),
    postsFor: (key) =>
      running.fake
        .messagesIn(channel)
        .filter((post) => String(post.body.content ?? "").endsWith(discordDeliveryRef(key)))
        .map((post) => ({ id: post.id })),
    lookups: () =>
      running.fake.requests.filter(
        (request) => request.method === "GET" && /^\/channels\/\d+\/messages$/.test(request.path),
      ).length,
    close: () => running.close(),
  };
}

/** A channel's posts with their keys, and look-ups over them. */
class StandInPlatform {
  readonly posts: { target: string; key: string | undefined; id: string; at: number }[] = [];
  lookups = 0;
  /** Set: every look-up fails, as a platform that gives no answer. */
  unreachable = false;
  /** Set: the channel was deleted after the send. */
  gone = false;

  readonly send: SendMessage = async (target, _message: Message, options) => {
    await sleep(5);
    const id = `m${this.posts.length + 1}`;
    this.posts.push({ target, key: options?.idempotencyKey, id, at: Date.now() });
    return { messageId: id };
  };

  readonly find = async (target: string, key: string, since: Date): Promise<DeliveryLookup> => {
    this.lookups += 1;
    if (this.unreachable) throw new NotTakenError("the platform answered 503", "server-error");
    if (this.gone) throw new DeliveryError("channel_not_found", "target-gone", "Run /digest setup again");
    const mine = this.posts.filter((post) => post.target === target && post.at >= since.getTime() - 1000);
    const found = mine.find((post) => post.key === key);
    return found ? { found: true, messageId: found.id } : { found: false, scanned: mine.length };
  };

  postsTo(target: string) {
    return this.posts.filter((post) => post.target === target);
  }
}

/** The stand-in as a crash platform, posting to `target`. */
function standIn(platform: StandInPlatform, target: string): CrashPlatform {
  return {
    name: "a stand-in",
    target,
    send: platform.send,
    find: platform.find,
    postsFor: (key) => platform.posts.filter((post) => post.key === key),
    lookups: () => platform.lookups,
    close: async () => undefined,
  };
}

/** The store as a process that dies at `point` sees it: after the crash no call returns. */
function dyingAt(store: Store, point: CrashPoint, platform: Pick<CrashPlatform, "send">) {
  let dead = false;
  let died: () => void = () => undefined;
  const hasDied = new Promise<void>((resolve) => {
    died = resolve;
  });
  const die = () => {
    dead = true;
    died();
  };
  const unlessDead =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      dead ? never<R>() : call(...args);
  const claims = store.claims;
  const deadClaims = {
    take: async (...args: Parameters<typeof claims.take>) => {
      const taken = await unlessDead(claims.take.bind(claims))(...args);
      if (point === "after the claim") {
        die();
        return never<typeof taken>();
      }
      return taken;
    },
    markSending: async (...args: Parameters<typeof claims.markSending>) => {
      const marked = await unlessDead(claims.markSending.bind(claims))(...args);
      if (point === "after sending is written") {
        die();
        return never<boolean>();
      }
      return marked;
    },
    renew: unlessDead(claims.renew.bind(claims)),
    release: unlessDead(claims.release.bind(claims)),
    complete: (...args: Parameters<typeof claims.complete>) => {
      if (point === "before sent is recorded") die();
      return unlessDead(claims.complete.bind(claims))(...args);
    },
  };
  const ledger = store.ledger;
  const deadLedger = new Proxy(ledger, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (property === "record" && point === "after the response arrives") die();
        return dead ? never() : value.apply(target, args);
      };
    },
  });
  const send: SendMessage = async (target, message, options) => {
    if (dead) return never();
    const sent = await platform.send(target, message, options);
    if (point === "after the request is written") {
      // The post is in the channel; the answer never reaches the process.
      die();
      return never();
    }
    return sent;
  };
  const dyingStore = new Proxy(store, {
    get(target, property, receiver) {
      if (property === "claims") return { ...claims, ...deadClaims };
      if (property === "ledger") return deadLedger;
      return Reflect.get(target, property, receiver);
    },
  });
  return { store: dyingStore, send, hasDied };
}

for (const backend of backends) {
  describe.skipIf(backend.url === undefined)(`a delivery killed at every step, on ${backend.name}`, () => {
    const { open } = useBackendStores(backend);
    let catalog: LiveCatalog;
    beforeAll(async () => {
      catalog = new LiveCatalog(buildCatalog((await loadCorpus("data/papers.txt")).papers));
    });
    const defaults = { time: "09:00", timezone: "UTC", size: 3 };

    /** The survivor: its own store connection, its digests, and its takeover loop (checked by hand). */
    function survivor(store: Store, platform: Pick<CrashPlatform, "send" | "find">) {
      const digests = new DigestService({
        catalog,
        store,
        send: platform.send,
        find: platform.find,
        defaults,
        claimLeaseMs: LEASE_MS,
      });
      const takeover = new Takeover({
        claims: store.claims,
        ticks: new TickCoordinator(store.claims, { leaseMs: LEASE_MS }),
        sweep: async () => undefined,
        serves: () => true,
        async deliver(key) {
          const [, target, date] = /^digest:(.+)@(.+)$/.exec(key) ?? [];
          if (target && date) await digests.deliver(target, date);
        },
      });
      return { digests, takeover };
    }

    /** Checks for lapsed claims until the target's day is sent, as the loop would every few seconds. */
    async function takeOverUntilSent(store: Store, takeover: Takeover, key: string, withinMs: number) {
      const started = Date.now();
      while (Date.now() - started < withinMs) {
        await takeover.check();
        if ((await store.claims.read(key))?.state === "sent") return Date.now() - started;
        await sleep(50);
      }
      throw new Error(
        `${key} was not sent within ${withinMs} ms; claim: ${JSON.stringify(await store.claims.read(key))}`,
      );
    }

    const platforms: readonly { readonly name: string; start(): Promise<CrashPlatform> }[] = [
      { name: "a stand-in", start: async () => standIn(new StandInPlatform(), "slack:CSTANDIN") },
      { name: "the Slack fake", start: slackFake },
      { name: "the Discord fake", start: discordFake },
    ];
    for (const { name, start } of platforms) {
      describe(`through ${name}`, () => {
        let platform: CrashPlatform;
        beforeAll(async () => {
          platform = await start();
        });
        afterAll(() => platform.close());

        for (const [index, point] of crashPoints.entries()) {
          it(`killed ${point}: the survivor takes over and the channel gets exactly one post`, async () => {
            const [dyingSide, survivingSide] = [await open(), await open()];
            const { target } = platform;
            // A day of its own per case, so that each case's posts are its own in the shared channel.
            const date = `2025-03-${String(10 + index).padStart(2, "0")}`;
            const channelId = target.slice(target.indexOf(":") + 1);
            await dyingSide.channels.put(
              defaultChannelSettings({
                platform: target.startsWith("discord:") ? "discord" : "slack",
                channelId,
                setupBy: "U1",
              }),
            );
            const dying = dyingAt(dyingSide, point, platform);
            const killed = new DigestService({
              catalog,
              store: dying.store,
              send: dying.send,
              find: platform.find,
              defaults,
              claimLeaseMs: LEASE_MS,
            });
            void killed.deliver(target, date);
            await dying.hasDied;
            const lookupsBefore = platform.lookups();

            const { takeover } = survivor(survivingSide, platform);
            const key = deliveryKey(target, date);
            await takeOverUntilSent(survivingSide, takeover, key, 20 * LEASE_MS);

            const posts = platform.postsFor(key);
            expect(posts).toHaveLength(1);
            const day = (await survivingSide.ledger.history(target)).filter((d) => d.localDate === date);
            expect(day).toHaveLength(1);
            expect(day[0]?.messageId).toBe(posts[0]?.id);
            expect(day[0]?.paperIds.length).toBeGreaterThan(0);
            expect((await survivingSide.claims.read(key))?.messageId).toBe(posts[0]?.id);
            // A look-up only for a claim left sending without a ledger entry.
            const lookedUp = point !== "after the claim" && point !== "before sent is recorded";
            expect(platform.lookups() - lookupsBefore).toBe(lookedUp ? 1 : 0);
          });
        }
      });
    }

    it("an unknown outcome (no kill) is looked up, found, and recorded, not posted again", async () => {
      const store = await open();
      const target = "slack:CUNKNOWN";
      await store.channels.put(
        defaultChannelSettings({ platform: "slack", channelId: "CUNKNOWN", setupBy: "U1" }),
      );
      const platform = new StandInPlatform();
      const timingOut: SendMessage = async (...args) => {
        await platform.send(...args);
        throw new OutcomeUnknownError("the request timed out after it was written");
      };
      const first = new DigestService({
        catalog,
        store,
        send: timingOut,
        find: platform.find,
        defaults,
        claimLeaseMs: LEASE_MS,
      });
      await expect(first.deliver(target, DATE)).rejects.toThrow(/timed out/);
      expect((await store.claims.read(deliveryKey(target, DATE)))?.state).toBe("sending");
      const { takeover } = survivor(store, platform);
      await takeOverUntilSent(store, takeover, deliveryKey(target, DATE), 20 * LEASE_MS);
      expect(platform.postsTo(target)).toHaveLength(1);
      expect(platform.lookups).toBe(1);
    });

    it("a look-up that gets no answer is tried a bounded number of times, then the admin is told, and nothing is posted", async () => {
      const store = await open();
      const target = "slack:CNOANSWER";
      await store.channels.put(
        defaultChannelSettings({ platform: "slack", channelId: "CNOANSWER", setupBy: "UADMIN" }),
      );
      const key = deliveryKey(target, DATE);
      // A send that began and was never confirmed: the dead holder's claim, left sending.
      expect(await store.claims.claim(key, "killed", 50)).toBe(true);
      expect(await store.claims.markSending(key, "killed", 50, '{"kind":"digest","paperIds":["x"]}')).toBe(
        true,
      );
      await sleep(80);
      const platform = new StandInPlatform();
      platform.unreachable = true;
      const told: string[] = [];
      const digests = new DigestService({
        catalog,
        store,
        send: async (to, message, options) => {
          if (to === "slack:user:UADMIN") {
            told.push(message.text);
            return {};
          }
          return platform.send(to, message, options);
        },
        find: platform.find,
        defaults,
        claimLeaseMs: LEASE_MS,
      });
      for (let lookup = 1; lookup <= MAX_LOOKUPS; lookup++) {
        expect((await digests.deliver(target, DATE)).status).toBe("unconfirmed");
        expect(await store.claims.read(key)).toMatchObject({ state: "sending", takeovers: lookup });
        if (lookup === MAX_LOOKUPS) break;
        // Held for the retry wait: let it lapse for the next try at once.
        await store.claims.renew(key, (await store.claims.read(key))?.holder ?? "", 1);
        await sleep(5);
      }
      expect(platform.lookups).toBe(MAX_LOOKUPS);
      expect(told).toHaveLength(1);
      expect(told[0]).toMatch(/could not check whether the post arrived/);
      // Held for a day: nothing looks or posts again meanwhile.
      expect((await digests.deliver(target, DATE)).status).toBe("already-delivered");
      expect(platform.posts).toHaveLength(0);
    });

    it("a channel deleted between the send and the look-up: nothing posted, the day held, the failure counted", async () => {
      const store = await open();
      const target = "slack:CGONE";
      await store.channels.put(
        defaultChannelSettings({ platform: "slack", channelId: "CGONE", setupBy: "U1" }),
      );
      const key = deliveryKey(target, DATE);
      expect(await store.claims.claim(key, "killed", 50)).toBe(true);
      expect(await store.claims.markSending(key, "killed", 50, "{}")).toBe(true);
      await sleep(80);
      const platform = new StandInPlatform();
      platform.gone = true;
      const { digests } = survivor(store, platform);
      expect((await digests.deliver(target, DATE)).status).toBe("unconfirmed");
      expect(platform.posts).toHaveLength(0);
      expect((await store.channels.get(target))?.failures).toBe(1);
      expect((await digests.deliver(target, DATE)).status).toBe("already-delivered");
    });
  });
}
