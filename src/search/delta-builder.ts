import type { Paper } from "../core/paper.ts";
import { runStepsInSlices } from "../runtime/steps.ts";
import type { LengthBaseline } from "./postings.ts";
import { Segment } from "./segment.ts";

/**
 * Builds a delta segment: of the papers a merge added or re-indexed (SearchIndex.withChanges), or of the
 * earlier deltas' papers, rebuilt into one (SearchIndex.withDeltasRebuilt); their field lengths averaged
 * with `baseline` (the main segment's live papers).
 */
export interface DeltaBuilder {
  build(papers: readonly Paper[], baseline: LengthBaseline): Promise<Segment>;
}

/** Builds it on this thread, in slices that let commands run between them (see steps.ts). */
export const inThreadDeltaBuilder: DeltaBuilder = {
  build: (papers, baseline) => runStepsInSlices(Segment.buildSteps(papers, baseline)),
};
