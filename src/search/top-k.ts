/**
 * The k best (highest score, then lowest position) of `count` candidates, best first, using a binary
 * min-heap of size k: O(count log k) with k = offset + limit, instead of sorting every match.
 */
export function topK(docs: Uint32Array, scores: Float32Array, count: number, k: number): number[] {
  if (k <= 0 || count <= 0) return [];
  const heap: number[] = []; // candidate indexes; heap[0] is the worst kept
  const worse = (a: number, b: number): boolean => {
    const sa = scores[a] ?? 0;
    const sb = scores[b] ?? 0;
    return sa < sb || (sa === sb && (docs[a] ?? 0) > (docs[b] ?? 0));
  };
  const siftDown = (from: number): void => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && worse(heap[left] ?? 0, heap[smallest] ?? 0)) smallest = left;
      if (right < heap.length && worse(heap[right] ?? 0, heap[smallest] ?? 0)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] ?? 0, heap[i] ?? 0];
      i = smallest;
    }
  };
  for (let c = 0; c < count; c++) {
    if (heap.length < k) {
      heap.push(c);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i] ?? 0, heap[parent] ?? 0)) break;
        [heap[i], heap[parent]] = [heap[parent] ?? 0, heap[i] ?? 0];
        i = parent;
      }
    } else if (worse(heap[0] ?? 0, c)) {
      heap[0] = c;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
