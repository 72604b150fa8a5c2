import { expect } from "vitest";
import type { PaperExtras } from "../../src/core/paper.ts";
import { EXTRA_TEXT_MAX_CHARS } from "../../src/corpus/clean-extras.ts";
import { cleanLine } from "../../src/corpus/clean-text.ts";

/** Extras: never empty, each text one clean line within its cap, links http(s) of printable ASCII, stars a count. */
export function expectCleanExtras(extras: PaperExtras): void {
  expect(Object.keys(extras).length).toBeGreaterThan(0);
  for (const key of ["tldr", "tldrBy", "arxivComment", "journalRef"] as const) {
    const text = extras[key];
    if (text === undefined) continue;
    expect(text).toBe(cleanLine(text));
    expect(text.length).toBeLessThanOrEqual(EXTRA_TEXT_MAX_CHARS[key]);
  }
  for (const url of [extras.codeUrl, extras.projectUrl])
    if (url !== undefined) expect(url).toMatch(/^https?:\/\/[\x21-\x7E]+$/);
  if (extras.codeStars !== undefined) {
    expect(Number.isSafeInteger(extras.codeStars) && extras.codeStars >= 0).toBe(true);
    expect(extras.codeUrl).toBeDefined();
  }
  if (extras.tldrBy !== undefined) expect(extras.tldr).toBeDefined();
  if (extras.doi !== undefined) expect(extras.doi).toMatch(/^10\.\d{4,9}\/[\x21-\x7E]+$/);
}
