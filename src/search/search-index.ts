import type { Paper } from "../core/paper.ts";
import { runSteps, runStepsInSlices, type Steps } from "../runtime/steps.ts";
import { type DeltaBuilder, inThreadDeltaBuilder } from "./delta-builder.ts";
import { distinctiveTerms } from "./distinctive-terms.ts";
import { type Correction, planQuery, type QueryPlan } from "./query-plan.ts";
import { type BoundPlan, Segment } from "./segment.ts";
import type { SegmentImage } from "./segment-image.ts";
import { SegmentsVocabulary } from "./segments-vocabulary.ts";
import { tokenize } from "./tokenize.ts";

export type { Correction } from "./query-plan.ts";

export interface SearchHit {
  readonly paper: Paper;
  /** Relative relevance (BM25F); only meaningful against other hits of the same query. */
  readonly score: number;
  /** About 200 characters of the abstract around the matched words, cut at word boundaries with "…". */
  readonly snippet: string;
  /** The query's words as this paper spells them ("caching" for the query word "cache"), in query order. */
  readonly matchedTerms: readonly string[];
}

export interface SearchResult {
  /** How many papers match (see {@link SearchIndex.search} for which). */
  readonly total: number;
  readonly hits: readonly SearchHit[];
  /** Unknown query words replaced by the nearest indexed word ("specualtive" -> "speculative"). */
  readonly corrections: readonly Correction[];
}

/** A paper's features, or a profile's weights over them: index terms, and arXiv categories as "cat:" + code. */
export type TermVector = ReadonlyMap<string, number>;

/** The key of an arXiv category among a vector's features (index terms never hold a colon). */
export const CATEGORY_FEATURE = "cat:";

export interface SearchOptions {
  /** Hits to return, default 5, at most 100. */
  readonly limit?: number;
  /** Hits to skip, for paging; at most 10,000. */
  readonly offset?: number;
}

/** What changed in the corpus since an index was built (see {@link SearchIndex.withChanges}). */
export interface IndexChanges {
  /** Papers to index: new ids, or known ids with a new title, abstract or author list. */
  readonly upserted: readonly Paper[];
  /** Known papers with the same indexed text and newer other fields (upvotes, comments, rank). */
  readonly refreshed: readonly Paper[];
  /** Ids no longer in the corpus. */
  readonly removed: readonly string[];
}

export interface WithChangesOptions {
  /** Where the delta segment is built; default on this thread, in slices. */
  readonly deltaBuilder?: DeltaBuilder;
}

/** Changed papers looked up between two pauses of withChanges (see steps.ts). */
const CHANGES_PER_STEP = 512;
/**
 * Delta segments merges add before they are rebuilt into one (see withDeltasRebuilt): each query reads
 * every segment's postings, so a few small ones cost next to nothing, many would add up.
 */
const MAX_DELTAS = 4;
const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 100;
const MAX_OFFSET = 10_000;
/** Up to this many phrase candidates are all checked (exact total); beyond it, best-first and estimated. */
const VERIFY_ALL_LIMIT = 2000;
const EMPTY_RESULT: SearchResult = { total: 0, hits: [], corrections: [] };
/**
 * "More like this" asks for a paper's this many most distinctive terms: enough to pin its topic down,
 * few enough that the query reads only a small part of the postings (Lucene's MoreLikeThis uses 25 for
 * whole documents; titles and abstracts are short).
 */
const SIMILAR_QUERY_TERMS = 12;

/**
 * Ranked full-text search over the papers' titles (boosted), abstracts and authors: BM25F over a compact
 * inverted index in typed arrays (see postings.ts), with typo correction, completion of the last word,
 * "quoted phrases", author: and cat: filters.
 *
 * Multi-word queries require every word (AND): "kv cache" should list papers about KV caches, not every
 * paper that says "cache". Only when no paper has all the bare words does it fall back to papers with the
 * most of them (coordination first, then BM25), so a stray extra word never empties the answer; quoted
 * phrases, author: and cat: filters stay strict.
 *
 * Segmented, LSM-style, so that new papers join without rebuilding everything: a main segment built at
 * start-up (or at a full reload, or a fold) and small delta segments of the papers added or re-indexed
 * since, one per merge (see {@link withChanges}); a paper replaced or removed is tombstoned in the
 * segment that had it.
 * Every query is planned against the vocabulary of all segments, scored with the whole corpus's
 * statistics (live papers, summed document frequencies, average field lengths over all) and the segments'
 * best hits are merged by score, so the answers are those of one index over all the papers. Immutable:
 * a change makes a new index, and a command that took the old one finishes on it.
 */
