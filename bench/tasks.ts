import { TopicMatchCache } from "../src/catalog/index.ts";
import type { Paper } from "../src/core/paper.ts";
import { pickDigest, tasteOf } from "../src/picks/index.ts";
import { SearchIndex } from "../src/search/index.ts";

/**
 * Extra timings run on each bench corpus after the search engines, in their own child process, e.g.
 * "time to pick one day's digest". Add an entry here; `run` gets the loaded papers and is timed
 * (its set-up included, so do set-up outside `run` only if it happens once at start-up in the bot too).
 */
export interface CorpusTask {
  readonly label: string;
  run(papers: readonly Paper[]): unknown;
}

const DAY = "2026-11-26";
const noTopics = { localDate: DAY, size: 5, topics: [] as string[] };
let index: SearchIndex | undefined;
/** As in the bot's catalog: each topic is matched once and shared by every target that follows it. */
let topics: TopicMatchCache | undefined;

/** What a target has already received: a few hundred papers, as after months of daily digests. */
function deliveredSample(papers: readonly Paper[], seed: number): Set<string> {
  const delivered = new Set<string>();
  for (let i = seed % 7; i < papers.length && delivered.size < 300; i += 1 + (seed % 13)) {
    delivered.add((papers[i] as Paper).id);
  }
  return delivered;
}

// The tasks run in this order in one process: the day's trending order is built by the first
// digest and shared by every later target, as in the bot.
export const corpusTasks: CorpusTask[] = [
  {
    label: "build the search index (start-up, once)",
    run(papers) {
      index = SearchIndex.build(papers);
      topics = new TopicMatchCache(index);
    },
  },
  {
    label: "first digest of a day (builds the day's trending order)",
    run(papers) {
      pickDigest(papers, index ?? SearchIndex.build([]), { ...noTopics, delivered: new Set() });
    },
  },
  {
    label: "100 more digests the same day, each target with 300 papers delivered (total)",
    run(papers) {
      for (let target = 0; target < 100; target++) {
        pickDigest(papers, index ?? SearchIndex.build([]), {
          ...noTopics,
          delivered: deliveredSample(papers, target),
        });
      }
    },
  },
  {
    label: "100 digests on the topic “kv cache”, same day (total)",
    run(papers) {
      for (let target = 0; target < 100; target++) {
        pickDigest(papers, topics ?? SearchIndex.build([]), {
          ...noTopics,
          topics: ["kv cache"],
          delivered: deliveredSample(papers, target),
        });
      }
    },
  },
  {
    label:
      "100 digests the same day, each channel learning from its own 5 👍 and 2 👎 (profiles learned, total)",
    run(papers) {
      learnedDigests(papers);
    },
  },
  {
    label: "the same 100 learning digests again (profiles kept, total)",
    run(papers) {
      learnedDigests(papers);
    },
  },
];

/**
 * As the bot's channel digests with ratings: each target's 👍/👎 are papers spread over the corpus,
 * its profile learned on its first digest and kept while its ratings stay the same.
 */
function learnedDigests(papers: readonly Paper[]): void {
  const built = index ?? SearchIndex.build([]);
  for (let target = 0; target < 100; target++) {
    const ratings = Array.from({ length: 7 }, (_, i) => ({
      paperId: (papers[(target * 7919 + i * 104_729) % papers.length] as Paper).id,
      value: i < 5 ? ("up" as const) : ("down" as const),
    }));
    const taste = tasteOf(built, `bench:${target}`, ratings, () => undefined);
    pickDigest(papers, built, {
      ...noTopics,
      delivered: deliveredSample(papers, target),
      ...(taste && { taste }),
    });
  }
}
