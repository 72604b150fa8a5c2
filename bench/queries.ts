import type { Paper } from "../src/core/paper.ts";
import { isStopword } from "../src/search/tokenize.ts";
import { createRandom, pick } from "./random.ts";

/** What a bench query exercises, so tables can be read per kind. */
export type QueryKind = "word" | "two-words" | "three-words" | "typo" | "prefix" | "phrase" | "author";

export interface BenchQuery {
  readonly kind: QueryKind;
  readonly text: string;
}

const MIX: readonly [QueryKind, number][] = [
  ["word", 80],
  ["two-words", 90],
  ["three-words", 50],
  ["typo", 50],
  ["prefix", 50],
  ["phrase", 30],
  ["author", 20],
];

function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .map((word) => word.replace(/^-+|-+$/g, ""))
    .filter((word) => word.length >= 3 && !isStopword(word) && !/^\d+$/.test(word));
}

/** Swaps two neighbouring letters or drops one: the typos people make while typing fast. */
function typo(word: string, random: () => number): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  if (random() < 0.5)
    return `${word.slice(0, at)}${word.charAt(at + 1)}${word.charAt(at)}${word.slice(at + 2)}`;
  return word.slice(0, at) + word.slice(at + 1);
}

/**
 * 370 one-to-three-word queries drawn (deterministically) from the seed papers' titles, where people
 * take their search words from: single words, title bigrams and trigrams, typos in words of 6+ letters,
 * a last word cut short, quoted phrases and author: filters.
 */
export function generateQueries(
  seedPapers: readonly Paper[],
  authors: readonly string[],
  seed = 7,
): BenchQuery[] {
  const random = createRandom(seed);
  const titles = seedPapers.map((paper) => contentWords(paper.title)).filter((words) => words.length >= 3);
  const window = (size: number): string[] => {
    const words = pick(titles, random);
    const start = Math.floor(random() * (words.length - size + 1));
    return words.slice(start, start + size);
  };
  const queries: BenchQuery[] = [];
  for (const [kind, count] of MIX) {
    for (let i = 0; i < count; i++) {
      switch (kind) {
        case "word":
          queries.push({ kind, text: window(1).join(" ") });
          break;
        case "two-words":
          queries.push({ kind, text: window(2).join(" ") });
          break;
        case "three-words":
          queries.push({ kind, text: window(3).join(" ") });
          break;
        case "typo": {
          const words = window(1 + Math.floor(random() * 2));
          const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
          const text = words.map((word) =>
            word === longest && word.length >= 6 ? typo(word, random) : word,
          );
          queries.push({ kind, text: text.join(" ") });
          break;
        }
        case "prefix": {
          const words = window(2);
          const last = words.at(-1) ?? "";
          words[words.length - 1] = last.slice(
            0,
            Math.max(3, Math.min(last.length - 1, 3 + Math.floor(random() * 3))),
          );
          queries.push({ kind, text: words.join(" ") });
          break;
        }
        case "phrase":
          queries.push({ kind, text: `"${window(2).join(" ")}"` });
          break;
        case "author": {
          const name = pick(authors, random).split(" ").at(-1) ?? "";
          queries.push({ kind, text: `author:${name.toLowerCase()} ${window(1).join(" ")}` });
          break;
        }
      }
    }
  }
  // Shuffled (deterministically) so that warm-up and any time budget see every kind.
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [queries[i], queries[j]] = [queries[j] as BenchQuery, queries[i] as BenchQuery];
  }
  return queries;
}
