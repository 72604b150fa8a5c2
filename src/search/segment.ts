import type { Paper } from "../core/paper.ts";
import type { Steps } from "../runtime/steps.ts";
import { AuthorIndex, hasAuthorNamed } from "./author-index.ts";
import { CategoryIndex } from "./category-index.ts";
import { FuzzyLexicon } from "./fuzzy.ts";
import { gallop } from "./gallop.ts";
import { PaperPositions } from "./paper-positions.ts";
import type { PhraseMatcher } from "./phrase.ts";
import { type LengthBaseline, postingsSteps } from "./postings.ts";
import type { QueryPlan } from "./query-plan.ts";
import { imageOf, partsFromImageSteps, type SegmentImage } from "./segment-image.ts";
import type { BuiltSegmentParts } from "./segment-parts.ts";
import { findMatches, makeSnippet } from "./snippet.ts";
import { sortByKeySteps } from "./sort-steps.ts";
import { Tombstones } from "./tombstones.ts";
import { topK } from "./top-k.ts";

/** One query term as this segment has it: its term id here and its score factor (weight x idf / 255). */
export interface BoundMember {
  readonly termId: number;
  readonly term: string;
  readonly factor: number;
}

export interface BoundGroup {
  /** The group's terms this segment has (possibly none). */
  readonly members: readonly BoundMember[];
  /** Papers here with any member, to intersect the rarest group first. */
  readonly totalFrequency: number;
  readonly required: boolean;
  readonly display: string;
}

/** A query plan with its terms looked up in one segment. */
export interface BoundPlan {
  readonly groups: readonly BoundGroup[];
  readonly phrases: readonly PhraseMatcher[];
  /** Papers here passing every author: and cat: filter (ascending), or undefined when there is none. */
  readonly allowedDocs: Uint32Array | undefined;
  readonly authorNames: readonly (readonly string[])[];
  /** An author: word or cat: code no paper of this segment has: nothing here can match. */
  readonly excluded: boolean;
}

export interface RankedCandidates {
  /** Indexes into the segment's candidate buffers, best first; valid until its next query. */
  readonly best: readonly number[];
  readonly total: number;
}

/**
 * A posting's weight as a profile feature, by its byte: BM25F's saturation s = tf~/(k1 + tf~) turned back
 * into the (field-boosted, length-normalised) term frequency tf~ and damped as log(1 + tf~), the way
 * tf-idf's sublinear tf is, so a word said often counts more than BM25's saturation lets it.
 */
const FEATURE_OF_WEIGHT = Float64Array.from({ length: 256 }, (_, q) => {
  const s = Math.min(q, 254.5) / 255;
  return Math.log1p((1.2 * s) / (1 - s));
});

/** Words or terms handled between two pauses of a build in slices (see steps.ts). */
const ITEMS_PER_STEP = 256;

/** In the any-word fallback, each matched word outranks any difference in BM25 among papers. */
export const COORDINATION_BONUS = 1000;

/**
 * Scratch space sized to the segment, allocated on first use and reused by every query. Every view of a
 * segment shares it: queries run start to end without yielding, so two never use it at once.
 */
class Scratch {
  candidateDocs = new Uint32Array(0);
  candidateScores = new Float32Array(0);
  dense = new Float32Array(0);
  touched = new Uint32Array(0);
  hitCounts = new Uint8Array(0);
  totals = new Float32Array(0);

  ensure(size: number): void {
    if (this.candidateDocs.length === size) return;
    this.candidateDocs = new Uint32Array(size);
    this.candidateScores = new Float32Array(size);
    this.dense = new Float32Array(size);
    this.touched = new Uint32Array(size);
    this.hitCounts = new Uint8Array(size);
    this.totals = new Float32Array(size);
  }
}

/** What is built once per segment and shared by its views: the built parts plus per-segment scratch. */
export interface SegmentParts extends BuiltSegmentParts {
  readonly scratch: Scratch;
  /** Built on the first "more like this" (ids never change between views). */
  positions: PaperPositions | undefined;
}

/** What a segment is built from: its parts but the scratch space and the lazily built id lookup. */
type BuiltParts = BuiltSegmentParts;

