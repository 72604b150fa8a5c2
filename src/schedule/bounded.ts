/**
 * Runs `work` for every item with at most `limit` running at once, and resolves when all have
 * settled. `work` is expected to handle its own errors; one that still throws is not allowed to
 * stop the other items, so the pool swallows it (the caller's `work` should report it first).
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch {
        // Already reported by `work`; see the comment above.
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
}
