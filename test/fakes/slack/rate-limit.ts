import type { ServerResponse } from "node:http";

/**
 * Slack's limits on `chat.postMessage`, for the fake, off until enable(): about one message per
 * second per channel with short bursts allowed, and a workspace-wide cap Slack does not publish
 * ("several hundred messages a minute"). Each is a token bucket: `perSecond` tokens flow in, at most
 * `burst` are kept, a post takes one from its channel's bucket and one from the workspace's.
 * A post over either limit gets what Slack answers: HTTP 429, `Retry-After` in whole seconds and
 * `{ ok: false, error: "ratelimited" }`; nothing is posted.
 */

export interface PostRateLimits {
  /** Per channel (Slack: 1 per second, "short bursts >1 allowed"). */
  readonly channel?: { readonly perSecond: number; readonly burst: number };
  /** Per workspace, all channels together; unset, no workspace-wide cap. */
  readonly workspace?: { readonly perSecond: number; readonly burst: number };
}

class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new RangeError("a rate needs perSecond > 0 and burst >= 1");
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  /** Milliseconds until a token is there (0: there is one now). */
  waitMs(now: number): number {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.perSecond);
    this.#updatedAt = now;
    return this.#tokens >= 1 ? 0 : ((1 - this.#tokens) / this.perSecond) * 1000;
  }

  take(): void {
    this.#tokens -= 1;
  }
}

export class PostRateLimiter {
  /** Posts refused with a 429, and let through, since enable(). */
  refused = 0;
  allowed = 0;
  #limits: PostRateLimits | undefined;
  #workspace: TokenBucket | undefined;
  readonly #channels = new Map<string, TokenBucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Switches the limits on (again, with full buckets). */
  enable(limits: PostRateLimits): void {
    this.#limits = limits;
    this.#channels.clear();
    const { workspace } = limits;
    this.#workspace = workspace && new TokenBucket(workspace.perSecond, workspace.burst, this.now());
    this.refused = 0;
    this.allowed = 0;
  }

  disable(): void {
    this.#limits = undefined;
  }

  /**
   * The fake's hook: answers 429 and returns true when this call is a `chat.postMessage` over a
   * limit; otherwise counts it against the limits and returns false.
   */
  refuse(method: string, args: Readonly<Record<string, unknown>>, response: ServerResponse): boolean {
    const limits = this.#limits;
    if (!limits || method !== "chat.postMessage") return false;
    const now = this.now();
    const channelId = String(args.channel ?? "");
    let channel = this.#channels.get(channelId);
    if (!channel && limits.channel) {
      channel = new TokenBucket(limits.channel.perSecond, limits.channel.burst, now);
      this.#channels.set(channelId, channel);
    }
    const waitMs = Math.max(channel?.waitMs(now) ?? 0, this.#workspace?.waitMs(now) ?? 0);
    if (waitMs === 0) {
      channel?.take();
      this.#workspace?.take();
      this.allowed++;
      return false;
    }
    this.refused++;
    response
      .writeHead(429, {
        "content-type": "application/json",
        // Slack gives whole seconds, and never 0 for a refusal.
        "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))),
      })
      .end(JSON.stringify({ ok: false, error: "ratelimited" }));
    return true;
  }
}
