import type { Paper } from "../../src/paper.ts";

/** Runs one query and returns how many hits it gave (returned so the work cannot be optimised away). */
export type Searcher = (query: string) => number;

export interface Engine {
  readonly name: string;
  /** What this engine does with our query grammar, for the table's footnotes. */
  readonly notes: string;
  build(papers: readonly Paper[], workDir: string): Searcher | Promise<Searcher>;
}

export const TOP_K = 5;
