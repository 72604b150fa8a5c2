import { EXTRA_TEXT_KEYS, type Paper, type PaperExtras } from "../core/paper.ts";
import type { Steps } from "../runtime/steps.ts";
import { type Section, type SectionReader, SnapshotError, sectionOf } from "./sections.ts";

/**
 * The papers' extras, sparse: the positions of the papers that have any, and each one's extras as JSON
 * in one UTF-8 section with end offsets. Papers without extras (most) cost nothing here.
 */

const PAPERS_PER_STEP = 256;

export function* encodeExtrasSteps(papers: readonly Paper[]): Steps<Section[]> {
  const at: number[] = [];
  const texts: string[] = [];
  for (let i = 0; i < papers.length; i++) {
    if (i % PAPERS_PER_STEP === PAPERS_PER_STEP - 1) yield;
    const extras = papers[i]?.extras;
    if (extras === undefined) continue;
    at.push(i);
    texts.push(JSON.stringify(extras));
  }
  const ends = new Uint32Array(texts.length);
  let total = 0;
  texts.forEach((text, k) => {
    total += Buffer.byteLength(text, "utf8");
    ends[k] = total;
  });
  if (total > 0xffff_ffff) throw new SnapshotError("extras too large for a snapshot");
  return [
    sectionOf("papers.extrasAt", Uint32Array.from(at)),
    { name: "papers.extras", type: "utf8", bytes: Buffer.from(texts.join(""), "utf8") },
    sectionOf("papers.extrasEnds", ends),
  ];
}

/** Sets each listed paper's extras; a section that does not hold well-formed extras is a SnapshotError. */
export function decodeExtras(papers: { extras?: PaperExtras }[], sections: SectionReader): void {
  const at = sections.u32("papers.extrasAt");
  const text = sections.text("papers.extras");
  const ends = sections.u32("papers.extrasEnds");
  if (ends.length !== at.length) throw new SnapshotError("extras columns do not match");
  let start = 0;
  let previous = -1;
  for (let k = 0; k < at.length; k++) {
    const i = at[k] as number;
    const end = ends[k] as number;
    if (i <= previous || i >= papers.length) throw new SnapshotError("an extras position is out of order");
    if (end < start || end > text.byteLength) throw new SnapshotError("extras offsets are malformed");
    (papers[i] as { extras?: PaperExtras }).extras = extrasOf(text.toString("utf8", start, end));
    previous = i;
    start = end;
  }
  if (start !== text.byteLength) throw new SnapshotError("extras offsets do not end with the text");
}

function extrasOf(json: string): PaperExtras {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new SnapshotError("a paper's extras are not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new SnapshotError("a paper's extras are not an object");
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 0) throw new SnapshotError("a paper's extras are empty");
  for (const key of keys) {
    const field = record[key];
    const ok =
      key === "codeStars"
        ? Number.isSafeInteger(field) && (field as number) >= 0
        : (EXTRA_TEXT_KEYS as readonly string[]).includes(key) && typeof field === "string";
    if (!ok) throw new SnapshotError(`a paper's extras have a bad field ${JSON.stringify(key.slice(0, 40))}`);
  }
  return record as PaperExtras;
}
