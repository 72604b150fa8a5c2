import type { LengthBaseline } from "./postings.ts";
import type { SegmentImage } from "./segment-image.ts";

/** What the delta worker indexes of a paper; the main thread keeps the Paper itself. */
export interface IndexedText {
  readonly id: string;
  readonly title: string;
  readonly abstract: string;
  readonly authors: readonly string[];
}

export type DeltaWorkerRequest =
  /** Texts the worker does not hold yet, a batch at a time (see worker-delta-builder.ts). */
  | { readonly kind: "texts"; readonly texts: readonly IndexedText[] }
  /** Build a segment of these papers, by id (joined by ID_SEPARATOR), in this order. */
  | {
      readonly kind: "build";
      readonly id: number;
      readonly order: string;
      readonly baseline: LengthBaseline;
    };

export type DeltaWorkerReply =
  | { readonly id: number; readonly image: SegmentImage }
  | { readonly id: number; readonly error: string };

/** Paper ids never hold it (they are trimmed, printable text). */
export const ID_SEPARATOR = "\u0000";