export class SearchIndex {
  /** The main segment first, then the deltas, oldest first. */
  readonly #segments: readonly Segment[];
  readonly #vocabulary: SegmentsVocabulary;
  /** Per segment, each paper's squared feature norm; worked out on the first profile query. */
  #squaredNorms: Float64Array[] | undefined;

  private constructor(segments: readonly Segment[]) {
    this.#segments = segments;
    this.#vocabulary = new SegmentsVocabulary(segments);
  }

  /** Indexes the papers in one segment; a paper's position in the list is its id inside the index. */
  static build(papers: readonly Paper[]): SearchIndex {
    return new SearchIndex([runSteps(Segment.buildSteps(papers))]);
  }

  /** {@link build} in slices of about `sliceMs`, letting commands run between them (see steps.ts). */
  static async buildInSlices(papers: readonly Paper[], sliceMs?: number): Promise<SearchIndex> {
    return new SearchIndex([await runStepsInSlices(Segment.buildSteps(papers), sliceMs)]);
  }

  /**
   * An index over `papers` from the image of one built over the same papers in the same order (a
   * snapshot on disk, see src/snapshot): the same answers as that index.
   */
  static fromImage(image: SegmentImage, papers: readonly Paper[]): SearchIndex {
    return new SearchIndex([runSteps(Segment.fromImageSteps(image, papers))]);
  }

  /**
   * The index as one segment's image and that segment's papers, when it is a single segment with no
   * tombstone (just built or folded, or merged with nothing but refreshed papers), so that
   * {@link fromImage} makes an equal index of it; undefined otherwise. Its typed arrays are shared.
   */
  image(): { readonly image: SegmentImage; readonly papers: readonly Paper[] } | undefined {
    const [main, ...deltas] = this.#segments as [Segment, ...Segment[]];
    if (deltas.length > 0 || main.liveSize !== main.size) return undefined;
    return { image: main.image(), papers: main.papers };
  }

  /** Papers indexed (live ones: replaced and removed papers are not counted). */
  get size(): number {
    return this.#vocabulary.size;
  }

