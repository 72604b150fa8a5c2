import type { Paper } from "../core/paper.ts";
import type { Steps } from "../runtime/steps.ts";
import { normaliseTitle } from "./clean-text.ts";
import { KeyIndex } from "./key-index.ts";

export interface DedupeResult {
  readonly papers: Paper[];
  /** How many papers each source lost to an earlier copy, by source. */
  readonly duplicatesBySource: Map<string, number>;
}

/**
 * One paper per id and per normalised title, across all files.
 *
 * Rule: the first copy wins (files in CORPUS order, papers in file order), so its id, text, rank and
 * source never change when another file is appended to CORPUS; ids stay stable for the delivery ledger.
 * Later copies only fill fields the winner lacks (authors, links, dates, upvotes, comments, categories, extras),
 * so a title-only seed entry gains the counts of the same paper in a daily_papers file, and a daily
 * paper the categories of its copy in an arXiv listing.
 */
export function dedupePapers(papers: readonly Paper[]): DedupeResult {
  const scan = new DedupeScan([], new MapKeys(), new MapKeys(), new Map());
  for (const paper of papers) scan.add(paper);
  return scan.result();
}

/** Keys (ids, normalised titles) -> positions of the papers kept. */
interface KeyLookup {
  get(key: string): number | undefined;
}

interface Keys extends KeyLookup {
  /** `own`: the key is the kept paper's own id or title (not a merged duplicate's). */
  set(key: string, position: number, own: boolean): void;
}

/**
 * Where deduplicating some leading files left off: their winners and the keys (ids, normalised titles)
 * that lead to them. Going on from it with the later files (see trailing-dedupe.ts) gives what
 * deduplicating all of them gives, so a refresh of a live source never redoes the files before it.
 */
export interface DedupeCheckpoint {
  readonly kept: readonly Paper[];
  readonly ids: KeyLookup;
  readonly titles: KeyLookup;
  readonly duplicatesBySource: ReadonlyMap<string, number>;
}

/** Papers between two pauses of a deduplication in slices (see steps.ts); one takes a few µs. */
const PAPERS_PER_STEP = 128;

/**
 * The checkpoint after these files' papers (in CORPUS order), as steps. Its keys are in compact tables
 * (see key-index.ts): it is kept as long as those files stay the same.
 */
export function* dedupeCheckpointSteps(files: readonly (readonly Paper[])[]): Steps<DedupeCheckpoint> {
  const kept: Paper[] = [];
  const ids = new KeyIndex((position) => (kept[position] as Paper).id);
  const titles = new KeyIndex((position) => normaliseTitle((kept[position] as Paper).title));
  const duplicatesBySource = new Map<string, number>();
  const scan = new DedupeScan(kept, ids, titles, duplicatesBySource);
  yield* scan.addAll(files);
  return { kept, ids, titles, duplicatesBySource };
}

/** One pass of the rule above over papers in CORPUS order, onto the papers already kept. */
class DedupeScan {
  readonly #kept: Paper[];
  readonly #ids: Keys;
  readonly #titles: Keys;
  readonly #duplicatesBySource: Map<string, number>;

  constructor(kept: Paper[], ids: Keys, titles: Keys, duplicatesBySource: Map<string, number>) {
    this.#kept = kept;
    this.#ids = ids;
    this.#titles = titles;
    this.#duplicatesBySource = duplicatesBySource;
  }

  add(paper: Paper): void {
    const kept = this.#kept;
    const titleKey = normaliseTitle(paper.title);
    const index = this.#ids.get(paper.id) ?? this.#titles.get(titleKey);
    if (index === undefined) {
      this.#ids.set(paper.id, kept.length, true);
      this.#titles.set(titleKey, kept.length, true);
      kept.push(paper);
      return;
    }
    kept[index] = fillGaps(kept[index] as Paper, paper);
    // The loser's keys now point at the winner too, so a third copy matching only the loser is caught.
    this.#ids.set(paper.id, index, false);
    this.#titles.set(titleKey, index, false);
    this.#duplicatesBySource.set(paper.source, (this.#duplicatesBySource.get(paper.source) ?? 0) + 1);
  }

  *addAll(files: readonly (readonly Paper[])[]): Steps<void> {
    let count = 0;
    for (const papers of files) {
      for (const paper of papers) {
        this.add(paper);
        if (++count % PAPERS_PER_STEP === 0) yield;
      }
    }
  }

  result(): DedupeResult {
    return { papers: this.#kept, duplicatesBySource: this.#duplicatesBySource };
  }
}

class MapKeys implements Keys {
  readonly #positions = new Map<string, number>();

  get(key: string): number | undefined {
    return this.#positions.get(key);
  }

  set(key: string, position: number): void {
    this.#positions.set(key, position);
  }
}

/** `winner` with the fields it lacks taken from `other`, a later copy of the same paper. */
export function fillGaps(winner: Paper, other: Paper): Paper {
  return {
    ...winner,
    authors: winner.authors.length > 0 ? winner.authors : other.authors,
    ...pick("url", winner, other),
    ...pick("pdfUrl", winner, other),
    ...pick("publishedAt", winner, other),
    ...pick("updatedAt", winner, other),
    ...pick("featuredAt", winner, other),
    ...pick("upvotes", winner, other),
    ...pick("comments", winner, other),
    ...pick("categories", winner, other),
    ...extrasOf(winner, other),
  };
}

/**
 * The extras of both copies, field by field, the winner's first: the Hugging Face copy of a paper brings
 * its code link, the arXiv copy its journal reference, and the kept paper shows both.
 */
function extrasOf(winner: Paper, other: Paper): Pick<Paper, "extras"> | Record<string, never> {
  if (other.extras === undefined || other.extras === winner.extras) return {};
  if (winner.extras === undefined) return { extras: other.extras };
  const { codeStars, tldrBy, ...merged } = { ...other.extras, ...winner.extras };
  // The stars go with the code link they were counted for, the summary's author with its summary.
  const stars = winner.extras.codeUrl === undefined ? codeStars : winner.extras.codeStars;
  const by = winner.extras.tldr === undefined ? tldrBy : winner.extras.tldrBy;
  return {
    extras: {
      ...merged,
      ...(stars !== undefined && { codeStars: stars }),
      ...(by !== undefined && { tldrBy: by }),
    },
  };
}

type OptionalKey =
  | "url"
  | "pdfUrl"
  | "publishedAt"
  | "updatedAt"
  | "featuredAt"
  | "upvotes"
  | "comments"
  | "categories";

function pick<K extends OptionalKey>(
  key: K,
  winner: Paper,
  other: Paper,
): Pick<Paper, K> | Record<string, never> {
  const value = winner[key] ?? other[key];
  return value === undefined ? {} : ({ [key]: value } as Pick<Paper, K>);
}
