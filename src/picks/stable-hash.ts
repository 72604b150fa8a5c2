/**
 * FNV-1a (32-bit) over UTF-16 code units: a fixed, platform-independent hash used to break
 * ties between equally trending papers, so the same corpus and date always give the same
 * digest, yet ties do not always favour ids that sort first alphabetically.
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
