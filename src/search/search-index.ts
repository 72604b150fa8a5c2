import type { Paper } from "../paper.ts";
import { AuthorIndex, hasAuthorNamed } from "./author-index.ts";
import { distinctiveTerms } from "./distinctive-terms.ts";
import { allowedEdits, FuzzyLexicon } from "./fuzzy.ts";
import { gallop } from "./gallop.ts";
import { PaperPositions } from "./paper-positions.ts";
import { PhraseMatcher } from "./phrase.ts";
import { buildPostings, type Postings } from "./postings.ts";
import { parseQuery, type QueryClause } from "./query.ts";
import { findMatches, makeSnippet } from "./snippet.ts";
import { termOf } from "./tokenize.ts";
import { topK } from "./top-k.ts";

export interface SearchHit {
  readonly paper: Paper;
  /** Relative relevance (BM25F); only meaningful against other hits of the same query. */
  readonly score: number;
  /** About 200 characters of the abstract around the matched words, cut at word boundaries with "…". */
  readonly snippet: string;
  /** The query's words as this paper spells them ("caching" for the query word "cache"), in query order. */
  readonly matchedTerms: readonly string[];
}

export interface Correction {
  readonly from: string;
  readonly to: string;
}

export interface SearchResult {
  /** How many papers match (see {@link SearchIndex.search} for which). */
  readonly total: number;
  readonly hits: readonly SearchHit[];
  /** Unknown query words replaced by the nearest indexed word ("specualtive" -> "speculative"). */
  readonly corrections: readonly Correction[];
}

export interface SearchOptions {
  /** Hits to return, default 5, at most 100. */
  readonly limit?: number;
  /** Hits to skip, for paging; at most 10,000. */
  readonly offset?: number;
}

interface Member {
  readonly termId: number;
  /** Multiplies the term's score: 1 for the word itself or its correction, less for prefix completions. */
  readonly weight: number;
}

interface Group {
  readonly members: readonly Member[];
  readonly totalFrequency: number;
  /** Words in "phrases" stay required even when bare words are relaxed to "any of them". */
  readonly required: boolean;
  /** The word as the user typed (or we corrected) it, shown when the paper's own spelling is unknown. */
  readonly display: string;
}

interface Plan {
  readonly groups: readonly Group[];
  readonly phrases: readonly PhraseMatcher[];
  /** Papers passing every author: filter (ascending), or undefined when there is none. */
  readonly authorDocs: Uint32Array | undefined;
  readonly authorNames: readonly (readonly string[])[];
  readonly corrections: readonly Correction[];
  /** A required part (phrase word, author) matches nothing: no paper can match. */
  readonly impossible: boolean;
}

const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 100;
const MAX_OFFSET = 10_000;
/** Lucene's habit: a prefix expands to at most this many indexed words, the most frequent first. */
const MAX_PREFIX_EXPANSIONS = 30;
const PREFIX_WEIGHT = 0.9;
/** In the any-word fallback, each matched word outranks any difference in BM25 among papers. */
const COORDINATION_BONUS = 1000;
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
 * "quoted phrases" and author: filters.
 *
 * Multi-word queries require every word (AND): "kv cache" should list papers about KV caches, not every
 * paper that says "cache". Only when no paper has all the bare words does it fall back to papers with the
 * most of them (coordination first, then BM25), so a stray extra word never empties the answer; quoted
 * phrases and author: filters stay strict.
 */
export class SearchIndex {
  readonly #papers: readonly Paper[];
  readonly #postings: Postings;
  readonly #termStrings: readonly string[];
  readonly #authors: AuthorIndex;
  /** Normalised words sorted for prefix ranges, with their term ids. */
  readonly #sortedWords: readonly string[];
  readonly #sortedWordTermIds: Int32Array;
  readonly #wordLexicon: FuzzyLexicon;
  readonly #authorLexicon: FuzzyLexicon;
  // Scratch space sized to the corpus, allocated on first use and reused by every query.
  #candidateDocs = new Uint32Array(0);
  #candidateScores = new Float32Array(0);
  #dense = new Float32Array(0);
  #touched = new Uint32Array(0);
  #hitCounts = new Uint8Array(0);
  #totals = new Float32Array(0);
  /** Built on the first "more like this", which is the only query that starts from a paper id. */
  #paperPositions: PaperPositions | undefined;

