/**
 * `node --import tsx bench/feedback.ts`: how well `/papers foryou` learns from ratings, on the seed
 * corpus (BENCH_FEEDBACK_CORPUS for another). Simulated people are built from the corpus's topic
 * clusters: each cluster is the papers that a topic query ranks highest (CLUSTER_SIZE of them), a
 * person is interested in exactly one cluster, rates k ∈ {1, 3, 5, 10} of its papers 👍 and
 * DISLIKES papers from outside it 👎, and the rest of the cluster is held out. The table reports,
 * averaged over every cluster and TRIALS draws, P@5 and NDCG@10 (binary relevance: a held-out paper
 * of the person's cluster) of three rankings that never show a rated paper:
 * - trending: the digest's order (pickDigest), what everyone sees today;
 * - Rocchio: tf-idf over title and abstract with the index's own terms, the profile the mean of the
 *   👍 vectors less half the mean of the 👎 ones, papers ranked by cosine with it;
 * - item-based: the sum of each rated paper's "more like this" neighbours (bench/item-based-for-you.ts);
 * - SVM and logistic: `/papers foryou`'s learned profile (src/picks/for-you.ts) with either model
 *   (src/profiles/), trained on the rated papers and the index's background sample.
 * The clusters come from the same BM25 the index ranks with, which favours rankings built on it;
 * Rocchio's cosine is the independent check. Deterministic: the same corpus gives the same table.
 */
import { buildCatalog } from "../src/catalog/index.ts";
import type { Paper } from "../src/core/paper.ts";
import { loadCorpus } from "../src/corpus/index.ts";
import { log } from "../src/log.ts";
import { forYou, pickDigest, type RatedPaper } from "../src/picks/index.ts";
import { learnProfile } from "../src/profiles/learn-profile.ts";
import { tokenize } from "../src/search/index.ts";
import { itemBasedForYou } from "./item-based-for-you.ts";
import { createRandom } from "./random.ts";

const CORPUS = process.env.BENCH_FEEDBACK_CORPUS ?? "data/papers.txt";
/** A large corpus to time `/papers foryou` on (e.g. bench/data/papers-100k.jsonl); unset, no cost table. */
const COST_CORPUS = process.env.BENCH_FEEDBACK_COST_CORPUS;
const COST_PEOPLE = 200;
const CLUSTER_SIZE = 12;
const TRIALS = 10;
const KS = [1, 3, 5, 10] as const;
const DISLIKES = 2;
const TODAY = "2026-12-07";
const TOPICS = [
  "kv cache",
  "speculative decoding",
  "mixture of experts",
  "diffusion",
  "reinforcement learning",
  "retrieval augmented generation",
  "quantization",
  "long context",
  "agents",
  "vision language",
  "reasoning",
  "video generation",
];

type Ranker = (ratings: readonly RatedPaper[]) => readonly string[];

async function main(): Promise<void> {
  log.level = "silent";
  const { papers } = await loadCorpus(CORPUS);
  const catalog = buildCatalog(papers);
  const clusters = TOPICS.map((topic) => ({
    topic,
    ids: catalog.index.search(topic, { limit: CLUSTER_SIZE }).hits.map((hit) => hit.paper.id),
  })).filter((cluster) => cluster.ids.length === CLUSTER_SIZE);

  const rocchio = rocchioRanker(papers);
  const rankers: Record<string, Ranker> = {
    trending: (ratings) =>
      pickDigest(catalog.papers, catalog.topics, {
        localDate: TODAY,
        size: 10,
        topics: [],
        delivered: new Set(ratings.map((rating) => rating.paperId)),
      }).map((pick) => pick.paper.id),
    Rocchio: rocchio,
    "item-based": (ratings) =>
      itemBasedForYou(catalog.index, ratings, TODAY)
        .slice(0, 10)
        .map((pick) => pick.paper.id),
    SVM: (ratings) =>
      forYou(catalog.index, ratings, TODAY, "svm")
        .slice(0, 10)
        .map((pick) => pick.paper.id),
    logistic: (ratings) =>
      forYou(catalog.index, ratings, TODAY, "logistic")
        .slice(0, 10)
        .map((pick) => pick.paper.id),
  };

  const rows: string[] = [];
  for (const k of KS) {
    const sums: Record<string, { p5: number; ndcg: number }> = {};
    let people = 0;
    for (const [c, cluster] of clusters.entries()) {
      const random = createRandom(1000 * k + c);
      for (let trial = 0; trial < TRIALS; trial++) {
        const liked = shuffled(cluster.ids, random).slice(0, k);
        const inCluster = new Set(cluster.ids);
        const outside = shuffled(
          papers.map((paper) => paper.id).filter((id) => !inCluster.has(id)),
          random,
        ).slice(0, DISLIKES);
        const ratings: RatedPaper[] = [
          ...outside.map((paperId) => ({ paperId, value: "down" as const })),
          ...liked.map((paperId) => ({ paperId, value: "up" as const })),
        ].reverse();
        const heldOut = new Set(cluster.ids.filter((id) => !liked.includes(id)));
        people++;
        for (const [name, rank] of Object.entries(rankers)) {
          const ranked = rank(ratings);
          const sum = sums[name] ?? { p5: 0, ndcg: 0 };
          sums[name] = sum;
          sum.p5 += precisionAt(ranked, heldOut, 5);
          sum.ndcg += ndcgAt(ranked, heldOut, 10);
        }
      }
    }
    const cell = (name: string) => {
      const sum = sums[name] ?? { p5: 0, ndcg: 0 };
      return `${(sum.p5 / people).toFixed(2)} | ${(sum.ndcg / people).toFixed(2)}`;
    };
    rows.push(`| ${k} | ${people} | ${Object.keys(rankers).map(cell).join(" | ")} |`);
  }
  process.stdout.write(
    [
      `## Learning from ratings (${papers.length} papers, ${clusters.length} topic clusters of ${CLUSTER_SIZE}, ${TRIALS} draws each)`,
      "",
      `| 👍 per person (k) | people | ${Object.keys(rankers)
        .map((name) => `${name} P@5 | ${name} NDCG@10`)
        .join(" | ")} |`,
      `| ---: | ---: |${" ---: | ---: |".repeat(Object.keys(rankers).length)}`,
      ...rows,
      "",
      `Each person also rates ${DISLIKES} papers from outside their cluster 👎. Relevant: a held-out paper of their cluster.`,
      "",
    ].join("\n"),
  );
  if (COST_CORPUS) await cost(COST_CORPUS);
}

