import { type Paper, sameIndexedText } from "../core/paper.ts";
import { runStepsInSlices, type Steps } from "../runtime/steps.ts";
import { type DeltaBuilder, type IndexChanges, SearchIndex } from "../search/index.ts";
import type { Catalog } from "./catalog-snapshot.ts";
import { OverlayMap } from "./overlay-map.ts";
import { TopicMatchCache } from "./topic-match-cache.ts";

const PAPERS_PER_STEP = 256;
/** Past this share of the id map, an overlay costs more to copy at each merge than a new map to build. */
const MAX_OVERLAY_SHARE = 0.25;

/**
 * The catalog of `papers` (the whole corpus, deduplicated) made from `previous` without rebuilding it: the
 * papers that changed are found by comparing the two lists (cheap where they share Paper objects, as they
 * do when only some sources changed), then the search index takes just those (see
 * SearchIndex.withChanges) and the id map gets an overlay of them. Runs in slices that let commands run.
 */
export async function mergeIntoCatalog(
  previous: Catalog,
  papers: readonly Paper[],
  options: { readonly loadedAt?: Date; readonly deltaBuilder?: DeltaBuilder } = {},
): Promise<Catalog> {
  const { loadedAt = new Date(), deltaBuilder } = options;
  const changes = await runStepsInSlices(changesSteps(previous, papers));
  const unchanged =
    changes.upserted.length === 0 && changes.refreshed.length === 0 && changes.removed.length === 0;
  const index = unchanged
    ? previous.index
    : await previous.index.withChanges(changes, deltaBuilder === undefined ? {} : { deltaBuilder });
  return {
    papers,
    byId: await runStepsInSlices(byIdAfterSteps(previous.byId, papers, changes)),
    index,
    // New papers can match topics already asked about: their matches are computed afresh.
    topics: unchanged ? previous.topics : new TopicMatchCache(index),
    loadedAt,
  };
}

/** buildCatalog in slices, for a fold that runs while the bot answers commands. */
export async function buildCatalogInSlices(papers: readonly Paper[], loadedAt: Date): Promise<Catalog> {
  const byId = await runStepsInSlices(byIdSteps(papers));
  const index = await SearchIndex.buildInSlices(papers);
  return { papers, byId, index, topics: new TopicMatchCache(index), loadedAt };
}

/**
 * What differs between the catalog's papers and `papers`. Positions holding the same Paper object in both
 * lists are skipped without a lookup; the rest are matched by id.
 */
function* changesSteps(previous: Catalog, papers: readonly Paper[]): Steps<IndexChanges> {
  const before = previous.papers;
  const arrived: Paper[] = [];
  const left: Paper[] = [];
  // Up to the shorter list, then the rest of the longer: reading past an array's end made the optimised
  // code of this loop deoptimise at every merge that added papers (--trace-deopt: "out of bounds").
  const shared = Math.min(before.length, papers.length);
  for (let i = 0; i < shared; i++) {
    if (i % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
    const old = before[i] as Paper;
    const paper = papers[i] as Paper;
    if (old === paper) continue;
    arrived.push(paper);
    left.push(old);
  }
  const [longer, tail] = papers.length > shared ? [papers, arrived] : [before, left];
  for (let i = shared; i < longer.length; i++) {
    if (i % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
    tail.push(longer[i] as Paper);
  }
  const upserted: Paper[] = [];
  const refreshed: Paper[] = [];
  const present = new Set<string>();
  for (const [i, paper] of arrived.entries()) {
    if (i % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
    present.add(paper.id);
    const old = previous.byId.get(paper.id);
    if (old === paper) continue; // moved, not changed
    if (old !== undefined && sameIndexedText(old, paper)) refreshed.push(paper);
    else upserted.push(paper);
  }
  const removed = left.filter((paper) => !present.has(paper.id)).map((paper) => paper.id);
  return { upserted, refreshed, removed };
}

/**
 * The id map with the changes: an overlay over the previous map while the changes are few, a new map once
 * they would make the overlay a large share of it (a source whose every paper got a new rank).
 */
function* byIdAfterSteps(
  byId: ReadonlyMap<string, Paper>,
  papers: readonly Paper[],
  changes: IndexChanges,
): Steps<ReadonlyMap<string, Paper>> {
  const count = changes.removed.length + changes.upserted.length + changes.refreshed.length;
  if (count === 0) return byId;
  const overlaid = byId instanceof OverlayMap ? byId.overlaySize : 0;
  if (overlaid + count > MAX_OVERLAY_SHARE * byId.size) return yield* byIdSteps(papers);
  const overlay = new Map<string, Paper | undefined>();
  for (const id of changes.removed) overlay.set(id, undefined);
  for (const paper of changes.upserted) overlay.set(paper.id, paper);
  for (const paper of changes.refreshed) overlay.set(paper.id, paper);
  yield;
  return yield* OverlayMap.overSteps(byId, overlay);
}

function* byIdSteps(papers: readonly Paper[]): Steps<Map<string, Paper>> {
  const byId = new Map<string, Paper>();
  for (let i = 0; i < papers.length; i++) {
    if (i % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
    const paper = papers[i] as Paper;
    byId.set(paper.id, paper);
  }
  return byId;
}
