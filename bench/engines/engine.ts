import type { Paper } from "../../src/core/paper.ts";

/** Runs one query and returns how many hits it gave (returned so the work cannot be optimised away). */
export type Searcher = (query: string) => number;

export interface Engine {
  readonly name: string;
  /** What this engine does with our query grammar, for the table's footnotes. */
  readonly notes: string;
  /**
   * Reads a bench corpus file (JSON lines) the way this engine's users would; without it the bench's
   * own reader (JSON.parse per line, no validation) loads the papers.
   */
  load?(file: string): Promise<readonly Paper[]>;
  build(papers: readonly Paper[], workDir: string): Searcher | Promise<Searcher>;
}

export const TOP_K = 5;