  private constructor(papers: readonly Paper[]) {
    this.#papers = papers;
    this.#postings = buildPostings(papers);
    const termStrings = new Array<string>(this.#postings.termIds.size);
    for (const [term, id] of this.#postings.termIds) termStrings[id] = term;
    this.#termStrings = termStrings;
    this.#authors = AuthorIndex.build(papers);
    const { words, wordTermIds } = this.#postings;
    const order = Array.from(words.keys()).filter((i) => (wordTermIds[i] ?? -1) >= 0);
    order.sort((a, b) => ((words[a] ?? "") < (words[b] ?? "") ? -1 : 1));
    this.#sortedWords = order.map((i) => words[i] ?? "");
    this.#sortedWordTermIds = Int32Array.from(order, (i) => wordTermIds[i] ?? -1);
    this.#wordLexicon = new FuzzyLexicon(words);
    this.#authorLexicon = new FuzzyLexicon(this.#authors.words);
  }

  /** Indexes the papers; a paper's position in the list is its id inside the index. */
  static build(papers: readonly Paper[]): SearchIndex {
    return new SearchIndex(papers);
  }

  get size(): number {
    return this.#papers.length;
  }

  /**
   * Best matches first. `total` counts papers with every word (or, in the any-word fallback, with at
   * least one); past 2,000 phrase candidates it is estimated from the ones checked. Never throws.
   */
  search(query: string, options: SearchOptions = {}): SearchResult {
    const limit = clampInteger(options.limit, DEFAULT_LIMIT, 0, MAX_LIMIT);
    const offset = clampInteger(options.offset, 0, 0, MAX_OFFSET);
    const plan = this.#plan(query);
    if (plan === undefined) return EMPTY_RESULT;
    if (plan.impossible) return { ...EMPTY_RESULT, corrections: plan.corrections };
    let count = this.#matchAll(plan);
    if (count === 0 && plan.groups.some((group) => !group.required)) count = this.#matchAny(plan);
    const { best, total } = this.#rank(plan, count, offset + limit, VERIFY_ALL_LIMIT);
    const hits = best.slice(offset).map((candidate) => this.#hit(plan, candidate));
    return { total, hits, corrections: plan.corrections };
  }

  /**
   * Every paper matching a topic query (all its words, the phrases, the author filters), best first, as
   * paper id -> score. No any-word fallback: a topic either matches a paper or it does not.
   */
  matchAll(query: string, options: { readonly limit?: number } = {}): ReadonlyMap<string, number> {
    const limit = clampInteger(options.limit, Number.MAX_SAFE_INTEGER, 0, Number.MAX_SAFE_INTEGER);
    const matches = new Map<string, number>();
    const plan = this.#plan(query);
    if (plan === undefined || plan.impossible) return matches;
    const count = this.#matchAll(plan);
    const { best } = this.#rank(plan, count, Math.min(limit, count), Number.POSITIVE_INFINITY);
    for (const candidate of best) {
      const paper = this.#papers[this.#candidateDocs[candidate] ?? 0];
      if (paper !== undefined) matches.set(paper.id, this.#candidateScores[candidate] ?? 0);
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
    this.#paperPositions ??= new PaperPositions(this.#papers);
    const doc = this.#paperPositions.find(paperId) ?? this.#paperPositions.find(paperId.toLowerCase());
    const paper = doc === undefined ? undefined : this.#papers[doc];
    if (doc === undefined || paper === undefined) return EMPTY_RESULT;
    const terms = distinctiveTerms(paper, this.#postings, (termId) => this.#idf(termId), SIMILAR_QUERY_TERMS);
    // Every term counts once, as in a typed query: weighting them by their tf-idf again overrates rare words.
    const groups = terms.map(
      (termId): Group => ({
        members: [{ termId, weight: 1 }],
        totalFrequency: this.#postings.documentFrequency[termId] ?? 0,
        required: false,
        display: this.#termStrings[termId] ?? "",
      }),
    );
    const plan: Plan = {
      groups,
      phrases: [],
      authorDocs: undefined,
      authorNames: [],
      corrections: [],
      impossible: false,
    };
    // Plain BM25 sums, no coordination bonus: one strongly shared word can matter more than two weak ones.
    // (A dozen terms' scores stay far below COORDINATION_BONUS, so #hit reports them unchanged.)
    const count = this.#sumGroups(groups, 0, doc);
    const { best, total } = this.#rank(plan, count, offset + limit, VERIFY_ALL_LIMIT);
    const hits = best.slice(offset).map((candidate) => this.#hit(plan, candidate));
    return { total, hits, corrections: [] };
  }

  // ---- query planning -------------------------------------------------------------------------------

  #plan(query: string): Plan | undefined {
    const parsed = parseQuery(query);
    if (parsed.clauses.length === 0 || this.#papers.length === 0) return undefined;
    const groups: Group[] = [];
    const phrases: PhraseMatcher[] = [];
    const authorNames: string[][] = [];
    const corrections: Correction[] = [];
    let authorDocs: Uint32Array | undefined;
    let impossible = false;
    parsed.clauses.forEach((clause: QueryClause, index) => {
      if (clause.kind === "word") {
        const isPrefix = parsed.lastWordIsPrefix && index === parsed.clauses.length - 1;
        const group = this.#resolveWord(clause.word, isPrefix, false, corrections);
        if (group !== undefined) groups.push(group);
      } else if (clause.kind === "phrase") {
        const terms: string[] = [];
        for (const word of clause.words) {
          const group = this.#resolveWord(word, false, true, corrections);
          if (group === undefined) continue; // stopwords are skipped in documents too
          if (group.members.length === 0) impossible = true;
          groups.push(group);
          const first = group.members[0];
          if (first !== undefined) terms.push(this.#termStrings[first.termId] ?? "");
        }
        if (terms.length > 1) phrases.push(new PhraseMatcher(terms));
      } else {
        const words: string[] = [];
        for (const word of clause.words) {
          let docs = this.#authors.papersWith(word);
          let resolved = word;
          if (docs === undefined) {
            resolved = this.#correctAuthorWord(word) ?? word;
            docs = this.#authors.papersWith(resolved);
            if (docs !== undefined) corrections.push({ from: word, to: resolved });
          }
          if (docs === undefined) {
            impossible = true;
            continue;
          }
          words.push(resolved);
          authorDocs = authorDocs === undefined ? docs : intersectSorted(authorDocs, docs);
        }
        if (words.length > 1) authorNames.push(words);
      }
    });
    if (groups.length === 0 && authorDocs === undefined && !impossible) return undefined;
    return { groups, phrases, authorDocs, authorNames, corrections, impossible };
  }

  /** The indexed terms a query word stands for, or undefined for a stopword; no members = unknown word. */
  #resolveWord(
    word: string,
    isPrefix: boolean,
    required: boolean,
    corrections: Correction[],
  ): Group | undefined {
    const term = termOf(word);
    if (term === undefined) return undefined;
    const { termIds, documentFrequency } = this.#postings;
    const members: Member[] = [];
    const exact = termIds.get(term);
    if (exact !== undefined) members.push({ termId: exact, weight: 1 });
    if (isPrefix && word.length >= 2) {
      for (const termId of this.#completions(word, exact)) members.push({ termId, weight: PREFIX_WEIGHT });
    }
    let display = word;
    if (members.length === 0) {
      const correction = this.#correctWord(word);
      if (correction !== undefined) {
        members.push({ termId: correction.termId, weight: 1 });
        corrections.push({ from: word, to: correction.word });
        display = correction.word;
      }
    }
    let totalFrequency = 0;
    for (const member of members) totalFrequency += documentFrequency[member.termId] ?? 0;
    return { members, totalFrequency, required, display };
  }

  /** Term ids of indexed words starting with `prefix`, most frequent first, without `exclude`. */
  #completions(prefix: string, exclude: number | undefined): number[] {
    const words = this.#sortedWords;
    let low = 0;
    let high = words.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((words[mid] ?? "") < prefix) low = mid + 1;
      else high = mid;
    }
    const seen = new Set<number>(exclude === undefined ? [] : [exclude]);
    for (let i = low; i < words.length && (words[i] ?? "").startsWith(prefix); i++) {
      seen.add(this.#sortedWordTermIds[i] ?? -1);
    }
    if (exclude !== undefined) seen.delete(exclude);
    seen.delete(-1);
    const df = this.#postings.documentFrequency;
    return [...seen].sort((a, b) => (df[b] ?? 0) - (df[a] ?? 0)).slice(0, MAX_PREFIX_EXPANSIONS);
  }

  #correctWord(word: string): { termId: number; word: string } | undefined {
    const { words, wordTermIds, documentFrequency } = this.#postings;
    let best: { termId: number; word: string } | undefined;
    for (const index of this.#wordLexicon.nearest(word, allowedEdits(word.length))) {
      const termId = wordTermIds[index] ?? -1;
      if (termId < 0) continue; // a stopword is never what someone meant by a content word
      if (best === undefined || (documentFrequency[termId] ?? 0) > (documentFrequency[best.termId] ?? 0)) {
        best = { termId, word: words[index] ?? word };
      }
    }
    return best;
  }

  #correctAuthorWord(word: string): string | undefined {
    const words = this.#authors.words;
    let best: string | undefined;
    for (const index of this.#authorLexicon.nearest(word, allowedEdits(word.length))) {
      const candidate = words[index];
      if (candidate === undefined) continue;
      if (
        best === undefined ||
        (this.#authors.papersWith(candidate)?.length ?? 0) > (this.#authors.papersWith(best)?.length ?? 0)
      ) {
        best = candidate;
      }
    }
    return best;
  }

  // ---- matching -------------------------------------------------------------------------------------

  #ensureScratch(): void {
    const n = this.#papers.length;
    if (this.#candidateDocs.length === n) return;
    this.#candidateDocs = new Uint32Array(n);
    this.#candidateScores = new Float32Array(n);
    this.#dense = new Float32Array(n);
    this.#touched = new Uint32Array(n);
    this.#hitCounts = new Uint8Array(n);
    this.#totals = new Float32Array(n);
  }

  #idf(termId: number): number {
    const n = this.#papers.length;
    const df = this.#postings.documentFrequency[termId] ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Papers matching every group and the author filter, into the candidate buffers; returns how many. */
  #matchAll(plan: Plan): number {
    this.#ensureScratch();
    const groups = [...plan.groups].sort((a, b) => a.totalFrequency - b.totalFrequency);
    if (groups.some((group) => group.members.length === 0)) return 0;
    const first = groups[0];
    const authorDocs = plan.authorDocs;
    let count: number;
    let rest = groups;
    if (authorDocs !== undefined && (first === undefined || authorDocs.length <= first.totalFrequency)) {
      this.#candidateDocs.set(authorDocs);
      this.#candidateScores.fill(0, 0, authorDocs.length);
      count = authorDocs.length;
    } else if (first !== undefined) {
      count = this.#loadGroup(first);
      rest = groups.slice(1);
      if (authorDocs !== undefined) count = this.#keepListed(count, authorDocs);
    } else {
      return 0;
    }
    for (const group of rest) {
      if (count === 0) break;
      count = this.#keepInGroup(count, group);
    }
    return count;
  }

  /**
   * The any-word fallback: papers meeting the strict parts (phrases, authors) and at least one bare word
   * (or, with no strict parts, any bare word), ranked by how many bare words they have, then BM25.
   */
  #matchAny(plan: Plan): number {
    this.#ensureScratch();
    const required = plan.groups.filter((group) => group.required);
    const optional = plan.groups.filter((group) => !group.required && group.members.length > 0);
    if (optional.length === 0) return 0;
    if (required.length > 0 || plan.authorDocs !== undefined) {
      const count = this.#matchAll({ ...plan, groups: required });
      for (const group of optional) {
        const touchedCount = this.#accumulateGroup(group);
        for (let c = 0; c < count; c++) {
          const value = this.#dense[this.#candidateDocs[c] ?? 0] ?? 0;
          if (value > 0)
            this.#candidateScores[c] = (this.#candidateScores[c] ?? 0) + value + COORDINATION_BONUS;
        }
        this.#clearDense(touchedCount);
      }
      return count;
    }
    // No strict part: the union of the bare words.
    return this.#sumGroups(optional, COORDINATION_BONUS, -1);
  }

  /**
   * Papers with at least one of the groups (except `excludedDoc`), into the candidate buffers, each scored
   * by the sum of its groups' scores plus `coordinationBonus` per group it has; returns how many. Only the
   * papers the postings name are visited, never the whole corpus.
   */
  #sumGroups(groups: readonly Group[], coordinationBonus: number, excludedDoc: number): number {
    this.#ensureScratch();
    const totals = this.#totals;
    const hits = this.#hitCounts;
    const union = this.#candidateDocs;
    let unionCount = 0;
    for (const group of groups) {
      const touchedCount = this.#accumulateGroup(group);
      for (let i = 0; i < touchedCount; i++) {
        const doc = this.#touched[i] ?? 0;
        if ((hits[doc] ?? 0) === 0) union[unionCount++] = doc;
        totals[doc] = (totals[doc] ?? 0) + (this.#dense[doc] ?? 0);
        hits[doc] = (hits[doc] ?? 0) + 1;
      }
      this.#clearDense(touchedCount);
    }
    let count = 0;
    for (let i = 0; i < unionCount; i++) {
      const doc = union[i] ?? 0;
      const score = (totals[doc] ?? 0) + (hits[doc] ?? 0) * coordinationBonus;
      totals[doc] = 0;
      hits[doc] = 0;
      if (doc === excludedDoc) continue;
      // count <= i, so compacting in place never overwrites a paper not yet read.
      union[count] = doc;
      this.#candidateScores[count] = score;
      count++;
    }
    return count;
  }

  /** Loads one group's papers and scores as the starting candidates. */
  #loadGroup(group: Group): number {
    const member = group.members[0];
    if (group.members.length === 1 && member !== undefined) {
      const { start, docs, weights } = this.#postings;
      const from = start[member.termId] ?? 0;
      const to = start[member.termId + 1] ?? 0;
      const factor = (member.weight * this.#idf(member.termId)) / 255;
      this.#candidateDocs.set(docs.subarray(from, to));
      for (let p = from; p < to; p++) this.#candidateScores[p - from] = (weights[p] ?? 0) * factor;
      return to - from;
    }
    const touchedCount = this.#accumulateGroup(group);
    const touched = this.#touched.subarray(0, touchedCount).sort();
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i] ?? 0;
      this.#candidateDocs[i] = doc;
      this.#candidateScores[i] = this.#dense[doc] ?? 0;
    }
    this.#clearDense(touchedCount);
    return touchedCount;
  }

  /** Keeps the candidates that have the group's term (galloping through its postings), adding its score. */
  #keepInGroup(count: number, group: Group): number {
    const member = group.members[0];
    const candidates = this.#candidateDocs;
    const scores = this.#candidateScores;
    let kept = 0;
    if (group.members.length === 1 && member !== undefined) {
      const { start, docs, weights } = this.#postings;
      let position = start[member.termId] ?? 0;
      const end = start[member.termId + 1] ?? 0;
      const factor = (member.weight * this.#idf(member.termId)) / 255;
      for (let c = 0; c < count && position < end; c++) {
        const doc = candidates[c] ?? 0;
        position = gallop(docs, position, end, doc);
        if (position < end && docs[position] === doc) {
          candidates[kept] = doc;
          scores[kept] = (scores[c] ?? 0) + (weights[position] ?? 0) * factor;
          kept++;
        }
      }
      return kept;
    }
    const touchedCount = this.#accumulateGroup(group);
    for (let c = 0; c < count; c++) {
      const doc = candidates[c] ?? 0;
      const value = this.#dense[doc] ?? 0;
      if (value > 0) {
        candidates[kept] = doc;
        scores[kept] = (scores[c] ?? 0) + value;
        kept++;
      }
    }
    this.#clearDense(touchedCount);
    return kept;
  }

  #keepListed(count: number, list: Uint32Array): number {
    const candidates = this.#candidateDocs;
    let kept = 0;
    let position = 0;
    for (let c = 0; c < count && position < list.length; c++) {
      const doc = candidates[c] ?? 0;
      position = gallop(list, position, list.length, doc);
      if (list[position] === doc) {
        candidates[kept] = doc;
        this.#candidateScores[kept] = this.#candidateScores[c] ?? 0;
        kept++;
      }
    }
    return kept;
  }

  /** Best member score per paper for a group, into #dense; the papers touched are in #touched. */
  #accumulateGroup(group: Group): number {
    const { start, docs, weights } = this.#postings;
    const dense = this.#dense;
    let touchedCount = 0;
    for (const member of group.members) {
      const factor = (member.weight * this.#idf(member.termId)) / 255;
      const end = start[member.termId + 1] ?? 0;
      for (let p = start[member.termId] ?? 0; p < end; p++) {
        const doc = docs[p] ?? 0;
        const value = (weights[p] ?? 0) * factor;
        const previous = dense[doc] ?? 0;
        if (previous === 0) this.#touched[touchedCount++] = doc;
        if (value > previous) dense[doc] = value;
      }
    }
    return touchedCount;
  }

  #clearDense(touchedCount: number): void {
    for (let i = 0; i < touchedCount; i++) this.#dense[this.#touched[i] ?? 0] = 0;
  }

