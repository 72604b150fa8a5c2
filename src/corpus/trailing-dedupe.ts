import type { Paper } from "../core/paper.ts";
import type { Steps } from "../runtime/steps.ts";
import { normaliseTitle } from "./clean-text.ts";
import { type DedupeCheckpoint, type DedupeResult, fillGaps } from "./dedupe-papers.ts";

/**
 * The paper a copy is or merged into: a checkpoint paper as -(position + 1), a paper kept from the
 * trailing files as its index in #winners.
 */
type WinnerRef = number;

/** Where a key (an id, a normalised title) leads, and which trailing file set it last. */
interface KeyEntry {
  readonly ref: WinnerRef;
  readonly file: number;
}

/** A paper kept from the trailing files: its place, and the copy it is (before any merge into it). */
interface Winner {
  readonly file: number;
  readonly local: number;
  own: Paper;
}

/** A later copy merged into a winner, by its place in CORPUS order. */
interface Merged {
  readonly file: number;
  readonly index: number;
  paper: Paper;
}

/** Papers between two pauses (see steps.ts); one takes a few µs. */
const PAPERS_PER_STEP = 128;

/**
 * The deduplication (see dedupe-papers.ts) of the files after a checkpoint (the live sources and any
 * file after them), kept between refreshes so that a refresh redoes only what changed. A live source
 * keeps its papers in place and appends the new ones (merge-source-papers.ts), so a refresh of one
 * usually replaces some papers by newer copies with the same id and title (new upvotes) and adds
 * others at its end: {@link updateSteps} handles exactly that, at a cost that grows with the changed
 * papers, not the source, and gives what deduplicating every file again would give. Anything else
 * (a shorter source, a changed title, a new paper that an already-scanned later file's paper would
 * have lost to) makes it answer false, and the caller scans afresh ({@link scanSteps}).
 *
 * An update changes the state in place: a caller hands it from one corpus load to the next.
 */
export class TrailingDedupe {
  readonly #checkpoint: DedupeCheckpoint;
  /** Each trailing file's papers as last deduplicated. */
  readonly #files: (readonly Paper[])[];
  /** Per trailing file, per paper: the winner it is or merged into. */
  readonly #fates: WinnerRef[][];
  /** Per trailing file: the papers it contributes to the corpus, merges applied, in order. */
  readonly #kept: Paper[][];
  readonly #winners: Winner[] = [];
  readonly #ids = new Map<string, KeyEntry>();
  readonly #titles = new Map<string, KeyEntry>();
  /** Checkpoint papers that trailing copies merged into, as they are after those merges. */
  readonly #checkpointMerged = new Map<number, Paper>();
  /** The copies merged into each winner from the trailing files, in CORPUS order. */
  readonly #merged = new Map<WinnerRef, Merged[]>();
  readonly #duplicatesBySource = new Map<string, number>();

  private constructor(checkpoint: DedupeCheckpoint, fileCount: number) {
    this.#checkpoint = checkpoint;
    this.#files = Array.from({ length: fileCount }, () => []);
    this.#fates = Array.from({ length: fileCount }, () => []);
    this.#kept = Array.from({ length: fileCount }, () => []);
  }

  /** Deduplicates `files` (in CORPUS order) after the checkpoint's, from scratch, as steps. */
  static *scanSteps(
    checkpoint: DedupeCheckpoint,
    files: readonly (readonly Paper[])[],
  ): Steps<TrailingDedupe> {
    const dedupe = new TrailingDedupe(checkpoint, files.length);
    yield* dedupe.#appendSteps(files);
    return dedupe;
  }