  /** Papers in the delta segments: added or re-indexed since the main segment was built. */
  get deltaSize(): number {
    let size = 0;
    for (const segment of this.#segments.slice(1)) size += segment.liveSize;
    return size;
  }

  /**
   * This index with the changes applied, built in slices (see steps.ts): every segment is kept, with
   * tombstones over the papers upserted or removed and the refreshed Paper objects in place of the old
   * ones, and the upserted papers go to a new delta segment of their own, its field lengths normalised
   * over the main segment's, built by `options.deltaBuilder` (the bot builds it in a worker thread). Its
   * cost grows with the changes, not with the corpus nor the delta: rebuilding one delta of every paper
   * since the main segment at each merge made the main thread turn a growing image into a segment each
   * time (bench/merge.ts). Once there are MAX_DELTAS deltas, {@link withDeltasRebuilt} makes them one.
   */
  async withChanges(changes: IndexChanges, options: WithChangesOptions = {}): Promise<SearchIndex> {
    const { segments, newPapers } = await runStepsInSlices(this.#withChangesSteps(changes));
    if (newPapers.length === 0) return new SearchIndex(segments);
    const builder = options.deltaBuilder ?? inThreadDeltaBuilder;
    const main = segments[0] as Segment;
    return new SearchIndex([...segments, await builder.build(newPapers, main.lengthBaseline)]);
  }

  /** Whether there are so many delta segments that {@link withDeltasRebuilt} is due. */
  get deltaRebuildDue(): boolean {
    return this.#segments.length - 1 >= MAX_DELTAS;
  }

  /**
   * This index with its delta segments rebuilt into one, of their live papers: the same answers, each
   * query reading two segments instead of many. The bot does it right after the merge that made it due
   * (LiveCatalog), not within the next one: the new papers need not wait for it, and the delta worker,
   * which just built a delta, still runs and has its code compiled.
   */
  async withDeltasRebuilt(options: WithChangesOptions = {}): Promise<SearchIndex> {
    const [main, ...deltas] = this.#segments as [Segment, ...Segment[]];
    if (deltas.length <= 1) return this;
    const builder = options.deltaBuilder ?? inThreadDeltaBuilder;
    const papers = deltas.flatMap((delta) => delta.livePapers());
    return new SearchIndex([main, await builder.build(papers, main.lengthBaseline)]);
  }

  /**
   * Every segment with the changes (a delta left without a live paper dropped), and the papers for a new
   * delta: the upserted ones, and refreshed ones that no segment has.
   */
  *#withChangesSteps(changes: IndexChanges): Steps<{ segments: Segment[]; newPapers: Paper[] }> {
    let count = 0;
    const replaced = new Set<string>();
    for (const id of [...changes.upserted.map((paper) => paper.id), ...changes.removed]) {
      replaced.add(id);
      if (++count % CHANGES_PER_STEP === 0) yield;
    }
    const refreshed = new Map<string, Paper>();
    for (const paper of changes.refreshed) {
      refreshed.set(paper.id, paper);
      if (++count % CHANGES_PER_STEP === 0) yield;
    }
    const segments: Segment[] = [];
    for (const [s, segment] of this.#segments.entries()) {
      yield* segment.prepareFindSteps();
      const deleted: number[] = [];
      for (const id of replaced) {
        const doc = segment.find(id);
        if (doc !== undefined) deleted.push(doc);
        if (++count % CHANGES_PER_STEP === 0) yield;
      }
      let papers: Paper[] | undefined;
      for (const [id, paper] of refreshed) {
        if (++count % CHANGES_PER_STEP === 0) yield;
        const doc = segment.find(id);
        if (doc === undefined) continue;
        papers ??= segment.papers.slice();
        papers[doc] = paper;
        refreshed.delete(id);
      }
      const next = yield* segment.withViewSteps(papers ?? segment.papers, deleted);
      if (s === 0 || next.liveSize > 0) segments.push(next);
    }
    // A "refreshed" paper that no segment has is new to this index after all.
    return { segments, newPapers: [...changes.upserted, ...refreshed.values()] };
  }

  /**
   * Best matches first. `total` counts papers with every word (or, in the any-word fallback, with at
   * least one); past 2,000 phrase candidates it is estimated from the ones checked. Never throws.
   */
  search(query: string, options: SearchOptions = {}): SearchResult {
    const limit = clampInteger(options.limit, DEFAULT_LIMIT, 0, MAX_LIMIT);
    const offset = clampInteger(options.offset, 0, 0, MAX_OFFSET);
    const plan = planQuery(query, this.#vocabulary);
    if (plan === undefined) return EMPTY_RESULT;
    if (plan.impossible) return { ...EMPTY_RESULT, corrections: plan.corrections };
    const bound = this.#bind(plan);
    let counts = this.#segments.map((segment, s) => segment.matchAll(bound[s] as BoundPlan));
    if (sum(counts) === 0 && plan.groups.some((group) => !group.required)) {
      counts = this.#segments.map((segment, s) => segment.matchAny(bound[s] as BoundPlan));
    }
    const { hits, total } = this.#collect(bound, counts, offset, limit);
    return { total, hits, corrections: plan.corrections };
  }

  /**
   * Every paper matching a topic query (all its words, the phrases, the author filters), best first, as
   * paper id -> score. No any-word fallback: a topic either matches a paper or it does not.
   */
  matchAll(query: string, options: { readonly limit?: number } = {}): ReadonlyMap<string, number> {
    const limit = clampInteger(options.limit, Number.MAX_SAFE_INTEGER, 0, Number.MAX_SAFE_INTEGER);
    const matches = new Map<string, number>();
    const plan = planQuery(query, this.#vocabulary);
    if (plan === undefined || plan.impossible) return matches;
    const bound = this.#bind(plan);
    const best = this.#merge(
      this.#segments.map((segment, s) => {
        const count = segment.matchAll(bound[s] as BoundPlan);
        return segment.rank(bound[s] as BoundPlan, count, Math.min(limit, count), Number.POSITIVE_INFINITY);
      }),
      limit,
    );
    for (const { segment, doc, score } of best) {
      const paper = this.#segments[segment]?.papers[doc];
      if (paper !== undefined) matches.set(paper.id, score);
    }
    return matches;
  }

