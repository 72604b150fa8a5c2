import { describe, expect, it } from "vitest";
import { DeliveryClaim, deliveryKey, parseDeliveryKey } from "../../src/digest/delivery-claim.ts";
import { MemoryClaims, quietLog } from "./memory-seams.ts";

const LEASE_MS = 1000;
const newClaim = (claims: MemoryClaims, leaseMs = LEASE_MS) =>
  new DeliveryClaim(claims, "discord:c1", "2026-11-26", leaseMs, quietLog);

/** A claim that holds its day, on claims of its own. */
async function heldClaim(): Promise<{ claims: MemoryClaims; claim: DeliveryClaim }> {
  const claims = new MemoryClaims();
  const claim = newClaim(claims);
  await claim.take();
  return { claims, claim };
}

describe("a delivery's claim on its day", () => {
  it("lets one attempt in per target and day, keyed like its sends, and reads the key back", async () => {
    const claims = new MemoryClaims();
    const first = newClaim(claims);
    expect(first.key).toBe(deliveryKey("discord:c1", "2026-11-26"));
    expect(parseDeliveryKey(first.key)).toEqual({ targetKey: "discord:c1", localDate: "2026-11-26" });
    expect(parseDeliveryKey("cron:discord:digest sweep:2026-11-26T09:00:00.000Z")).toBeUndefined();
    expect(parseDeliveryKey("digest:discord:c1@yesterday")).toBeUndefined();
    expect(await first.take()).toEqual({ state: "claimed" });
    expect(await newClaim(claims).take()).toBeUndefined();
    await first.complete("m1");
    claims.now += 10 * LEASE_MS;
    expect(await newClaim(claims).take()).toBeUndefined();
  });

  it("refuses to send once another attempt took the day over after the lease, and leaves that one's claim", async () => {
    const claims = new MemoryClaims();
    const slow = newClaim(claims);
    await slow.take();
    claims.now += LEASE_MS;
    const next = newClaim(claims);
    expect(await next.take()).toEqual({ state: "claimed" });
    await expect(slow.markSending("{}")).rejects.toThrow("taken over by another process");
    expect(slow.settled).toBe(true);
    await slow.reopen();
    await slow.giveUp(false);
    expect(claims.state(slow.key)?.holder).toBe(next.holder);
  });

  it("reopens the day when nothing was sent, so a later run delivers", async () => {
    const { claims, claim } = await heldClaim();
    await claim.reopen();
    expect(claims.state(claim.key)).toBeUndefined();
    expect(await newClaim(claims).take()).toEqual({ state: "claimed" });
  });

  it("never reopens a day it completed", async () => {
    const { claims, claim } = await heldClaim();
    await claim.complete();
    await claim.reopen();
    expect(claims.state(claim.key)?.state).toBe("sent");
  });

  it("leaves a send that may have posted to lapse for a look-up, and hands it over as sending", async () => {
    const { claims, claim } = await heldClaim();
    await claim.markSending('{"kind":"digest","paperIds":["p1"]}');
    await claim.giveUp(true);
    expect(claims.state(claim.key)?.state).toBe("sending");
    // Not before a post still on its way could have landed: one more lease.
    claims.now += LEASE_MS - 1;
    expect(await newClaim(claims).take()).toBeUndefined();
    claims.now += 1;
    expect(await newClaim(claims).take()).toEqual({
      state: "sending",
      sendingAt: 0,
      detail: '{"kind":"digest","paperIds":["p1"]}',
      takeovers: 1,
    });
  });

  it("renews its lease while sending, so a slow send is not taken over", async () => {
    const claims = new MemoryClaims();
    const claim = newClaim(claims, 30);
    await claim.take();
    await claim.markSending("{}");
    await new Promise((resolve) => setTimeout(resolve, 60));
    // The heartbeat (every 10 ms) kept the lease ahead of the clock the test moves.
    claims.now += 25;
    expect(await newClaim(claims).take()).toBeUndefined();
    await claim.complete("m1");
  });

  it("once abandoned at shutdown, aborts its waits and refuses to start sending", async () => {
    const { claims, claim } = await heldClaim();
    claim.abandon();
    expect(claim.signal.aborted).toBe(true);
    await expect(claim.markSending("{}")).rejects.toThrow("abandoned at shutdown");
    await claim.giveUp(false);
    expect(claims.state(claim.key)).toBeUndefined();
  });

  it("gives back quietly when the store fails, leaving the day to its lease", async () => {
    const claims = new MemoryClaims();
    const claim = new DeliveryClaim(
      {
        take: claims.take.bind(claims),
        renew: claims.renew.bind(claims),
        markSending: claims.markSending.bind(claims),
        complete: claims.complete.bind(claims),
        release: async () => {
          throw new Error("store down");
        },
      },
      "discord:c1",
      "2026-11-26",
      LEASE_MS,
      quietLog,
    );
    await claim.take();
    await expect(claim.giveUp(false)).resolves.toBeUndefined();
    claims.now += LEASE_MS;
    expect(await newClaim(claims).take()).toEqual({ state: "claimed" });
  });
});
