import type { RawPaper } from "./build-paper.ts";

/** One record a reader found, with the 1-based line it starts on so warnings can point at it. */
export interface ReaderEntry {
  readonly raw: RawPaper;
  readonly line: number;
  /** How warnings name the record when a line alone is ambiguous, e.g. "record 3". */
  readonly label?: string;
}

export interface ReaderWarning {
  readonly line?: number;
  readonly message: string;
}

export interface ReaderResult {
  readonly entries: ReaderEntry[];
  /** Records or lines that were dropped; each has a warning. */
  readonly skipped: number;
  readonly warnings: ReaderWarning[];
}