/**
 * A segment's parts, made by this one object literal whether the segment was built here or from a
 * worker's image. Delta segments used to get theirs from a spread ({ ...parts, scratch, positions }),
 * which V8 gives another hidden class than the main segment's literal: the query code, optimised for the
 * main segment's parts, then met a delta's at every query and left its optimised code each time without
 * V8 replacing it (a deoptimisation loop: hundreds per pass of 250 queries once merges had added deltas,
 * under --trace-deopt).
 */
function segmentParts(built: BuiltParts): SegmentParts {
  return {
    postings: built.postings,
    termStrings: built.termStrings,
    authors: built.authors,
    sortedWords: built.sortedWords,
    sortedWordIndexes: built.sortedWordIndexes,
    sortedWordTermIds: built.sortedWordTermIds,
    wordLexicon: built.wordLexicon,
    authorLexicon: built.authorLexicon,
    scratch: new Scratch(),
    positions: undefined,
  };
}

/**
 * One immutable inverted index over a list of papers (see postings.ts), and the matching, ranking and hit
 * making over it. A segmented SearchIndex queries several and merges their answers; scores use the
 * factors the query was bound with, so every segment scores with the whole corpus's statistics.
 *
 * A view of a segment (see {@link withView}) shares the built index with newer Paper objects of the same
 * text (new upvotes) and with tombstones over papers that are gone or re-indexed elsewhere.
 */
export class Segment {
  readonly #parts: SegmentParts;
  readonly papers: readonly Paper[];
  readonly #deleted: Tombstones | undefined;

  private constructor(parts: SegmentParts, papers: readonly Paper[], deleted: Tombstones | undefined) {
    this.#parts = parts;
    this.papers = papers;
    this.#deleted = deleted;
  }

