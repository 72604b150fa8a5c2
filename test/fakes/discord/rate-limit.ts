/**
 * Discord's global rate limit, for the fake: at most `requestsPerSecond` REST requests per bot
 * per second, interaction callbacks and webhooks (the interaction token's follow-ups) exempt, as
 * Discord documents. A request over the limit gets what Discord answers: 429 with
 * `{ message, retry_after, global: true }`, `Retry-After` in whole seconds (Discord rounds up)
 * and `X-RateLimit-Global` / `X-RateLimit-Scope: global`.
 *
 * The count is kept in one-second windows, each opened by the first request after the previous
 * one closed. That is how discord.js counts its own `globalRequestsPerSecond`, so a client set to
 * the same figure stays just under the limit, and one set higher (or several processes sharing
 * one token) runs into 429s.
 */

export interface GlobalRateLimitReply {
  readonly status: 429;
  readonly body: { readonly message: string; readonly retry_after: number; readonly global: true };
  readonly headers: Record<string, string>;
}

const WINDOW_MS = 1000;

export class GlobalRateLimit {
  /** Requests refused with a 429, and let through, since the fake started. */
  refused = 0;
  allowed = 0;
  #windowStart = Number.NEGATIVE_INFINITY;
  #inWindow = 0;

  constructor(
    readonly requestsPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(requestsPerSecond > 0)) throw new RangeError("requestsPerSecond must be positive");
  }

  /** Counts a request against the limit; the 429 to answer when it is over, else undefined. */
  take(path: string): GlobalRateLimitReply | undefined {
    const parts = path.split("/").filter(Boolean);
    // Interaction callbacks and their webhook follow-ups are not bound by the global limit.
    if (parts[0] === "interactions" || parts[0] === "webhooks") return undefined;
    const now = this.now();
    if (now - this.#windowStart >= WINDOW_MS) {
      this.#windowStart = now;
      this.#inWindow = 0;
    }
    if (this.#inWindow < this.requestsPerSecond) {
      this.#inWindow++;
      this.allowed++;
      return undefined;
    }
    this.refused++;
    const retryAfterSeconds = Math.max(0.001, (this.#windowStart + WINDOW_MS - now) / 1000);
    return {
      status: 429,
      body: {
        message: "You are being rate limited.",
        retry_after: Math.round(retryAfterSeconds * 1000) / 1000,
        global: true,
      },
      headers: {
        "retry-after": String(Math.ceil(retryAfterSeconds)),
        "x-ratelimit-global": "true",
        "x-ratelimit-scope": "global",
      },
    };
  }
}
