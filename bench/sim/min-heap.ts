// A binary min-heap: the event clock's timers and the fair-share filling's bottlenecks.

/** A heap ordered by `before` (true when a comes out first). */
export interface MinHeap<T> {
  push(item: T): void;
  /** Removes and returns the first item. */
  pop(): T | undefined;
  peek(): T | undefined;
  readonly size: number;
  /** Keeps only the items `keep` accepts (rebuilds the heap). */
  filter(keep: (item: T) => boolean): void;
  /** The items in heap order (not sorted). */
  items(): readonly T[];
}

/** An empty heap. */
export function createMinHeap<T>(before: (a: T, b: T) => boolean): MinHeap<T> {
  let heap: T[] = [];
  const at = (i: number): T => heap[i] as T;
  const swap = (i: number, j: number): void => {
    const t = at(i);
    heap[i] = at(j);
    heap[j] = t;
  };
  const up = (start: number): void => {
    for (let i = start; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(at(i), at(parent))) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (start: number): void => {
    for (let i = start; ; ) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let least = i;
      if (l < heap.length && before(at(l), at(least))) least = l;
      if (r < heap.length && before(at(r), at(least))) least = r;
      if (least === i) return;
      swap(i, least);
      i = least;
    }
  };
  return {
    push(item) {
      heap.push(item);
      up(heap.length - 1);
    },
    pop() {
      const top = heap[0];
      const last = heap.pop();
      if (heap.length > 0 && last !== undefined) {
        heap[0] = last;
        down(0);
      }
      return top;
    },
    peek: () => heap[0],
    get size() {
      return heap.length;
    },
    filter(keep) {
      heap = heap.filter(keep);
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
    },
    items: () => heap,
  };
}
