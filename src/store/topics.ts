/** A user may follow this many topics; more would make the daily alert DM a wall of text. */
export const MAX_TOPICS_PER_USER = 25;
export const MAX_TOPIC_LENGTH = 100;

/**
 * A topic as it is stored and shown: trimmed, inner whitespace collapsed to one space.
 * `undefined` when nothing is left or it is longer than MAX_TOPIC_LENGTH.
 */
export function normalizeTopic(raw: string): string | undefined {
  const topic = raw.normalize("NFKC").trim().replace(/\s+/g, " ");
  if (topic === "" || topic.length > MAX_TOPIC_LENGTH) return undefined;
  return topic;
}

/** The form two topics are compared in: "Graph  Neural nets" and "graph neural Nets" are one topic. */
export function topicIdentity(topic: string): string {
  return topic.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}

export function sameTopic(a: string, b: string): boolean {
  return topicIdentity(a) === topicIdentity(b);
}