/**
 * What `/papers foryou` costs at scale: for COST_PEOPLE people with random ratings, timed one after
 * another after a warm-up, training the profile alone (what a rating costs when the profile is rebuilt
 * from the rated papers' vectors), the whole ranking with either model, and the item-based peer.
 */
async function cost(spec: string): Promise<void> {
  const { papers } = await loadCorpus(spec);
  const catalog = buildCatalog(papers);
  const random = createRandom(7);
  const rows: string[] = [];
  const warmUp = 20;
  for (const [ups, downs] of [
    [3, 1],
    [20, 5],
  ] as const) {
    const people = Array.from({ length: COST_PEOPLE + warmUp }, () =>
      Array.from(
        { length: ups + downs },
        (_, i): RatedPaper => ({
          paperId: papers[Math.floor(random() * papers.length)]?.id ?? "",
          value: i < ups ? "up" : "down",
        }),
      ),
    );
    const timed = (run: (ratings: readonly RatedPaper[]) => unknown): string => {
      const times: number[] = [];
      for (const [i, ratings] of people.entries()) {
        const start = performance.now();
        run(ratings);
        if (i >= warmUp) times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) =>
        (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
      return `${at(0.5)} | ${at(0.95)}`;
    };
    rows.push(
      `| ${ups} 👍, ${downs} 👎 | ${[
        timed((ratings) => learnProfile(catalog.index, ratings, "svm")),
        timed((ratings) => learnProfile(catalog.index, ratings, "logistic")),
        timed((ratings) => forYou(catalog.index, ratings, TODAY, "svm")),
        timed((ratings) => forYou(catalog.index, ratings, TODAY, "logistic")),
        timed((ratings) => itemBasedForYou(catalog.index, ratings, TODAY)),
      ].join(" | ")} |`,
    );
  }
  process.stdout.write(
    [
      `## /papers foryou at ${papers.length} papers (${COST_PEOPLE} people, after ${warmUp} warm-up), ms`,
      "",
      "| ratings | train SVM p50 | p95 | train logistic p50 | p95 | foryou SVM p50 | p95 | foryou logistic p50 | p95 | item-based p50 | p95 |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows,
      "",
    ].join("\n"),
  );
}

/** tf-idf Rocchio over title and abstract, with the index's tokenizer, as the peer to beat. */
function rocchioRanker(papers: readonly Paper[]): Ranker {
  const termCounts = papers.map((paper) => {
    const counts = new Map<string, number>();
    for (const term of tokenize(`${paper.title} ${paper.abstract}`))
      counts.set(term, (counts.get(term) ?? 0) + 1);
    return counts;
  });
  const documentFrequency = new Map<string, number>();
  for (const counts of termCounts)
    for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const vectors = termCounts.map((counts) => {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [term, count] of counts) {
      const weight = (1 + Math.log(count)) * Math.log(papers.length / (documentFrequency.get(term) ?? 1));
      vector.set(term, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, weight] of vector) vector.set(term, weight / norm);
    return vector;
  });
  const indexOf = new Map(papers.map((paper, i) => [paper.id, i]));
  return (ratings) => {
    const profile = new Map<string, number>();
    const addMean = (ids: readonly string[], weight: number) => {
      for (const id of ids) {
        const vector = vectors[indexOf.get(id) ?? -1];
        if (!vector) continue;
        for (const [term, value] of vector)
          profile.set(term, (profile.get(term) ?? 0) + (weight * value) / ids.length);
      }
    };
    addMean(
      ratings.filter((r) => r.value === "up").map((r) => r.paperId),
      1,
    );
    addMean(
      ratings.filter((r) => r.value === "down").map((r) => r.paperId),
      -0.5,
    );
    const rated = new Set(ratings.map((r) => r.paperId));
    return papers
      .map((paper, i) => {
        let dot = 0;
        for (const [term, value] of vectors[i] ?? []) dot += value * (profile.get(term) ?? 0);
        return { id: paper.id, dot };
      })
      .filter((scored) => !rated.has(scored.id) && scored.dot > 0)
      .sort((a, b) => b.dot - a.dot || (a.id < b.id ? -1 : 1))
      .slice(0, 10)
      .map((scored) => scored.id);
  };
}

function precisionAt(ranked: readonly string[], relevant: ReadonlySet<string>, n: number): number {
  return ranked.slice(0, n).filter((id) => relevant.has(id)).length / n;
}

function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, n: number): number {
  let dcg = 0;
  ranked.slice(0, n).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(n, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
