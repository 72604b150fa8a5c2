import type { Steps } from "../runtime/steps.ts";

const BLOCK = 512;
const MERGED_PER_STEP = 256;

/**
 * `indexes` ordered by `keys[index]` (ascending string order, stable), as steps: blocks sorted natively,
 * then merged pairwise, pausing between blocks and every few thousand merged items. Sorting the words of a
 * large index in one go takes tens of milliseconds, too long for the event loop while the bot answers.
 */
export function* sortByKeySteps(keys: readonly string[], indexes: readonly number[]): Steps<number[]> {
  const compare = (a: number, b: number): number => {
    const keyA = keys[a] ?? "";
    const keyB = keys[b] ?? "";
    return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
  };
  let from = indexes.slice();
  for (let start = 0; start < from.length; start += BLOCK) {
    const block = from.slice(start, start + BLOCK).sort(compare);
    for (let i = 0; i < block.length; i++) from[start + i] = block[i] ?? 0;
    yield;
  }
  let into = new Array<number>(from.length);
  let merged = 0;
  for (let width = BLOCK; width < from.length; width *= 2) {
    for (let left = 0; left < from.length; left += 2 * width) {
      const middle = Math.min(left + width, from.length);
      const end = Math.min(left + 2 * width, from.length);
      let i = left;
      let j = middle;
      for (let out = left; out < end; out++) {
        const takeLeft = i < middle && (j >= end || compare(from[i] ?? 0, from[j] ?? 0) <= 0);
        into[out] = (takeLeft ? from[i++] : from[j++]) ?? 0;
        if (++merged % MERGED_PER_STEP === 0) yield;
      }
    }
    [from, into] = [into, from];
  }
  return from;
}
