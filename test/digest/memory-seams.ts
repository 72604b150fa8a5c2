import type { Message } from "../../src/core/message.ts";
import { log } from "../../src/log.ts";
import type { SendMessage, SendOptions } from "../../src/platforms/contract.ts";
import type { ChannelSettings, Taken, UserSubscriptions } from "../../src/store/index.ts";

/**
 * Small in-memory stand-ins for what the digest pipeline's pieces talk to, so each piece is tested
 * at its seam: the store's claims (with leases on a clock the test moves), its settings
 * collections, and a platform that records what it was asked to send.
 */

export const quietLog = log.child({ test: "digest-seams" });

type MemoryClaim = {
  holder: string;
  expiresAt: number;
  state: "claimed" | "sending" | "sent";
  sendingAt?: number;
  detail?: string;
  messageId?: string;
  takeovers: number;
};

/** Claims with the store's semantics (src/store/claims.ts): leases, the three states, holder-only changes. */
export class MemoryClaims {
  readonly #claims = new Map<string, MemoryClaim>();
  now = 0;

  async take(key: string, holder: string, leaseMs: number): Promise<Taken | undefined> {
    const current = this.#claims.get(key);
    if (current && current.expiresAt > this.now) return undefined;
    if (current?.state === "sending") {
      current.holder = holder;
      current.expiresAt = this.now + leaseMs;
      current.takeovers += 1;
      return {
        state: "sending",
        sendingAt: current.sendingAt ?? 0,
        detail: current.detail,
        takeovers: current.takeovers,
      };
    }
    this.#claims.set(key, { holder, expiresAt: this.now + leaseMs, state: "claimed", takeovers: 0 });
    return { state: "claimed" };
  }

  async renew(key: string, holder: string, leaseMs: number): Promise<boolean> {
    const current = this.#claims.get(key);
    if (!current || current.holder !== holder || current.state === "sent") return false;
    current.expiresAt = this.now + leaseMs;
    return true;
  }

  async markSending(key: string, holder: string, leaseMs: number, detail: string): Promise<boolean> {
    const current = this.#claims.get(key);
    if (!current || current.holder !== holder || current.state === "sent") return false;
    Object.assign(current, {
      state: "sending",
      sendingAt: current.sendingAt ?? this.now,
      expiresAt: this.now + leaseMs,
      detail,
    });
    return true;
  }

  async complete(key: string, holder: string, messageId?: string): Promise<boolean> {
    const current = this.#claims.get(key);
    if (!current || current.holder !== holder) return false;
    Object.assign(current, { state: "sent", expiresAt: Number.POSITIVE_INFINITY, messageId });
    return true;
  }

  async release(key: string, holder: string): Promise<boolean> {
    if (this.#claims.get(key)?.holder !== holder) return false;
    this.#claims.delete(key);
    return true;
  }

  /** The claim as stored (lapsed or not); undefined when there is none. */
  state(key: string): Readonly<MemoryClaim> | undefined {
    const current = this.#claims.get(key);
    return current && { ...current };
  }
}

/** One settings collection: get, list, and update-in-place as the store's collections do. */
export class MemoryCollection<T> {
  readonly records = new Map<string, T>();

  constructor(records: Iterable<readonly [string, T]> = []) {
    for (const [key, value] of records) this.records.set(key, value);
  }

  async get(key: string): Promise<T | undefined> {
    return this.records.get(key);
  }

  async list(): Promise<T[]> {
    return [...this.records.values()];
  }

  async update(key: string, change: (current: T) => T): Promise<T | undefined> {
    const current = this.records.get(key);
    if (current === undefined) return undefined;
    const next = change(current);
    this.records.set(key, next);
    return next;
  }
}

export function memorySettings(
  channels: readonly ChannelSettings[] = [],
  users: readonly UserSubscriptions[] = [],
) {
  return {
    channels: new MemoryCollection(channels.map((settings) => [settings.target, settings] as const)),
    subscriptions: new MemoryCollection(
      users.map((subscriptions) => [subscriptions.user, subscriptions] as const),
    ),
  };
}

export function subscriptions(
  userId: string,
  topics: readonly string[],
  extra: Partial<UserSubscriptions> = {},
) {
  return {
    schemaVersion: 1,
    user: `console:user:${userId}`,
    platform: "console",
    userId,
    topics: topics.map((topic) => ({ topic, addedAt: "2026-11-20T10:00:00.000Z" })),
    updatedAt: "2026-11-20T10:00:00.000Z",
    ...extra,
  } satisfies UserSubscriptions;
}

/** A platform that records every send, and fails the ones `fail` answers with an error for. */
export function recordingPlatform(
  fail: (target: string, call: number) => Error | undefined = () => undefined,
) {
  const sent: { target: string; message: Message; options: SendOptions | undefined }[] = [];
  let calls = 0;
  const send: SendMessage = async (target, message, options) => {
    calls += 1;
    const error = fail(target, calls);
    if (error) throw error;
    sent.push({ target, message, options });
    return { messageId: `m${calls}` };
  };
  return { send, sent, calls: () => calls };
}
