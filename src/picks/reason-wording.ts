/**
 * Every word a digest uses to explain why a paper is in it, in one place so the tone stays
 * consistent and a translation or rewording touches one file.
 */

/** The facts a reason is built from; absent fields are facts the source did not give us. */
export interface ReasonFacts {
  readonly upvotes?: number;
  /** Whole days between the paper's date and the digest's local date; 0 is today. */
  readonly ageDays?: number;
  /** 1-based position in the paper's source list, when the source gave a usable one. */
  readonly rank?: number;
  /** The subscribed topic the paper matched, as the user typed it. */
  readonly topic?: string;
  /** The title of the paper rated 👍 on the channel's posts that this one is most like. */
  readonly likedHere?: string;
}

const SEPARATOR = " · ";
/** Long topics are shortened so a card's reason line stays one line. */
const TOPIC_DISPLAY_LIMIT = 40;
/** A liked paper's title, shortened the same way. */
const TITLE_DISPLAY_LIMIT = 60;

export function describeReason(facts: ReasonFacts): string {
  const parts: string[] = [];
  if (facts.upvotes !== undefined) {
    parts.push(`▲ ${facts.upvotes}`);
  } else {
    // No votes: the signal is the source's own trending order. Undated, that list is a snapshot of today.
    const position = facts.rank === undefined ? "" : `#${facts.rank} `;
    parts.push(facts.ageDays === undefined ? `${position}on today's list` : `${position}on its list`);
  }
  if (facts.ageDays !== undefined) parts.push(describeAge(facts.ageDays));
  if (facts.topic !== undefined) parts.push(`matches “${displayTopic(facts.topic)}”`);
  if (facts.likedHere !== undefined) parts.push(`like “${displayTitle(facts.likedHere)}”, rated 👍 here`);
  return parts.join(SEPARATOR);
}

export function describeAge(ageDays: number): string {
  if (ageDays <= 0) return "today";
  if (ageDays === 1) return "1 day old";
  if (ageDays < 14) return `${ageDays} days old`;
  if (ageDays < 63) return `${Math.floor(ageDays / 7)} weeks old`;
  if (ageDays < 730) return `${Math.floor(ageDays / 30)} months old`;
  return `${Math.floor(ageDays / 365)} years old`;
}

function displayTopic(topic: string): string {
  return shortened(topic, TOPIC_DISPLAY_LIMIT);
}

function displayTitle(title: string): string {
  return shortened(title, TITLE_DISPLAY_LIMIT);
}

function shortened(text: string, limit: number): string {
  const compact = text.trim().replace(/\s+/g, " ");
  return compact.length <= limit ? compact : `${compact.slice(0, limit - 1)}…`;
}
