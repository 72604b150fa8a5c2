export {
  describeLike,
  type ForYouPick,
  forYou,
  MAX_FOR_YOU_PICKS,
  type ProfileSearch,
  RATING_EMOJI,
  type RatedPaper,
} from "./for-you.ts";
export { blendTaste, TASTE_SHARE } from "./learned-blend.ts";
export { type Taste, tasteOf } from "./learned-taste.ts";
export type { Pick, PickRequest, TopicMatcher } from "./pick-digest.ts";
export { MAX_DIGEST_SIZE, MIN_DIGEST_SIZE, pickDigest } from "./pick-digest.ts";
export { describeAge, describeReason, type ReasonFacts } from "./reason-wording.ts";
