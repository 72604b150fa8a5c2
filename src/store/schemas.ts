import { z } from "zod";
import { parseTargetKey, targetKey } from "../core/target.ts";
import { isValidTimeZone } from "../core/time-zone.ts";

/**
 * The records the store keeps, as zod schemas. They are checked when READ (a record on disk may
 * be hand-edited, truncated or from another version) and before every write (so the store never
 * writes a record it could not read back). Unknown fields are dropped on write, which is also
 * why a stray token passed in by mistake never reaches the database.
 * Every value is plain JSON: times are ISO strings, never Date objects.
 */

const isoTime = z.iso.datetime({ offset: true });
const platform = z.enum(["console", "discord", "slack"]);

export const channelSettingsSchema = z
  .object({
    schemaVersion: z.literal(1),
    target: z.string(),
    platform,
    channelId: z.string().min(1),
    channelName: z.string().optional(),
    /** The Discord server or Slack workspace id. */
    guildId: z.string().optional(),
    /** User id of the admin who ran setup. */
    setupBy: z.string().min(1),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM between 00:00 and 23:59"),
    timezone: z.string().refine(isValidTimeZone, "must be an IANA time zone"),
    size: z.int().min(1).max(10),
    topics: z.array(z.string()),
    paused: z.boolean(),
    /** `false` once an admin ran /digest learn off; absent (the default) means the picks learn from 👍/👎. */
    learn: z.boolean().optional(),
    /** Consecutive delivery failures; a success resets it. */
    failures: z.int().min(0),
    disabledReason: z.string().optional(),
    /** `/digest threads on`: every digest opens one discussion thread per paper. Unset: off. */
    threads: z.boolean().optional(),
    /** When the delivery time was last set: a time already past that day starts the next day. */
    scheduleSince: isoTime.optional(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .refine((s) => s.target === targetKey({ kind: "channel", platform: s.platform, id: s.channelId }), {
    message: "target does not match platform and channelId",
    path: ["target"],
  });

export type ChannelSettings = z.infer<typeof channelSettingsSchema>;

export const subscribedTopicSchema = z.object({ topic: z.string().min(1), addedAt: isoTime });

export type SubscribedTopic = z.infer<typeof subscribedTopicSchema>;

/** A person's own schedule for their direct-message digest (/papers alerts). */
export const personalAlertsSchema = z.object({
  cadence: z.enum(["daily", "weekly", "off"]),
  /** "HH:MM"; unset: the bot's default alert time. */
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .optional(),
  /** IANA zone; unset: the bot's default. */
  timezone: z.string().min(1).optional(),
  /** The day of a weekly digest. */
  day: z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]).optional(),
  /** When the schedule was last set: a due time before it does not count. */
  since: isoTime,
});

export type PersonalAlerts = z.infer<typeof personalAlertsSchema>;

export const userSubscriptionsSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** The user's target key, e.g. `discord:user:42`. */
    user: z.string(),
    platform,
    userId: z.string().min(1),
    topics: z.array(subscribedTopicSchema),
    /** Set when alerts stopped on their own (e.g. the user's DMs are closed); cleared by the user. */
    alertsPausedReason: z.string().optional(),
    /** Unset: daily at the bot's default time, while the person follows a topic. */
    alerts: personalAlertsSchema.optional(),
    updatedAt: isoTime,
  })
  .refine((s) => s.user === targetKey({ kind: "user", platform: s.platform, id: s.userId }), {
    message: "user does not match platform and userId",
    path: ["user"],
  });

export type UserSubscriptions = z.infer<typeof userSubscriptionsSchema>;

export const savedPaperSchema = z.object({ paperId: z.string().min(1), savedAt: isoTime });

export type SavedPaper = z.infer<typeof savedPaperSchema>;

/** The papers one person saved (/papers save), oldest first as saved. */
export const savedPapersSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** The user's target key, e.g. `discord:user:42`. */
    user: z.string(),
    platform,
    userId: z.string().min(1),
    papers: z.array(savedPaperSchema),
    updatedAt: isoTime,
  })
  .refine((s) => s.user === targetKey({ kind: "user", platform: s.platform, id: s.userId }), {
    message: "user does not match platform and userId",
    path: ["user"],
  });

export type SavedPapers = z.infer<typeof savedPapersSchema>;

export const listedPaperSchema = z.object({
  paperId: z.string().min(1),
  /** User id of whoever added it: they, or an admin, may remove it. */
  addedBy: z.string().min(1),
  /** Their display name when they added it, shown as text (never a mention). */
  addedByName: z.string().max(100).optional(),
  addedAt: isoTime,
});

export type ListedPaper = z.infer<typeof listedPaperSchema>;

/** A channel's reading list (/digest list), in the order papers were added; each paper once. */
export const channelReadingListSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** The channel's target key, e.g. `discord:123`. */
    channel: z.string(),
    platform,
    channelId: z.string().min(1),
    papers: z.array(listedPaperSchema),
    updatedAt: isoTime,
  })
  .refine((s) => s.channel === targetKey({ kind: "channel", platform: s.platform, id: s.channelId }), {
    message: "channel does not match platform and channelId",
    path: ["channel"],
  })
  .refine((s) => new Set(s.papers.map((paper) => paper.paperId)).size === s.papers.length, {
    message: "a paper is listed twice",
    path: ["papers"],
  });

