import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { RunCoordinator } from "node-cron";
import type { Claims } from "../store/index.ts";

/**
 * How long a tick's claim lasts at least. Every process sharing the store asks for the same tick
 * within node-cron's 1 s missed-execution tolerance, or later on a missed run; the claim only has
 * to outlive that spread, since each tick has a key of its own and is never asked for again.
 */
const MIN_TICK_LEASE_MS = 10 * 60 * 1000;

/**
 * node-cron's `distributed` run coordinator backed by the store's atomic claim: of N processes on
 * one store, the first to claim a tick runs it, the others skip it. node-cron's key is the task
 * name plus the tick's instant, so identical processes name the same tick alike.
 *
 * `scope` separates processes that do not do the same work (one serving Discord, another Slack):
 * each scope elects its own runner. The claim is never released on completion: a process whose
 * timer fires a moment after the winner finished must still find the tick taken.
 */
export function claimRunCoordinator(
  claims: Pick<Claims, "claim">,
  options: { readonly scope?: () => string } = {},
): RunCoordinator {
  return {
    shouldRun(key: string, ttlMs: number): Promise<boolean> {
      const scope = options.scope?.() ?? "";
      const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
      return claims.claim(`cron:${scope}:${key}`, holder, Math.max(ttlMs, MIN_TICK_LEASE_MS));
    },
  };
}
