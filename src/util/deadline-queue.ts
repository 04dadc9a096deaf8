/**
 * The earliest deadline among many items whose deadlines change often (an authenticator's ports: a
 * new one on every frame), in O(log n) per change instead of a walk over every item per frame.
 * A binary min-heap with lazy removal: a changed or removed item leaves its old entry behind,
 * recognised as stale by its sequence number and dropped when it reaches the top, and the heap is
 * rebuilt from the live entries once the stale ones outnumber them.
 * Ties go to the item whose deadline was set first, as eloop runs timeouts of the same time.
 */
interface Entry<T> {
  at: number;
  seq: number;
  item: T;
}

export class DeadlineQueue<T> {
  private heap: Entry<T>[] = [];
  /** The sequence number of each item's live entry. */
  private readonly live = new Map<T, number>();
  private seq = 0;

  get size(): number {
    return this.live.size;
  }

  /** Sets (or moves) `item`'s deadline. */
  set(item: T, at: number): void {
    const seq = this.seq++;
    this.live.set(item, seq);
    this.push({ at, seq, item });
    if (this.heap.length > 2 * this.live.size + 64) this.rebuild();
  }

  delete(item: T): void {
    this.live.delete(item);
  }

  /** The earliest live deadline, or null with none. */
  next(): number | null {
    this.dropStale();
    return this.heap.length > 0 ? this.heap[0]!.at : null;
  }

  /** Removes and returns the items whose deadline is at or before `now`, earliest first. */
  takeDue(now: number): T[] {
    const due: T[] = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (!top || top.at > now) return due;
      this.pop();
      this.live.delete(top.item);
      due.push(top.item);
    }
  }

  private isStale(entry: Entry<T>): boolean {
    return this.live.get(entry.item) !== entry.seq;
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.isStale(this.heap[0]!)) this.pop();
  }

  private rebuild(): void {
    const entries = this.heap.filter((entry) => !this.isStale(entry));
    this.heap = [];
    for (const entry of entries) this.push(entry);
  }

  private static before<T>(a: Entry<T>, b: Entry<T>): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(entry: Entry<T>): void {
    const heap = this.heap;
    let i = heap.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!DeadlineQueue.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && DeadlineQueue.before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && DeadlineQueue.before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}
