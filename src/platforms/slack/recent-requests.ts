/**
 * Remembers which requests already ran, for a few minutes. Slack re-sends a slash command or a
 * button press it thinks timed out (`X-Slack-Retry-Num` over HTTP, a re-delivered envelope in
 * Socket Mode); the copy carries the same `trigger_id`, and must be acknowledged but not run.
 */
export class RecentRequests {
  /** Identity -> when it may be forgotten. Insertion order is expiry order, so pruning stops early. */
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 5 * 60_000,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `identity` is seen within the window; false for a repeat. */
  claim(identity: string): boolean {
    const now = this.now();
    for (const [key, expires] of this.#seen) {
      if (expires > now && this.#seen.size < this.maxEntries) break;
      this.#seen.delete(key);
    }
    if (this.#seen.has(identity)) return false;
    this.#seen.set(identity, now + this.windowMs);
    return true;
  }
}
