import { describe, expect, it } from "vitest";
import { TickCoordinator } from "../../src/schedule/claim-coordinator.ts";
import { Takeover } from "../../src/schedule/takeover.ts";
import type { Store } from "../../src/store/index.ts";
import { useBackendStores } from "../store/backends.ts";

const LEASE_MS = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A survivor's takeover on `store`, counting the sweeps it runs and the deliveries it takes. */
function survivorOn(store: Store) {
  const ticks = new TickCoordinator(store.claims, { leaseMs: LEASE_MS, scope: () => "slack" });
  const seen = { sweeps: 0, deliveries: [] as string[] };
  const takeover = new Takeover({
    claims: store.claims,
    ticks,
    sweep: async () => {
      seen.sweeps += 1;
      await ticks.settle(Date.now());
    },
    serves: (key) => key.startsWith("digest:slack:"),
    deliver: async (key) => {
      seen.deliveries.push(key);
    },
  });
  return { ticks, takeover, seen };
}

describe("survivors take over the work of a process that stopped", () => {
  const { open } = useBackendStores({ name: "sqlite", url: "sqlite" });

  it("runs the tick of a holder that stopped renewing it, once, among two survivors", async () => {
    const store = await open();
    const dead = new TickCoordinator(store.claims, { leaseMs: LEASE_MS, scope: () => "slack" });
    expect(await dead.shouldRun("digest sweep:2026-12-07T09:00:00.000Z")).toBe(true);
    dead.stop(); // the process died: no heartbeat, no completion
    const [first, second] = [survivorOn(await open()), survivorOn(await open())];
    await Promise.all([first.takeover.check(), second.takeover.check()]);
    expect(first.seen.sweeps + second.seen.sweeps).toBe(0);
    await sleep(LEASE_MS + 50);
    await Promise.all([first.takeover.check(), second.takeover.check()]);
    expect(first.seen.sweeps + second.seen.sweeps).toBe(1);
    // Settled after the sweep: nobody runs it again, and a late timer finds it taken.
    await sleep(LEASE_MS + 50);
    await Promise.all([first.takeover.check(), second.takeover.check()]);
    expect(first.seen.sweeps + second.seen.sweeps).toBe(1);
    expect(await first.ticks.shouldRun("digest sweep:2026-12-07T09:00:00.000Z")).toBe(false);
  });

  it("leaves alone a tick whose holder is alive and renewing it through a long run", async () => {
    const store = await open();
    const alive = new TickCoordinator(store.claims, { leaseMs: LEASE_MS, scope: () => "slack" });
    const startedAt = Date.now();
    expect(await alive.shouldRun("digest 09:00 UTC:2026-12-07T09:00:00.000Z")).toBe(true);
    const survivor = survivorOn(await open());
    for (let i = 0; i < 6; i++) {
      await sleep(LEASE_MS / 2);
      await survivor.takeover.check();
    }
    expect(survivor.seen.sweeps).toBe(0);
    await alive.settle(startedAt);
    await sleep(LEASE_MS + 50);
    await survivor.takeover.check();
    expect(survivor.seen.sweeps).toBe(0);
  });

  it("takes only its own scope's ticks and the deliveries of platforms it runs", async () => {
    const store = await open();
    expect(await store.claims.claim("cron:discord:digest sweep:t", "dead", 100)).toBe(true);
    expect(await store.claims.claim("digest:discord:C1@2026-12-07", "dead", 100)).toBe(true);
    expect(await store.claims.claim("digest:slack:C1@2026-12-07", "dead", 100)).toBe(true);
    await sleep(130);
    const survivor = survivorOn(await open());
    await survivor.takeover.check();
    expect(survivor.seen.sweeps).toBe(0);
    expect(survivor.seen.deliveries).toEqual(["digest:slack:C1@2026-12-07"]);
  });
});
