import { StoreError } from "./errors.ts";
import { RecordCollection, type RecordKind } from "./record-collection.ts";
import { type PersonalAlerts, type UserSubscriptions, userSubscriptionsSchema } from "./schemas.ts";
import { MAX_TOPICS_PER_USER, normalizeTopic, sameTopic } from "./topics.ts";
import { parseUserKey, userRecordBase } from "./user-key.ts";

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
    parseUserKey(userKey);
    const wanted = normalizeTopic(topic);
    if (wanted === undefined) return { outcome: "invalid" };
    const follows = (subscriptions: UserSubscriptions | undefined) =>
      subscriptions?.topics.some((followed) => sameTopic(followed.topic, wanted)) ?? false;
    const result = await this.modify(userKey, (current) => {
      if (follows(current) || (current?.topics.length ?? 0) >= MAX_TOPICS_PER_USER) return undefined;
      const base = current ?? this.#fresh(userKey);
      return { ...base, topics: [...base.topics, { topic: wanted, addedAt: this.calls.nowIso() }] };
    });
    // Not written means the user has records already: either the topic is there or the list is full.
    if (result.after === undefined)
      throw new StoreError(`store: adding a topic for "${userKey}" wrote nothing`);
    const outcome = result.written ? "added" : follows(result.before) ? "duplicate" : "too-many";
    return { outcome, subscriptions: result.after };
  }

  /**
   * Sets the person's digest schedule, creating their record on first use, and clears a pause of
   * their alerts. A time or zone not given keeps the one set before; a day counts for weekly only.
   */
  async setAlerts(userKey: string, alerts: Omit<PersonalAlerts, "since">): Promise<UserSubscriptions> {
    parseUserKey(userKey);
    return this.upsert(userKey, (current) => {
      const { alertsPausedReason: _cleared, ...rest } = current ?? this.#fresh(userKey);
      const before = rest.alerts;
      const time = alerts.time ?? before?.time;
      const timezone = alerts.timezone ?? before?.timezone;
      const day = alerts.cadence === "weekly" ? (alerts.day ?? before?.day) : undefined;
      return {
        ...rest,
        alerts: {
          cadence: alerts.cadence,
          ...(time !== undefined && { time }),
          ...(timezone !== undefined && { timezone }),
          ...(day !== undefined && { day }),
          since: this.calls.nowIso(),
        },
      };
    });
  }

  /** A person's first record: no topics, the default schedule. */
  #fresh(userKey: string): UserSubscriptions {
    return { ...userRecordBase(userKey, this.calls.nowIso()), topics: [] };
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
