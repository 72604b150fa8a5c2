import type { Paper } from "../src/paper.ts";

/**
 * Extra timings run on each bench corpus after the search engines, in their own child process, e.g.
 * "time to pick one day's digest". Add an entry here; `run` gets the loaded papers and is timed
 * (its set-up included, so do set-up outside `run` only if it happens once at start-up in the bot too).
 */
export interface CorpusTask {
  readonly label: string;
  run(papers: readonly Paper[]): unknown;
}

export const corpusTasks: CorpusTask[] = [];
