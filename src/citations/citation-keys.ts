import type { CitationRecord } from "./citation-record.ts";

/** Words a key skips at the start of a title, as Google Scholar's keys do ("A Survey of…" → survey). */
const LEADING_SKIPPED = new Set(["a", "an", "the", "on", "of"]);

/** Lower-case ASCII letters and digits of `text`, accents folded ("Müller" → "muller"). */
function keyPart(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** `familyYEARfirstword` of one record: "vanderberg2024fast"; parts it lacks are left out. */
export function baseKey(record: CitationRecord): string {
  const family = keyPart(record.authors[0]?.family ?? "") || "anon";
  const words = record.title
    .split(/[\s\-–—:/]+/)
    .map(keyPart)
    .filter(Boolean);
  const first = words.find((word) => !LEADING_SKIPPED.has(word)) ?? words[0] ?? "";
  return `${family}${record.year ?? ""}${first}`;
}

/** a, b, …, z, aa, ab, … */
function suffix(n: number): string {
  let s = "";
  let rest = n;
  do {
    s = String.fromCharCode(97 + (rest % 26)) + s;
    rest = Math.floor(rest / 26) - 1;
  } while (rest >= 0);
  return s;
}

/**
 * One key per record, in order, never two alike: the first record with a base key keeps it, the
 * next ones get a, b, … after it (skipping any key already taken by another record's base).
 */
export function citationKeys(records: readonly CitationRecord[]): string[] {
  const bases = records.map(baseKey);
  const taken = new Set(bases);
  const used = new Set<string>();
  return bases.map((base) => {
    if (!used.has(base)) {
      used.add(base);
      return base;
    }
    for (let n = 0; ; n++) {
      const key = `${base}${suffix(n)}`;
      if (!used.has(key) && !taken.has(key)) {
        used.add(key);
        return key;
      }
    }
  });
}
