import { parseTargetKey } from "../core/target.ts";
import { StoreError } from "./errors.ts";
import { RecordCollection, type RecordKind } from "./record-collection.ts";
import { type PersonalAlerts, type UserSubscriptions, userSubscriptionsSchema } from "./schemas.ts";
import { MAX_TOPICS_PER_USER, normalizeTopic, sameTopic } from "./topics.ts";

export const subscriptionKind: RecordKind<UserSubscriptions> = {
  name: "subscriptions",
  schema: userSubscriptionsSchema,
  keyOf: (subscriptions) => subscriptions.user,
  stamp: (subscriptions, nowIso) => ({ ...subscriptions, updatedAt: nowIso }),
};

export type AddTopicResult =
  | { readonly outcome: "added" | "duplicate"; readonly subscriptions: UserSubscriptions }
  /** The user already follows MAX_TOPICS_PER_USER topics. */
  | { readonly outcome: "too-many"; readonly subscriptions: UserSubscriptions }
  /** Empty after trimming, or longer than MAX_TOPIC_LENGTH. */
  | { readonly outcome: "invalid" };

/** Each user's topic alerts, keyed by the user's target key (`discord:user:42`). */
export class SubscriptionStore extends RecordCollection<UserSubscriptions> {
  /**
   * Follows `topic` for the user, creating their record on first use. Topics are compared case-
   * and whitespace-insensitively, so adding "Diffusion  models" after "diffusion models" is a duplicate.
   */
  async addTopic(userKey: string, topic: string): Promise<AddTopicResult> {
    const user = parseUserKey(userKey);
    const wanted = normalizeTopic(topic);
    if (wanted === undefined) return { outcome: "invalid" };
    const follows = (subscriptions: UserSubscriptions | undefined) =>
      subscriptions?.topics.some((followed) => sameTopic(followed.topic, wanted)) ?? false;
    const result = await this.modify(userKey, (current) => {
      if (follows(current) || (current?.topics.length ?? 0) >= MAX_TOPICS_PER_USER) return undefined;
      const base = current ?? {
        schemaVersion: 1 as const,
        user: userKey,
        platform: user.platform,
        userId: user.id,
        topics: [],
        updatedAt: this.calls.nowIso(),
      };
      return { ...base, topics: [...base.topics, { topic: wanted, addedAt: this.calls.nowIso() }] };
    });
    // Not written means the user has records already: either the topic is there or the list is full.
    if (result.after === undefined)
      throw new StoreError(`store: adding a topic for "${userKey}" wrote nothing`);
    const outcome = result.written ? "added" : follows(result.before) ? "duplicate" : "too-many";
    return { outcome, subscriptions: result.after };
  }

  /** Sets the person's digest schedule, creating their record on first use; clears a pause of their alerts. */
  async setAlerts(userKey: string, alerts: Omit<PersonalAlerts, "since">): Promise<UserSubscriptions> {
    const user = parseUserKey(userKey);
    return this.upsert(userKey, (current) => {
      const base = current ?? {
        schemaVersion: 1 as const,
        user: userKey,
        platform: user.platform,
        userId: user.id,
        topics: [],
        updatedAt: this.calls.nowIso(),
      };
      const { alertsPausedReason: _cleared, ...rest } = base;
      return { ...rest, alerts: { ...alerts, since: this.calls.nowIso() } };
    });
  }

  /** Stops following `topic` (compared as in addTopic); `false` when the user did not follow it. */
  async removeTopic(userKey: string, topic: string): Promise<boolean> {
    parseUserKey(userKey);
    const result = await this.modify(userKey, (current) => {
      if (current === undefined || !current.topics.some((followed) => sameTopic(followed.topic, topic))) {
        return undefined;
      }
      return { ...current, topics: current.topics.filter((followed) => !sameTopic(followed.topic, topic)) };
    });
    return result.written;
  }
}

function parseUserKey(userKey: string) {
  const target = parseTargetKey(userKey);
  if (target?.kind !== "user")
    throw new StoreError(`store: "${userKey}" is not a user key such as discord:user:42`);
  return target;
}