  /**
   * Brings the state to `files` (the same number of files as before) if each is its previous papers
   * with some replaced by a copy with the same id and normalised title, then new papers at its end, and
   * no new paper meets a key that a later file's paper set. Answers false, changing nothing, otherwise.
   */
  *updateSteps(files: readonly (readonly Paper[])[]): Steps<boolean> {
    if (files.length !== this.#files.length) return false;
    const replaced: Array<{ file: number; index: number; paper: Paper }> = [];
    const titleKeys = new Map<Paper, string>();
    let count = 0;
    for (const [file, papers] of files.entries()) {
      const before = this.#files[file] as readonly Paper[];
      if (papers === before) continue;
      if (papers.length < before.length) return false;
      for (let index = 0; index < before.length; index++) {
        if (++count % (PAPERS_PER_STEP * 16) === 0) yield;
        const paper = papers[index] as Paper;
        const old = before[index] as Paper;
        if (paper === old) continue;
        if (paper.id !== old.id) return false;
        if (paper.title !== old.title && normaliseTitle(paper.title) !== normaliseTitle(old.title))
          return false;
        replaced.push({ file, index, paper });
      }
      for (let index = before.length; index < papers.length; index++) {
        if (++count % PAPERS_PER_STEP === 0) yield;
        const paper = papers[index] as Paper;
        const titleKey = normaliseTitle(paper.title);
        titleKeys.set(paper, titleKey);
        if (this.#setLater(this.#ids.get(paper.id), file)) return false;
        if (this.#setLater(this.#titles.get(titleKey), file)) return false;
      }
    }
    for (const { file, index, paper } of replaced) {
      if (++count % PAPERS_PER_STEP === 0) yield;
      this.#replace(file, index, paper);
    }
    yield* this.#appendSteps(files, titleKeys);
    return true;
  }

  /** The corpus: the checkpoint's papers, then each trailing file's, merges applied. */
  *resultSteps(): Steps<DedupeResult> {
    // One array of the right size at once: growing a copy of the checkpoint's 100k papers by push
    // reallocated it several times per refresh.
    const papers = this.#checkpoint.kept.concat(...this.#kept);
    yield;
    for (const [position, paper] of this.#checkpointMerged) papers[position] = paper;
    const duplicatesBySource = new Map(this.#checkpoint.duplicatesBySource);
    for (const [source, count] of this.#duplicatesBySource)
      duplicatesBySource.set(source, (duplicatesBySource.get(source) ?? 0) + count);
    return { papers, duplicatesBySource };
  }

  /** Whether the key was set by a file after `file`: a new paper in `file` would change what it leads to. */
  #setLater(entry: KeyEntry | undefined, file: number): boolean {
    return entry !== undefined && entry.file > file;
  }

  /**
   * Scans each file's papers past those already scanned, in CORPUS order, by the rule of dedupe-papers.ts;
   * `titleKeys`: normalised titles already worked out.
   */
  *#appendSteps(files: readonly (readonly Paper[])[], titleKeys?: ReadonlyMap<Paper, string>): Steps<void> {
    let count = 0;
    for (const [file, papers] of files.entries()) {
      const fates = this.#fates[file] as WinnerRef[];
      for (let index = fates.length; index < papers.length; index++) {
        if (++count % PAPERS_PER_STEP === 0) yield;
        const paper = papers[index] as Paper;
        fates.push(this.#add(file, index, paper, titleKeys?.get(paper) ?? normaliseTitle(paper.title)));
      }
      this.#files[file] = papers;
    }
  }

  #add(file: number, index: number, paper: Paper, titleKey: string): WinnerRef {
    const found =
      this.#find(this.#ids, this.#checkpoint.ids, paper.id) ??
      this.#find(this.#titles, this.#checkpoint.titles, titleKey);
    let ref: WinnerRef;
    if (found === undefined) {
      ref = this.#winners.length;
      const kept = this.#kept[file] as Paper[];
      this.#winners.push({ file, local: kept.length, own: paper });
      kept.push(paper);
    } else {
      ref = found;
      const merged = this.#merged.get(ref) ?? [];
      this.#merged.set(ref, merged);
      // In CORPUS order: a new paper in one source can merge into a paper that a later source's
      // copy merged into already, and the earlier copy fills the gaps first.
      let at = merged.length;
      while (at > 0 && (merged[at - 1] as Merged).file > file) at--;
      merged.splice(at, 0, { file, index, paper });
      if (at === merged.length - 1) this.#setValue(ref, fillGaps(this.#value(ref), paper));
      else this.#setValue(ref, this.#folded(ref));
      this.#duplicatesBySource.set(paper.source, (this.#duplicatesBySource.get(paper.source) ?? 0) + 1);
    }
    // A duplicate's keys lead to its winner too, so a third copy matching only the duplicate is caught.
    this.#ids.set(paper.id, { ref, file });
    this.#titles.set(titleKey, { ref, file });
    return ref;
  }

  /** A copy with the same keys in place of the one at (file, index): the paper it is or merged into is made again. */
  #replace(file: number, index: number, paper: Paper): void {
    const ref = this.#fates[file]?.[index] as WinnerRef;
    const winner = ref >= 0 ? this.#winners[ref] : undefined;
    const merged = this.#merged.get(ref) ?? [];
    const copy = merged.find((entry) => entry.file === file && entry.index === index);
    if (copy !== undefined) copy.paper = paper;
    else if (winner !== undefined) winner.own = paper;
    this.#setValue(ref, this.#folded(ref));
  }

  /** The paper `ref` leads to made again: its own copy with the gaps filled by its merged copies, in order. */
  #folded(ref: WinnerRef): Paper {
    let value = this.#winners[ref]?.own ?? (this.#checkpoint.kept[-ref - 1] as Paper);
    for (const entry of this.#merged.get(ref) ?? []) value = fillGaps(value, entry.paper);
    return value;
  }

  #find(own: Map<string, KeyEntry>, checkpoint: { get(key: string): number | undefined }, key: string) {
    const entry = own.get(key);
    if (entry !== undefined) return entry.ref;
    const position = checkpoint.get(key);
    return position === undefined ? undefined : -(position + 1);
  }

  #value(ref: WinnerRef): Paper {
    const winner = this.#winners[ref];
    if (winner !== undefined) return this.#kept[winner.file]?.[winner.local] as Paper;
    const position = -ref - 1;
    return this.#checkpointMerged.get(position) ?? (this.#checkpoint.kept[position] as Paper);
  }

  #setValue(ref: WinnerRef, paper: Paper): void {
    const winner = this.#winners[ref];
    if (winner !== undefined) (this.#kept[winner.file] as Paper[])[winner.local] = paper;
    else this.#checkpointMerged.set(-ref - 1, paper);
  }
}
