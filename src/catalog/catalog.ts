import type { Paper } from "../core/paper.ts";
import { log } from "../log.ts";
import type { DeltaBuilder } from "../search/index.ts";
import { buildCatalogInSlices, mergeIntoCatalog } from "./catalog-merge.ts";
import type { Catalog } from "./catalog-snapshot.ts";
import { TopicMatchCache } from "./topic-match-cache.ts";

export interface FoldPolicy {
  /** Fold once the delta holds more papers than this share of the main index... */
  readonly share: number;
  /** ...or than this many papers, whichever is fewer. */
  readonly papers: number;
}

/**
 * When the delta segments are folded into a new main index: past 10% of it a query reads a tenth more
 * postings than one index would, and rebuilding the deltas into one (every few merges) costs more.
 */
export const DEFAULT_FOLD_POLICY: FoldPolicy = { share: 0.1, papers: 50_000 };

const foldLog = log.child({ module: "catalog" });

/**
 * The catalog in use. Two writers change it: {@link replace} (a full reload, built elsewhere) and
 * {@link merge} (papers from refreshed sources, merged into the index's delta segments). The app runs
 * them one at a time. Once the delta grows large, it is folded into a new main index in the background, in
 * slices that let commands run; merges made meanwhile are applied on top of the fold, so none is lost.
 */
export class LiveCatalog {
  #current: Catalog;
  readonly #foldPolicy: FoldPolicy;
  /** Where merges build the index's delta segments (see SearchIndex.withChanges); default this thread. */
  readonly #deltaBuilder: DeltaBuilder | undefined;
  readonly #onChange: ((catalog: Catalog) => void) | undefined;
  /** Counts replace() calls: a fold begun before a full reload is dropped. */
  #generation = 0;
  /** Merges and fold swaps, one at a time. */
  #updates: Promise<unknown> = Promise.resolve();
  #folding: Promise<void> | undefined;

  constructor(
    initial: Catalog,
    options: {
      readonly foldPolicy?: FoldPolicy;
      readonly deltaBuilder?: DeltaBuilder;
      /** Told of every catalog that becomes current after the first (a reload, a merge, a fold). */
      readonly onChange?: (catalog: Catalog) => void;
    } = {},
  ) {
    this.#current = initial;
    this.#foldPolicy = options.foldPolicy ?? DEFAULT_FOLD_POLICY;
    this.#deltaBuilder = options.deltaBuilder;
    this.#onChange = options.onChange;
  }

  #set(next: Catalog): void {
    if (next === this.#current) return;
    this.#current = next;
    this.#onChange?.(next);
  }

  /** Take this once per command and use it throughout, so a reload mid-command changes nothing. */
  get current(): Catalog {
    return this.#current;
  }

  replace(next: Catalog): void {
    this.#generation++;
    this.#set(next);
  }

  /**
   * Makes `papers` (the whole corpus, deduplicated) the catalog's papers without rebuilding its index:
   * the papers that changed go to the index's delta (see mergeIntoCatalog). Resolves once they are
   * searchable; a fold or a rebuild of the deltas it makes due runs on after that.
   */
  merge(papers: readonly Paper[]): Promise<void> {
    return this.#serially(async () => {
      this.#set(await mergeIntoCatalog(this.#current, papers, this.#mergeOptions()));
      this.#foldIfLarge();
      // Queued behind this merge and before any later one; a fold under way replaces the deltas anyway.
      if (this.#folding === undefined && this.#current.index.deltaRebuildDue) {
        const merged = this.#current;
        void this.#serially(() => this.#rebuildDeltas(merged));
      }
    });
  }

  /** Resolves once no merge or fold is under way. */
  async settled(): Promise<void> {
    for (;;) {
      const updates = this.#updates;
      const folding = this.#folding;
      await updates;
      await folding;
      if (updates === this.#updates && this.#folding === undefined) return;
    }
  }

  #mergeOptions(loadedAt?: Date): { loadedAt?: Date; deltaBuilder?: DeltaBuilder } {
    return {
      ...(loadedAt === undefined ? {} : { loadedAt }),
      ...(this.#deltaBuilder === undefined ? {} : { deltaBuilder: this.#deltaBuilder }),
    };
  }

  /**
   * The deltas of `base`'s index rebuilt into one (see SearchIndex.withDeltasRebuilt), unless a full
   * reload replaced `base` before or while it ran; never throws.
   */
  async #rebuildDeltas(base: Catalog): Promise<void> {
    if (this.#current !== base) return;
    const started = performance.now();
    try {
      const index = await base.index.withDeltasRebuilt(this.#mergeOptions());
      if (this.#current !== base) return; // a full reload replaced everything meanwhile
      this.#set({ ...base, index, topics: new TopicMatchCache(index) });
      foldLog.debug(
        { delta: index.deltaSize, ms: Math.round(performance.now() - started) },
        "search index deltas rebuilt into one",
      );
    } catch (error) {
      foldLog.error({ err: error }, "rebuilding the search index's deltas failed; keeping them");
    }
  }

  #serially(work: () => Promise<void>): Promise<void> {
    const run = this.#updates.then(work);
    this.#updates = run.catch(() => undefined);
    return run;
  }

  #foldIfLarge(): void {
    const base = this.#current;
    const { size, deltaSize } = base.index;
    const mainSize = size - deltaSize;
    const limit = Math.min(this.#foldPolicy.papers, this.#foldPolicy.share * mainSize);
    if (this.#folding !== undefined || deltaSize <= limit) return;
    const generation = this.#generation;
    const started = performance.now();
    this.#folding = (async () => {
      const folded = await buildCatalogInSlices(base.papers, base.loadedAt);
      await this.#serially(async () => {
        if (generation !== this.#generation) return; // a full reload replaced everything meanwhile
        const current = this.#current;
        // Papers merged while the fold ran go on top of it, into a new (small) delta.
        this.#set(
          current === base
            ? folded
            : await mergeIntoCatalog(folded, current.papers, this.#mergeOptions(current.loadedAt)),
        );
        foldLog.info(
          { papers: folded.papers.length, delta: deltaSize, ms: Math.round(performance.now() - started) },
          "search index delta folded into a new main index",
        );
      });
    })().then(
      () => {
        this.#folding = undefined;
        // Merges during a long fold may have grown the new delta past the limit again.
        this.#foldIfLarge();
      },
      (error: unknown) => {
        this.#folding = undefined;
        foldLog.error({ err: error }, "folding the search index failed; keeping the delta");
      },
    );
  }
}