  /**
   * Indexes the papers as steps (see steps.ts); a paper's position in the list is its id inside the
   * segment. `baseline` is the rest of the corpus, for field-length averages (see postings.ts).
   */
  static *buildSteps(papers: readonly Paper[], baseline?: LengthBaseline): Steps<Segment> {
    const postings = yield* postingsSteps(papers, baseline);
    const authors = yield* AuthorIndex.buildSteps(papers);
    const termStrings = new Array<string>(postings.termIds.size);
    let count = 0;
    for (const [term, id] of postings.termIds) {
      termStrings[id] = term;
      if (++count % ITEMS_PER_STEP === 0) yield;
    }
    const { words, wordTermIds } = postings;
    const contentWords: number[] = [];
    for (let i = 0; i < words.length; i++) if ((wordTermIds[i] ?? -1) >= 0) contentWords.push(i);
    const order = yield* sortByKeySteps(words, contentWords);
    const sortedWords = new Array<string>(order.length);
    const sortedWordIndexes = new Uint32Array(order.length);
    const sortedWordTermIds = new Int32Array(order.length);
    for (let k = 0; k < order.length; k++) {
      const i = order[k] ?? 0;
      sortedWords[k] = words[i] ?? "";
      sortedWordIndexes[k] = i;
      sortedWordTermIds[k] = wordTermIds[i] ?? -1;
      if (k % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    }
    const parts = segmentParts({
      postings,
      termStrings,
      authors,
      sortedWords,
      sortedWordIndexes,
      sortedWordTermIds,
      wordLexicon: yield* FuzzyLexicon.buildSteps(words),
      authorLexicon: yield* FuzzyLexicon.buildSteps(authors.words),
    });
    return new Segment(parts, papers, undefined);
  }

  /**
   * A segment over `papers` from the image of one built over the same texts in a worker thread, as
   * steps: only the word lists and their maps are made here (see segment-image.ts).
   */
  static *fromImageSteps(image: SegmentImage, papers: readonly Paper[]): Steps<Segment> {
    const parts = yield* partsFromImageSteps(image);
    return new Segment(segmentParts(parts), papers, undefined);
  }

  /** This segment's built index as an image for another thread; its typed arrays are shared, not copied. */
  image(): SegmentImage {
    return imageOf(this.#parts);
  }

  /** Positions in this segment, including deleted ones. */
  get size(): number {
    return this.papers.length;
  }

  get liveSize(): number {
    return this.papers.length - (this.#deleted?.count ?? 0);
  }

  /** The live papers' count and total field lengths, for a segment built beside this one. */
  get lengthBaseline(): LengthBaseline {
    const sums = this.#parts.postings.fieldLengthSums;
    const dead = this.#deleted?.deadFieldLengths ?? [0, 0, 0];
    return {
      documentCount: this.liveSize,
      fieldLengthSums: [sums[0] - dead[0], sums[1] - dead[1], sums[2] - dead[2]],
    };
  }

  isLive(doc: number): boolean {
    return this.#deleted === undefined || !this.#deleted.has(doc);
  }

  /** Every live paper, in segment order. */
  livePapers(): Paper[] {
    return this.#deleted === undefined ? [...this.papers] : this.papers.filter((_, doc) => this.isLive(doc));
  }

  /** Builds the id lookup that {@link find} needs, as steps, when it is not there yet. */
  *prepareFindSteps(): Steps<void> {
    if (this.#parts.positions !== undefined) return;
    const positions = yield* PaperPositions.buildSteps(this.papers);
    this.#parts.positions ??= positions;
  }

  /** The live position of the paper with this id, or undefined. */
  find(id: string): number | undefined {
    this.#parts.positions ??= PaperPositions.build(this.papers);
    const doc = this.#parts.positions.find(id);
    return doc !== undefined && this.isLive(doc) ? doc : undefined;
  }

  /**
   * This segment with `papers` in place of its own (the same texts at the same positions, newer
   * other fields) and the papers at `deletedDocs` tombstoned too, as steps.
   */
  *withViewSteps(papers: readonly Paper[], deletedDocs: readonly number[]): Steps<Segment> {
    const deleted =
      deletedDocs.length === 0
        ? this.#deleted
        : yield* Tombstones.addingSteps(
            this.#deleted,
            { size: this.papers.length, termIds: this.#parts.postings.termIds },
            deletedDocs.map((doc) => ({ doc, paper: this.papers[doc] as Paper })),
          );
    return new Segment(this.#parts, papers, deleted);
  }

  // ---- vocabulary, for planning a query across segments ------------------------------------------

  /** Live papers here with this term. */
  frequency(term: string): number {
    const termId = this.#parts.postings.termIds.get(term);
    return termId === undefined ? 0 : this.#liveFrequency(termId);
  }

  #liveFrequency(termId: number): number {
    const df = this.#parts.postings.documentFrequency[termId] ?? 0;
    return this.#deleted === undefined ? df : df - this.#deleted.frequency(termId);
  }

  /** Each distinct term of the indexed words starting with `prefix`, with its first such word and live frequency. */
  forEachCompletion(prefix: string, visit: (term: string, word: string, frequency: number) => void): void {
    const { sortedWords: words, sortedWordTermIds: termIds, termStrings } = this.#parts;
    let low = 0;
    let high = words.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((words[mid] ?? "") < prefix) low = mid + 1;
      else high = mid;
    }
    const seen = new Set<number>();
    for (let i = low; i < words.length && (words[i] ?? "").startsWith(prefix); i++) {
      const termId = termIds[i] ?? -1;
      if (termId < 0 || seen.has(termId)) continue;
      seen.add(termId);
      visit(termStrings[termId] ?? "", words[i] ?? "", this.#liveFrequency(termId));
    }
  }

  /** Indexed words nearest to `word` (stopwords with term undefined), skipping words only deleted papers had. */
  nearestWords(
    word: string,
    maxEdits: number,
  ): { distance: number; words: Array<{ word: string; term: string | undefined }> } {
    const { words, wordTermIds } = this.#parts.postings;
    const accept =
      this.#deleted === undefined
        ? undefined
        : (index: number) => {
            const termId = wordTermIds[index] ?? -1;
            return termId < 0 || this.#liveFrequency(termId) > 0;
          };
    const nearest = this.#parts.wordLexicon.nearest(word, maxEdits, accept);
    return {
      distance: nearest.distance,
      words: nearest.indexes.map((index) => {
        const termId = wordTermIds[index] ?? -1;
        return { word: words[index] ?? word, term: termId < 0 ? undefined : this.#parts.termStrings[termId] };
      }),
    };
  }

  /** Live papers here with an author name containing this normalised word. */
  authorFrequency(word: string): number {
    return this.#liveCount(this.#parts.authors.papersWith(word));
  }

  /** Live papers here under this cat: code (see category-index.ts). */
  categoryFrequency(code: string): number {
    return this.#liveCount(CategoryIndex.of(this.papers).papersIn(code));
  }

  #liveCount(docs: Uint32Array | undefined): number {
    if (docs === undefined) return 0;
    if (this.#deleted === undefined) return docs.length;
    let live = 0;
    for (const doc of docs) if (this.isLive(doc)) live++;
    return live;
  }

  nearestAuthorWords(word: string, maxEdits: number): { distance: number; words: string[] } {
    const words = this.#parts.authors.words;
    const accept =
      this.#deleted === undefined
        ? undefined
        : (index: number) => this.authorFrequency(words[index] ?? "") > 0;
    const nearest = this.#parts.authorLexicon.nearest(word, maxEdits, accept);
    return { distance: nearest.distance, words: nearest.indexes.map((index) => words[index] ?? word) };
  }

  /** The plan's terms as this segment has them, scored with `idf` (the whole corpus's). */
  bind(plan: QueryPlan, idf: (term: string) => number): BoundPlan {
    const { termIds, documentFrequency } = this.#parts.postings;
    const groups = plan.groups.map((group): BoundGroup => {
      const members: BoundMember[] = [];
      let totalFrequency = 0;
      for (const { term, weight } of group.terms) {
        const termId = termIds.get(term);
        if (termId === undefined) continue;
        members.push({ termId, term, factor: (weight * idf(term)) / 255 });
        totalFrequency += documentFrequency[termId] ?? 0;
      }
      return { members, totalFrequency, required: group.required, display: group.display };
    });
    let allowedDocs: Uint32Array | undefined;
    let excluded = false;
    const filters = [
      ...plan.authorWords.map((word) => this.#parts.authors.papersWith(word)),
      ...plan.categories.map((code) => CategoryIndex.of(this.papers).papersIn(code)),
    ];
    for (const docs of filters) {
      if (docs === undefined) {
        excluded = true;
        break;
      }
      allowedDocs = allowedDocs === undefined ? docs : intersectSorted(allowedDocs, docs);
    }
    return { groups, phrases: plan.phrases, allowedDocs, authorNames: plan.authorNames, excluded };
  }

  // ---- matching -------------------------------------------------------------------------------------

  /** Live papers matching every group and the author filter, into the candidate buffers; returns how many. */
  matchAll(plan: BoundPlan): number {
    return this.#dropDeleted(this.#matchAll(plan));
  }

  /**
   * The any-word fallback: papers meeting the strict parts (phrases, authors) and at least one bare word
   * (or, with no strict parts, any bare word), ranked by how many bare words they have, then BM25.
   */
  matchAny(plan: BoundPlan): number {
    return this.#dropDeleted(this.#matchAny(plan));
  }

  /**
   * Papers with at least one of the groups (except `excludedDoc`), into the candidate buffers, each scored
   * by the sum of its groups' scores plus `coordinationBonus` per group it has; returns how many. Only the
   * papers the postings name are visited, never the whole corpus.
   */
  sumGroups(groups: readonly BoundGroup[], coordinationBonus: number, excludedDoc: number): number {
    return this.#dropDeleted(this.#sumGroups(groups, coordinationBonus, excludedDoc));
  }

  #matchAll(plan: BoundPlan): number {
    if (plan.excluded) return 0;
    const scratch = this.#scratch();
    const groups = [...plan.groups].sort((a, b) => a.totalFrequency - b.totalFrequency);
    if (groups.some((group) => group.members.length === 0)) return 0;
    const first = groups[0];
    const allowedDocs = plan.allowedDocs;
    let count: number;
    let rest = groups;
    if (allowedDocs !== undefined && (first === undefined || allowedDocs.length <= first.totalFrequency)) {
      scratch.candidateDocs.set(allowedDocs);
      scratch.candidateScores.fill(0, 0, allowedDocs.length);
      count = allowedDocs.length;
    } else if (first !== undefined) {
      count = this.#loadGroup(first);
      rest = groups.slice(1);
      if (allowedDocs !== undefined) count = this.#keepListed(count, allowedDocs);
    } else {
      return 0;
    }
    for (const group of rest) {
      if (count === 0) break;
      count = this.#keepInGroup(count, group);
    }
    return count;
  }

  #matchAny(plan: BoundPlan): number {
    if (plan.excluded) return 0;
    const scratch = this.#scratch();
    const required = plan.groups.filter((group) => group.required);
    const optional = plan.groups.filter((group) => !group.required && group.members.length > 0);
    if (optional.length === 0) return 0;
    if (required.length > 0 || plan.allowedDocs !== undefined) {
      const count = this.#matchAll({ ...plan, groups: required });
      for (const group of optional) {
        const touchedCount = this.#accumulateGroup(group);
        for (let c = 0; c < count; c++) {
          const value = scratch.dense[scratch.candidateDocs[c] ?? 0] ?? 0;
          if (value > 0)
            scratch.candidateScores[c] = (scratch.candidateScores[c] ?? 0) + value + COORDINATION_BONUS;
        }
        this.#clearDense(touchedCount);
      }
      return count;
    }
    // No strict part: the union of the bare words.
    return this.#sumGroups(optional, COORDINATION_BONUS, -1);
  }

  #sumGroups(groups: readonly BoundGroup[], coordinationBonus: number, excludedDoc: number): number {
    const scratch = this.#scratch();
    const { totals, hitCounts: hits, candidateDocs: union, dense, touched } = scratch;
    let unionCount = 0;
    for (const group of groups) {
      const touchedCount = this.#accumulateGroup(group);
      for (let i = 0; i < touchedCount; i++) {
        const doc = touched[i] ?? 0;
        if ((hits[doc] ?? 0) === 0) union[unionCount++] = doc;
        totals[doc] = (totals[doc] ?? 0) + (dense[doc] ?? 0);
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
      scratch.candidateScores[count] = score;
      count++;
    }
    return count;
  }

  /** Compacts the candidates to the live papers (a no-op for a segment without tombstones). */
  #dropDeleted(count: number): number {
    const deleted = this.#deleted;
    if (deleted === undefined || count === 0) return count;
    const { candidateDocs, candidateScores } = this.#parts.scratch;
    let kept = 0;
    for (let c = 0; c < count; c++) {
      const doc = candidateDocs[c] ?? 0;
      if (deleted.has(doc)) continue;
      candidateDocs[kept] = doc;
      candidateScores[kept] = candidateScores[c] ?? 0;
      kept++;
    }
    return kept;
  }

  /** Loads one group's papers and scores as the starting candidates. */
  #loadGroup(group: BoundGroup): number {
    const scratch = this.#parts.scratch;
    const member = group.members[0];
    if (group.members.length === 1 && member !== undefined) {
      const { start, docs, weights } = this.#parts.postings;
      const from = start[member.termId] ?? 0;
      const to = start[member.termId + 1] ?? 0;
      const factor = member.factor;
      scratch.candidateDocs.set(docs.subarray(from, to));
      for (let p = from; p < to; p++) scratch.candidateScores[p - from] = (weights[p] ?? 0) * factor;
      return to - from;
    }
    const touchedCount = this.#accumulateGroup(group);
    const touched = scratch.touched.subarray(0, touchedCount).sort();
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i] ?? 0;
      scratch.candidateDocs[i] = doc;
      scratch.candidateScores[i] = scratch.dense[doc] ?? 0;
    }
    this.#clearDense(touchedCount);
    return touchedCount;
  }

  /** Keeps the candidates that have the group's term (galloping through its postings), adding its score. */
  #keepInGroup(count: number, group: BoundGroup): number {
    const scratch = this.#parts.scratch;
    const member = group.members[0];
    const candidates = scratch.candidateDocs;
    const scores = scratch.candidateScores;
    let kept = 0;
    if (group.members.length === 1 && member !== undefined) {
      const { start, docs, weights } = this.#parts.postings;
      let position = start[member.termId] ?? 0;
      const end = start[member.termId + 1] ?? 0;
      const factor = member.factor;
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
      const value = scratch.dense[doc] ?? 0;
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
    const scratch = this.#parts.scratch;
    const candidates = scratch.candidateDocs;
    let kept = 0;
    let position = 0;
    for (let c = 0; c < count && position < list.length; c++) {
      const doc = candidates[c] ?? 0;
      position = gallop(list, position, list.length, doc);
      if (list[position] === doc) {
        candidates[kept] = doc;
        scratch.candidateScores[kept] = scratch.candidateScores[c] ?? 0;
        kept++;
      }
    }
    return kept;
  }

  /** Best member score per paper for a group, into the dense buffer; the papers touched are in `touched`. */
  #accumulateGroup(group: BoundGroup): number {
    const { start, docs, weights } = this.#parts.postings;
    const { dense, touched } = this.#parts.scratch;
    let touchedCount = 0;
    for (const member of group.members) {
      const factor = member.factor;
      const end = start[member.termId + 1] ?? 0;
      for (let p = start[member.termId] ?? 0; p < end; p++) {
        const doc = docs[p] ?? 0;
        const value = (weights[p] ?? 0) * factor;
        const previous = dense[doc] ?? 0;
        if (previous === 0) touched[touchedCount++] = doc;
        if (value > previous) dense[doc] = value;
      }
    }
    return touchedCount;
  }

