export { type ChannelRating, type ChannelVoteStore, MAX_VOTES_PER_CHANNEL } from "./channel-votes.ts";
export { defaultChannelSettings, type NewChannel } from "./channels.ts";
export { type ClaimRecord, Claims, COMPLETED_CLAIM_RETENTION_MS, type Taken } from "./claims.ts";
export { StoreError, StoreOpenError, UnreadableRecordError } from "./errors.ts";
export type { DeliveryLedger } from "./ledger.ts";
export type { PaperSaverStore } from "./paper-savers.ts";
export { type NewPaperThread, type PaperThreadStore, paperThreadKey } from "./paper-threads.ts";
export { MAX_RATINGS_PER_USER, type RateResult, type RatingStore } from "./ratings.ts";
export {
  type Adder,
  type AddResult,
  MAX_LISTED_PER_CHANNEL,
  type ReadingListStore,
  type RemoveResult,
} from "./reading-lists.ts";
export type { RecordCollection } from "./record-collection.ts";
export { MAX_SAVED_PER_USER, type SavedPaperStore, type SaveResult } from "./saved-papers.ts";
export type {
  ChannelReadingList,
  ChannelSettings,
  Delivery,
  ListedPaper,
  PaperThread,
  PersonalAlerts,
  Rating,
  SavedPaper,
  SavedPapers,
  SubscribedTopic,
  UserRatings,
  UserSubscriptions,
} from "./schemas.ts";
export { openStore, Store, type StoreOptions } from "./store.ts";
export type { AddTopicResult, SubscriptionStore } from "./subscriptions.ts";
export { MAX_TOPIC_LENGTH, MAX_TOPICS_PER_USER, normalizeTopic, sameTopic, topicIdentity } from "./topics.ts";