  // ---- ranking and hits -----------------------------------------------------------------------------

  /**
   * The best `k` candidates (indexes into the candidate buffers) that pass phrase and full-name checks.
   * Those checks re-read the paper's text, so past `verifyAllLimit` candidates only the best are checked
   * (the best 256, or all when fewer than k of those pass) and the total is extrapolated from the pass rate.
   */
  #rank(plan: Plan, count: number, k: number, verifyAllLimit: number): { best: number[]; total: number } {
    if (plan.phrases.length === 0 && plan.authorNames.length === 0) {
      return { best: topK(this.#candidateDocs, this.#candidateScores, count, k), total: count };
    }
    const passes = (candidate: number): boolean =>
      this.#passesChecks(plan, this.#candidateDocs[candidate] ?? 0);
    if (count <= verifyAllLimit) {
      let kept = 0;
      for (let c = 0; c < count; c++) {
        if (!passes(c)) continue;
        this.#candidateDocs[kept] = this.#candidateDocs[c] ?? 0;
        this.#candidateScores[kept] = this.#candidateScores[c] ?? 0;
        kept++;
      }
      return { best: topK(this.#candidateDocs, this.#candidateScores, kept, k), total: kept };
    }
    const ordered = topK(this.#candidateDocs, this.#candidateScores, count, Math.max(256, 4 * k));
    const passing = ordered.filter(passes);
    if (passing.length >= k) {
      return { best: passing.slice(0, k), total: Math.round((count * passing.length) / ordered.length) };
    }
    // A rare phrase of common words: the best candidates mostly fail, so check them all after all.
    return this.#rank(plan, count, k, Number.POSITIVE_INFINITY);
  }

  #passesChecks(plan: Plan, doc: number): boolean {
    const paper = this.#papers[doc];
    if (paper === undefined) return false;
    if (!plan.authorNames.every((words) => hasAuthorNamed(paper, words))) return false;
    return plan.phrases.every((phrase) => phrase.matches(paper.title) || phrase.matches(paper.abstract));
  }

  #hit(plan: Plan, candidate: number): SearchHit {
    const doc = this.#candidateDocs[candidate] ?? 0;
    const paper = this.#papers[doc] as Paper;
    const matchedStems: string[] = [];
    const fallbackWords = new Map<string, string>();
    for (const group of plan.groups) {
      // Members are ordered exact word first, then completions by frequency: report the first one present.
      const member = group.members.find((candidate) => this.#contains(candidate.termId, doc));
      if (member === undefined) continue;
      const stem = this.#termStrings[member.termId] ?? "";
      if (!fallbackWords.has(stem)) {
        matchedStems.push(stem);
        fallbackWords.set(stem, group.display);
      }
    }
    const stems = new Set(matchedStems);
    const spelled = new Map<string, string>();
    for (const match of [...findMatches(paper.title, stems), ...findMatches(paper.abstract, stems)]) {
      if (!spelled.has(match.term)) spelled.set(match.term, match.word);
    }
    return {
      paper,
      // The any-word fallback adds a bonus per matched word to rank by coverage; report the BM25 part.
      score: (this.#candidateScores[candidate] ?? 0) % COORDINATION_BONUS,
      snippet: makeSnippet(paper.abstract.trim() === "" ? paper.title : paper.abstract, stems),
      matchedTerms: matchedStems.map((stem) => spelled.get(stem) ?? fallbackWords.get(stem) ?? stem),
    };
  }

  #contains(termId: number, doc: number): boolean {
    const { start, docs } = this.#postings;
    const end = start[termId + 1] ?? 0;
    const position = gallop(docs, start[termId] ?? 0, end, doc);
    return position < end && docs[position] === doc;
  }
}

function intersectSorted(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out: number[] = [];
  let j = 0;
  for (const value of a) {
    j = gallop(b, j, b.length, value);
    if (b[j] === value) out.push(value);
  }
  return Uint32Array.from(out);
}

function clampInteger(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}
