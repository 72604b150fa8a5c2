/** First position in sorted[from, to) holding a value >= target: exponential then binary search. */
export function gallop(sorted: Uint32Array, from: number, to: number, target: number): number {
  if (from >= to || (sorted[from] ?? 0) >= target) return from;
  let step = 1;
  let low = from;
  let high = from + 1;
  while (high < to && (sorted[high] ?? 0) < target) {
    low = high;
    step *= 2;
    high = from + step;
  }
  if (high > to) high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? 0) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}
