import type { TopicMatcher } from "../picks/index.ts";

/** Enough for the distinct topics of a busy day; a broad topic's matches can be tens of thousands of ids. */
const CAPACITY = 64;

/**
 * Every target that follows a topic needs the same matches all day, and a broad topic over a
 * large corpus costs tens of milliseconds to match: compute each topic once per catalog and
 * keep the most recently used ones. Lives and dies with its catalog, so a reload starts fresh.
 */
export class TopicMatchCache implements TopicMatcher {
  readonly #matches = new Map<string, ReadonlyMap<string, number>>();

  constructor(private readonly matcher: TopicMatcher) {}

  matchAll(topic: string): ReadonlyMap<string, number> {
    // Case and spacing do not change what a topic matches; quotes and words do.
    const key = topic.trim().replace(/\s+/g, " ").toLowerCase();
    const cached = this.#matches.get(key);
    if (cached) {
      this.#matches.delete(key);
      this.#matches.set(key, cached);
      return cached;
    }
    const matches = this.matcher.matchAll(topic);
    this.#matches.set(key, matches);
    const oldest = this.#matches.keys().next().value;
    if (this.#matches.size > CAPACITY && oldest !== undefined) this.#matches.delete(oldest);
    return matches;
  }
}
