import type { Paper } from "../src/core/paper.ts";
import { createRandom, createZipf, pick } from "./random.ts";

/**
 * Synthetic arXiv-like papers, deterministic for a given seed. Text comes from a word-bigram chain
 * trained on the real seed corpus, so word frequencies are Zipfian and real phrases ("kv cache",
 * "speculative decoding") recur as they do on arXiv; invented model names (drawn Zipf-wise from a pool
 * of 400k) keep the vocabulary growing with corpus size the way new papers' names do.
 */
export interface BigramChain {
  readonly words: readonly string[];
  readonly next: readonly (readonly number[])[];
  readonly sentenceStarts: readonly number[];
  readonly titleStarts: readonly number[];
}

export function trainChain(seed: readonly Paper[]): BigramChain {
  const ids = new Map<string, number>();
  const words: string[] = [];
  const next: number[][] = [];
  const sentenceStarts: number[] = [];
  const titleStarts: number[] = [];
  const idOf = (word: string): number => {
    let id = ids.get(word);
    if (id === undefined) {
      id = words.length;
      ids.set(word, id);
      words.push(word);
      next.push([]);
    }
    return id;
  };
  const learn = (text: string, starts: number[]): void => {
    const tokens = text.split(/\s+/).filter(Boolean);
    let previous = -1;
    for (const token of tokens) {
      const id = idOf(token);
      if (previous < 0 || /[.!?]$/.test(words[previous] ?? "")) starts.push(id);
      if (previous >= 0) next[previous]?.push(id);
      previous = id;
    }
  };
  for (const paper of seed) {
    learn(paper.title, titleStarts);
    learn(paper.abstract, sentenceStarts);
  }
  return { words, next, sentenceStarts, titleStarts };
}

const SYLLABLES =
  "ka lo mi ra ze tu vi no sa pe qua dro fen lix mor tav gen syn rex vox nim bel cor dax jun".split(" ");
export const FIRST_NAMES =
  "Wei Ashish Tri Albert Yann Fei Li Jian Xin Yu Anna Maria John David Sarah Chen Hao Ming Priya Arjun Omar Lucas Sofia Emma Noam Ilya Kaiming Ross Jia Yoshua Geoffrey Andrej Chris Percy Tatsu Dan Jacob Alec Tom Mark Elena Ivan Olga Kenji Yuki Min Soo Hyun Pablo Diego Chiara Marco Lena Jonas Nils Ahmed Fatima Zara".split(
    " ",
  );
export const LAST_NAMES =
  "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Vaswani Dao Gu LeCun Bengio Hinton Karpathy Manning Liang Hashimoto Smith Johnson Brown Garcia Miller Kim Park Lee Choi Singh Kumar Sharma Gupta Tanaka Suzuki Sato Rossi Russo Muller Schmidt Schneider Fischer Dubois Martin Bernard Silva Santos Ivanov Petrov Nguyen Tran Pham Khan Ali Hassan Cohen Levi Novak Kowalski".split(
    " ",
  );

function inventName(index: number): string {
  const random = createRandom(index * 7919 + 17);
  const parts = 2 + Math.floor(random() * 3);
  let name = "";
  for (let i = 0; i < parts; i++) name += pick(SYLLABLES, random);
  const capitalised = name.charAt(0).toUpperCase() + name.slice(1);
  return random() < 0.3 ? `${capitalised}-${1 + Math.floor(random() * 70)}B` : capitalised;
}

export function* generatePapers(count: number, chain: BigramChain, seed = 42): Generator<Paper> {
  const random = createRandom(seed);
  const rareName = createZipf(400_000, 1.0, random);
  const surname = createZipf(20_000, 0.9, random);
  const upvotes = createZipf(500, 1.2, random);
  const { words, next, sentenceStarts, titleStarts } = chain;
  const walk = (start: number, length: number, rareRate: number): string => {
    const out: string[] = [];
    let current = start;
    while (out.length < length) {
      out.push(random() < rareRate ? inventName(rareName()) : (words[current] ?? ""));
      const followers = next[current];
      current =
        followers === undefined || followers.length === 0 || random() < 0.02
          ? pick(sentenceStarts, random)
          : pick(followers, random);
    }
    return out.join(" ");
  };
  const authorName = (): string => {
    const rank = surname();
    const last = rank < LAST_NAMES.length ? LAST_NAMES[rank] : inventName(1_000_000 + rank);
    return `${pick(FIRST_NAMES, random)} ${last}`;
  };
  const day0 = Date.UTC(2025, 0, 1);
  for (let i = 0; i < count; i++) {
    const titleLength = 6 + Math.floor(random() * 10);
    const abstractLength = 120 + Math.floor(random() * 131);
    const authorCount = 1 + Math.floor(random() * 8);
    const title = walk(pick(titleStarts, random), titleLength, 0.08).replace(/[.,;:]$/, "");
    yield {
      id: `bench-${i}`,
      title,
      abstract: walk(pick(sentenceStarts, random), abstractLength, 0.02),
      authors: Array.from({ length: authorCount }, authorName),
      url: `https://example.org/bench/${i}`,
      publishedAt: new Date(day0 + Math.floor(random() * 365) * 86_400_000).toISOString(),
      upvotes: upvotes(),
      rank: i + 1,
      source: "bench",
    };
  }
}