  /**
   * Papers most like the one with this id (never the paper itself), best first: its most distinctive
   * title and abstract words (see distinctive-terms.ts) as an any-word BM25F query. `total` counts papers
   * sharing at least one of those words; hits' snippets and `matchedTerms` show the shared words. An
   * unknown id gives an empty result. Never throws.
   */
  similar(paperId: string, options: SearchOptions = {}): SearchResult {
    const limit = clampInteger(options.limit, DEFAULT_LIMIT, 0, MAX_LIMIT);
    const offset = clampInteger(options.offset, 0, 0, MAX_OFFSET);
    if (typeof paperId !== "string") return EMPTY_RESULT;
    const found = this.#find(paperId) ?? this.#find(paperId.toLowerCase());
    if (found === undefined) return EMPTY_RESULT;
    const paper = this.#segments[found.segment]?.papers[found.doc];
    if (paper === undefined) return EMPTY_RESULT;
    const idf = this.#idfOf();
    const terms = distinctiveTerms(
      paper,
      (term) => this.#vocabulary.frequency(term),
      idf,
      SIMILAR_QUERY_TERMS,
    );
    // Every term counts once, as in a typed query: weighting them by their tf-idf again overrates rare words.
    const plan = termsOnlyPlan(
      terms.map((term) => ({ terms: [{ term, weight: 1 }], required: false, display: term })),
    );
    const bound = this.#bind(plan, idf);
    // Plain BM25 sums, no coordination bonus: one strongly shared word can matter more than two weak ones.
    // (A dozen terms' scores stay far below the coordination bonus, so hits report them unchanged.)
    const counts = this.#segments.map((segment, s) =>
      segment.sumGroups((bound[s] as BoundPlan).groups, 0, s === found.segment ? found.doc : -1),
    );
    const { hits, total } = this.#collect(bound, counts, offset, limit);
    return { total, hits, corrections: [] };
  }

  /**
   * The paper's features as the index weighs them: each term of its title, abstract and authors at its
   * BM25F term weight (saturated tf, field-boosted and length-normalised, 0..1) × idf, and each of its
   * arXiv categories at that category's idf, the whole divided by its Euclidean norm (tf-idf rows of
   * unit length, as scikit-learn's TfidfVectorizer gives). A linear profile over these scores papers
   * exactly as {@link rankByWeights} does. Undefined for an unknown id.
   */
  paperVector(paperId: string): TermVector | undefined {
    const found = this.#find(paperId);
    const segment = found && this.#segments[found.segment];
    const paper = found && segment?.papers[found.doc];
    if (found === undefined || segment === undefined || paper === undefined) return undefined;
    const idf = this.#idfOf();
    const terms = [
      ...tokenize(paper.title),
      ...tokenize(paper.abstract),
      ...tokenize(paper.authors.join(", ")),
    ];
    const vector = new Map<string, number>();
    for (const [term, weight] of segment.termWeightsOf(found.doc, terms))
      vector.set(term, weight * idf(term));
    for (const code of paper.categories ?? []) {
      const key = code.toLowerCase();
      const value = this.#categoryIdf(key);
      if (value > 0) vector.set(CATEGORY_FEATURE + key, value);
    }
    const norm = Math.sqrt(this.#norms()[found.segment]?.[found.doc] ?? 0) || 1;
    for (const [key, value] of vector) vector.set(key, value / norm);
    return vector;
  }

  /**
   * The `limit` best papers by Σ weight × feature (see {@link paperVector}) over the given features, best
   * first, only those scoring above 0; ties in index order. Reads only the postings of those terms and
   * the lists of those categories, so its cost follows how many features are given and how common they are.
   */
  rankByWeights(
    weights: TermVector,
    limit: number,
  ): Array<{ readonly paper: Paper; readonly score: number }> {
    const idf = this.#idfOf();
    const termGroups: QueryPlan["groups"][number][] = [];
    const categories: Array<{ code: string; weight: number; idf: number }> = [];
    for (const [key, weight] of weights) {
      if (key.startsWith(CATEGORY_FEATURE)) {
        const code = key.slice(CATEGORY_FEATURE.length);
        const categoryIdf = this.#categoryIdf(code);
        if (categoryIdf > 0) categories.push({ code, weight, idf: categoryIdf });
      } else {
        // bind() divides by 255 for the byte weights of BM25; the feature table is not scaled.
        termGroups.push({ terms: [{ term: key, weight: weight * 255 }], required: false, display: key });
      }
    }
    const plan = termsOnlyPlan(termGroups);
    const scored: Array<{ segment: number; doc: number; score: number }> = [];
    const norms = this.#norms();
    this.#segments.forEach((segment, s) => {
      const members = segment.bind(plan, idf).groups.flatMap((group) => group.members);
      const lists = categories.flatMap(({ code, weight, idf: categoryIdf }) => {
        const docs = segment.papersInCategory(code);
        return docs === undefined ? [] : [{ docs, value: weight * categoryIdf }];
      });
      const segmentNorms = norms[s] ?? new Float64Array(segment.size);
      for (const { doc, score } of segment.sumWeighted(members, lists, segmentNorms, limit))
        scored.push({ segment: s, doc, score });
    });
    scored.sort((a, b) => b.score - a.score || a.segment - b.segment || a.doc - b.doc);
    return scored.slice(0, limit).flatMap(({ segment, doc, score }) => {
      const paper = this.#segments[segment]?.papers[doc];
      return paper === undefined ? [] : [{ paper, score }];
    });
  }

  /**
   * About `count` ids of live papers spread evenly over the index (every n-th in index order): the same
   * index always gives the same ones.
   */
  spreadSample(count: number): string[] {
    const stride = Math.max(1, Math.floor(this.size / Math.max(1, count)));
    const ids: string[] = [];
    let position = 0;
    for (const segment of this.#segments) {
      for (let doc = 0; doc < segment.size && ids.length < count; doc++, position++) {
        if (position % stride !== 0 || !segment.isLive(doc)) continue;
        const paper = segment.papers[doc];
        if (paper !== undefined) ids.push(paper.id);
      }
    }
    return ids;
  }

  /** Each segment's papers' squared feature norms, worked out once per index (one pass over the postings). */
  #norms(): Float64Array[] {
    if (this.#squaredNorms === undefined) {
      const idf = this.#idfOf();
      const known = new Map<string, number>();
      const categoryIdf = (code: string) => {
        let value = known.get(code);
        if (value === undefined) {
          value = this.#categoryIdf(code);
          known.set(code, value);
        }
        return value;
      };
      this.#squaredNorms = this.#segments.map((segment) => segment.squaredNorms(idf, categoryIdf));
    }
    return this.#squaredNorms;
  }

  /** A category's idf, as BM25's over the live papers; 0 for a category no paper has. */
  #categoryIdf(code: string): number {
    const df = this.#vocabulary.categoryFrequency(code);
    return df > 0 ? Math.log(1 + (this.size - df + 0.5) / (df + 0.5)) : 0;
  }

  #find(paperId: string): { segment: number; doc: number } | undefined {
    for (let segment = this.#segments.length - 1; segment >= 0; segment--) {
      const doc = this.#segments[segment]?.find(paperId);
      if (doc !== undefined) return { segment, doc };
    }
    return undefined;
  }

  /** BM25's idf over the whole index (live papers of every segment), memoised for one query. */
  #idfOf(): (term: string) => number {
    const known = new Map<string, number>();
    const n = this.#vocabulary.size;
    return (term) => {
      let idf = known.get(term);
      if (idf === undefined) {
        const df = this.#vocabulary.frequency(term);
        idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        known.set(term, idf);
      }
      return idf;
    };
  }

  #bind(plan: QueryPlan, idf = this.#idfOf()): BoundPlan[] {
    return this.#segments.map((segment) => segment.bind(plan, idf));
  }

  /** The hits from `offset` of the segments' matched candidates, merged by score, and their total. */
  #collect(
    bound: readonly BoundPlan[],
    counts: readonly number[],
    offset: number,
    limit: number,
  ): { hits: SearchHit[]; total: number } {
    let total = 0;
    const ranked = this.#segments.map((segment, s) => {
      const result = segment.rank(bound[s] as BoundPlan, counts[s] ?? 0, offset + limit, VERIFY_ALL_LIMIT);
      total += result.total;
      return result;
    });
    const hits = this.#merge(ranked, offset + limit)
      .slice(offset)
      .map(({ segment, candidate }) =>
        (this.#segments[segment] as Segment).hit(bound[segment] as BoundPlan, candidate),
      );
    return { hits, total };
  }

  /** The best `k` of the segments' ranked candidates: higher score first, then index order (segment, position). */
  #merge(
    ranked: ReadonlyArray<{ readonly best: readonly number[] }>,
    k: number,
  ): Array<{ segment: number; candidate: number; doc: number; score: number }> {
    const merged: Array<{ segment: number; candidate: number; doc: number; score: number }> = [];
    ranked.forEach(({ best }, segment) => {
      for (const candidate of best) {
        const { doc, score } = (this.#segments[segment] as Segment).candidate(candidate);
        merged.push({ segment, candidate, doc, score });
      }
    });
    if (ranked.length > 1) {
      merged.sort((a, b) => b.score - a.score || a.segment - b.segment || a.doc - b.doc);
    }
    return merged.slice(0, k);
  }
}

/** A plan of optional term groups only: no phrases, authors, categories or corrections. */
function termsOnlyPlan(groups: QueryPlan["groups"]): QueryPlan {
  return {
    groups,
    phrases: [],
    authorWords: [],
    authorNames: [],
    categories: [],
    corrections: [],
    impossible: false,
  };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function clampInteger(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}