  #clearDense(touchedCount: number): void {
    const { dense, touched } = this.#parts.scratch;
    for (let i = 0; i < touchedCount; i++) dense[touched[i] ?? 0] = 0;
  }

  #scratch(): Scratch {
    this.#parts.scratch.ensure(this.papers.length);
    return this.#parts.scratch;
  }

  // ---- profile scoring -----------------------------------------------------------------------------

  /** Each of `terms` this paper has here, with its posting weight (BM25F saturation, 0..1); others are left out. */
  termWeightsOf(doc: number, terms: Iterable<string>): Map<string, number> {
    const { termIds, start, docs, weights } = this.#parts.postings;
    const found = new Map<string, number>();
    for (const term of terms) {
      const termId = termIds.get(term);
      if (termId === undefined || found.has(term)) continue;
      const end = start[termId + 1] ?? 0;
      const position = gallop(docs, start[termId] ?? 0, end, doc);
      if (position < end && docs[position] === doc)
        found.set(term, FEATURE_OF_WEIGHT[weights[position] ?? 0] ?? 0);
    }
    return found;
  }

  /**
   * The best `k` live papers by a signed linear score: Σ member.factor × posting weight over the members'
   * postings, plus each list's value for the papers it names, over the paper's norm (the root of its
   * `squaredNorms` entry). Only papers some member or list names are visited, and only those scoring
   * above 0 are kept.
   */
  sumWeighted(
    members: readonly BoundMember[],
    lists: readonly { readonly docs: Uint32Array; readonly value: number }[],
    squaredNorms: Float64Array,
    k: number,
  ): Array<{ readonly doc: number; readonly score: number }> {
    const scratch = this.#scratch();
    const { totals, hitCounts: seen, touched, candidateDocs, candidateScores } = scratch;
    const { start, docs, weights } = this.#parts.postings;
    let touchedCount = 0;
    for (const member of members) {
      const factor = member.factor;
      const end = start[member.termId + 1] ?? 0;
      for (let p = start[member.termId] ?? 0; p < end; p++) {
        const doc = docs[p] ?? 0;
        if ((seen[doc] ?? 0) === 0) {
          seen[doc] = 1;
          touched[touchedCount++] = doc;
        }
        totals[doc] = (totals[doc] ?? 0) + (FEATURE_OF_WEIGHT[weights[p] ?? 0] ?? 0) * factor;
      }
    }
    for (const list of lists) {
      for (const doc of list.docs) {
        if ((seen[doc] ?? 0) === 0) {
          seen[doc] = 1;
          touched[touchedCount++] = doc;
        }
        totals[doc] = (totals[doc] ?? 0) + list.value;
      }
    }
    let count = 0;
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i] ?? 0;
      const score = (totals[doc] ?? 0) / Math.sqrt(squaredNorms[doc] || 1);
      totals[doc] = 0;
      seen[doc] = 0;
      if (!(score > 0) || !this.isLive(doc)) continue;
      candidateDocs[count] = doc;
      candidateScores[count] = score;
      count++;
    }
    return topK(candidateDocs, candidateScores, count, k).map((candidate) => ({
      doc: candidateDocs[candidate] ?? 0,
      score: candidateScores[candidate] ?? 0,
    }));
  }

  /**
   * Each paper's Σ of squared features (see SearchIndex.paperVector) by position: its terms' posting
   * weights × `idf`, its categories at `categoryIdf`. One pass over every posting.
   */
  squaredNorms(idf: (term: string) => number, categoryIdf: (code: string) => number): Float64Array {
    const { start, docs, weights } = this.#parts.postings;
    const { termStrings } = this.#parts;
    const norms = new Float64Array(this.papers.length);
    for (let termId = 0; termId < termStrings.length; termId++) {
      const factor = idf(termStrings[termId] ?? "");
      const end = start[termId + 1] ?? 0;
      for (let p = start[termId] ?? 0; p < end; p++) {
        const value = (FEATURE_OF_WEIGHT[weights[p] ?? 0] ?? 0) * factor;
        const doc = docs[p] ?? 0;
        norms[doc] = (norms[doc] ?? 0) + value * value;
      }
    }
    this.papers.forEach((paper, doc) => {
      for (const code of paper.categories ?? []) {
        const value = categoryIdf(code.toLowerCase());
        norms[doc] = (norms[doc] ?? 0) + value * value;
      }
    });
    return norms;
  }

  /** Papers here under this lower-case category code (see category-index.ts). */
  papersInCategory(code: string): Uint32Array | undefined {
    return CategoryIndex.of(this.papers).papersIn(code);
  }

  // ---- ranking and hits -----------------------------------------------------------------------------

  /**
   * The best `k` candidates (indexes into the candidate buffers) that pass phrase and full-name checks.
   * Those checks re-read the paper's text, so past `verifyAllLimit` candidates only the best are checked
   * (the best 256, or all when fewer than k of those pass) and the total is extrapolated from the pass rate.
   */
  rank(plan: BoundPlan, count: number, k: number, verifyAllLimit: number): RankedCandidates {
    const { candidateDocs, candidateScores } = this.#parts.scratch;
    if (plan.phrases.length === 0 && plan.authorNames.length === 0) {
      return { best: topK(candidateDocs, candidateScores, count, k), total: count };
    }
    const passes = (candidate: number): boolean => this.#passesChecks(plan, candidateDocs[candidate] ?? 0);
    if (count <= verifyAllLimit) {
      let kept = 0;
      for (let c = 0; c < count; c++) {
        if (!passes(c)) continue;
        candidateDocs[kept] = candidateDocs[c] ?? 0;
        candidateScores[kept] = candidateScores[c] ?? 0;
        kept++;
      }
      return { best: topK(candidateDocs, candidateScores, kept, k), total: kept };
    }
    const ordered = topK(candidateDocs, candidateScores, count, Math.max(256, 4 * k));
    const passing = ordered.filter(passes);
    if (passing.length >= k) {
      return { best: passing.slice(0, k), total: Math.round((count * passing.length) / ordered.length) };
    }
    // A rare phrase of common words: the best candidates mostly fail, so check them all after all.
    return this.rank(plan, count, k, Number.POSITIVE_INFINITY);
  }

  /** A candidate's position in the segment and its score (with any coordination bonus). */
  candidate(candidate: number): { readonly doc: number; readonly score: number } {
    const { candidateDocs, candidateScores } = this.#parts.scratch;
    return { doc: candidateDocs[candidate] ?? 0, score: candidateScores[candidate] ?? 0 };
  }

  #passesChecks(plan: BoundPlan, doc: number): boolean {
    const paper = this.papers[doc];
    if (paper === undefined) return false;
    if (!plan.authorNames.every((words) => hasAuthorNamed(paper, words))) return false;
    return plan.phrases.every((phrase) => phrase.matches(paper.title) || phrase.matches(paper.abstract));
  }

  /** The paper, snippet and matched words of a ranked candidate. */
  hit(
    plan: BoundPlan,
    candidate: number,
  ): { paper: Paper; score: number; snippet: string; matchedTerms: string[] } {
    const { doc, score } = this.candidate(candidate);
    const paper = this.papers[doc] as Paper;
    const matchedStems: string[] = [];
    const fallbackWords = new Map<string, string>();
    for (const group of plan.groups) {
      // Members are ordered exact word first, then completions by frequency: report the first one present.
      const member = group.members.find((candidate) => this.#contains(candidate.termId, doc));
      if (member === undefined) continue;
      if (!fallbackWords.has(member.term)) {
        matchedStems.push(member.term);
        fallbackWords.set(member.term, group.display);
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
      score: score % COORDINATION_BONUS,
      snippet: makeSnippet(paper.abstract.trim() === "" ? paper.title : paper.abstract, stems),
      matchedTerms: matchedStems.map((stem) => spelled.get(stem) ?? fallbackWords.get(stem) ?? stem),
    };
  }

  #contains(termId: number, doc: number): boolean {
    const { start, docs } = this.#parts.postings;
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