export type ChannelReadingList = z.infer<typeof channelReadingListSchema>;

/**
 * Who keeps one paper saved (/papers save), kept beside each person's own record so that "saved by
 * N people" is one read per paper. Never shown: only its size is.
 */
export const paperSaversSchema = z.object({
  schemaVersion: z.literal(1),
  paperId: z.string().min(1),
  /** The savers' user target keys, each once. */
  savers: z.array(z.string().min(1)),
  updatedAt: isoTime,
});

export type PaperSavers = z.infer<typeof paperSaversSchema>;

export const ratingSchema = z.object({
  paperId: z.string().min(1),
  value: z.enum(["up", "down"]),
  ratedAt: isoTime,
  /** The channel's target key when the rating was given on a channel's post: its profile learns from it. */
  channel: z.string().optional(),
});

export type Rating = z.infer<typeof ratingSchema>;

/** One person's 👍/👎 ratings, one per paper (the latest wins), never shown to anyone else. */
export const userRatingsSchema = z
  .object({
    schemaVersion: z.literal(1),
    user: z.string(),
    platform,
    userId: z.string().min(1),
    ratings: z.array(ratingSchema),
    /**
     * Every channel whose profile one of these ratings was folded into, so /papers forget can take
     * them back out; absent when none was.
     */
    channels: z.array(z.string()).optional(),
    updatedAt: isoTime,
  })
  .refine((s) => s.user === targetKey({ kind: "user", platform: s.platform, id: s.userId }), {
    message: "user does not match platform and userId",
    path: ["user"],
  });

export type UserRatings = z.infer<typeof userRatingsSchema>;

export const channelVoteSchema = z.object({
  paperId: z.string().min(1),
  /** The target key of the person who pressed: one vote per person per paper, the latest wins. */
  user: z.string().min(1),
  value: z.enum(["up", "down"]),
  ratedAt: isoTime,
});

export type ChannelVote = z.infer<typeof channelVoteSchema>;

/**
 * The 👍/👎 given on one channel's posts, in the order given: what its profile learns from. Who
 * voted is kept only so a person's later vote replaces their earlier one and /papers forget can
 * remove theirs; nothing lists it.
 */
export const channelVotesSchema = z
  .object({
    schemaVersion: z.literal(1),
    channel: z.string().min(1),
    votes: z.array(channelVoteSchema),
    updatedAt: isoTime,
  })
  .refine((s) => parseTargetKey(s.channel)?.kind === "channel", {
    message: "channel is not a channel key such as discord:42",
    path: ["channel"],
  });

export type ChannelVotes = z.infer<typeof channelVotesSchema>;
/**
 * The discussion thread of one paper in one channel (the Discuss button): which platform thread
 * belongs to (channel, paper), so a second press joins it instead of opening another.
 */
export const paperThreadSchema = z
  .object({
    schemaVersion: z.literal(1),
    /** `<channel target key> <paper id>`, see paperThreadKey. */
    key: z.string(),
    /** The channel's target key, e.g. `discord:123`. */
    channel: z.string(),
    paperId: z.string().min(1),
    /** The platform's id of the thread: a Discord thread channel, or a Slack reply's ts. */
    threadId: z.string().min(1),
    /** The post the thread is about (a digest or another channel post), when there was one. */
    postId: z.string().min(1).optional(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .refine((thread) => parseTargetKey(thread.channel)?.kind === "channel", {
    message: "channel is not a channel's target key",
    path: ["channel"],
  })
  .refine((thread) => thread.key === `${thread.channel} ${thread.paperId}`, {
    message: "key does not match channel and paperId",
    path: ["key"],
  });

export type PaperThread = z.infer<typeof paperThreadSchema>;

export const deliverySchema = z.object({
  /** The date in the target's own time zone that this delivery is for. */
  localDate: z.iso.date(),
  paperIds: z.array(z.string()),
  deliveredAt: isoTime,
  /** The platform's id of the posted message, when it gives one. */
  messageId: z.string().optional(),
  /** "nothing-new" records a day on which every candidate had already been delivered. */
  kind: z.enum(["digest", "nothing-new"]),
});

export type Delivery = z.infer<typeof deliverySchema>;

/**
 * The ledger's layout before day records: all deliveries to one target in one record. Read only
 * to move such records into one record per (target, local date); see ledger.ts.
 */
export const ledgerSchema = z
  .object({
    schemaVersion: z.literal(1),
    target: z.string(),
    deliveries: z.array(deliverySchema),
  })
  .refine((ledger) => parseTargetKey(ledger.target) !== undefined, {
    message: "target is not a target key",
    path: ["target"],
  });

export type Ledger = z.infer<typeof ledgerSchema>;

/** One line naming each failed field, for logs and errors. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "record"}: ${issue.message}`).join("; ");
}
