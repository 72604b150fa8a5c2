import { describe, expect, it } from "vitest";
import { DeliveryClaim, deliveryKey } from "../../src/digest/delivery-claim.ts";
import { MemoryClaims, quietLog } from "./memory-seams.ts";

const LEASE_MS = 1000;
const newClaim = (claims: MemoryClaims) => new DeliveryClaim(claims, "discord:c1", "2026-11-26", quietLog);

/** A claim that holds its day, on claims of its own. */
async function heldClaim(): Promise<{ claims: MemoryClaims; claim: DeliveryClaim }> {
  const claims = new MemoryClaims();
  const claim = newClaim(claims);
  await claim.take(LEASE_MS);
  return { claims, claim };
}

describe("a delivery's claim on its day", () => {
  it("lets one attempt in per target and day, keyed like its sends", async () => {
    const claims = new MemoryClaims();
    const first = newClaim(claims);
    expect(first.key).toBe(deliveryKey("discord:c1", "2026-11-26"));
    expect(await first.take(LEASE_MS)).toBe(true);
    expect(await newClaim(claims).take(LEASE_MS)).toBe(false);
    await first.complete();
    claims.now += 10 * LEASE_MS;
    expect(await newClaim(claims).take(LEASE_MS)).toBe(false);
  });

  it("refuses to complete once another attempt took the day over after the lease, and leaves that one's claim", async () => {
    const claims = new MemoryClaims();
    const slow = newClaim(claims);
    await slow.take(LEASE_MS);
    claims.now += LEASE_MS;
    const next = newClaim(claims);
    expect(await next.take(LEASE_MS)).toBe(true);
    await expect(slow.complete()).rejects.toThrow("taken over by another process");
    expect(slow.settled).toBe(true);
    await slow.reopen();
    expect(claims.state(slow.key)).toEqual({ holder: next.holder, completed: false });
  });

  it("reopens the day when nothing was sent, so a later run delivers", async () => {
    const { claims, claim } = await heldClaim();
    await claim.reopen();
    expect(claims.state(claim.key)).toBeUndefined();
    expect(await newClaim(claims).take(LEASE_MS)).toBe(true);
  });

  it("never reopens a day it completed", async () => {
    const { claims, claim } = await heldClaim();
    await claim.complete();
    await claim.reopen();
    expect(claims.state(claim.key)).toEqual({ holder: claim.holder, completed: true });
  });

  it("once abandoned at shutdown, aborts its waits and refuses to complete", async () => {
    const { claims, claim } = await heldClaim();
    claim.abandon();
    expect(claim.signal.aborted).toBe(true);
    await expect(claim.complete()).rejects.toThrow("abandoned at shutdown");
    await claim.releaseQuietly();
    expect(claims.state(claim.key)).toBeUndefined();
  });

  it("releases quietly when the store fails, leaving the day to its lease", async () => {
    const claims = new MemoryClaims();
    const claim = new DeliveryClaim(
      {
        claim: claims.claim.bind(claims),
        complete: claims.complete.bind(claims),
        release: async () => {
          throw new Error("store down");
        },
      },
      "discord:c1",
      "2026-11-26",
      quietLog,
    );
    await claim.take(LEASE_MS);
    await expect(claim.releaseQuietly()).resolves.toBeUndefined();
    claims.now += LEASE_MS;
    expect(await newClaim(claims).take(LEASE_MS)).toBe(true);
  });
});
