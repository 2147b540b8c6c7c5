/** A fixed-capacity list that drops its oldest item when a new one does not fit. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(Math.max(0, Math.floor(capacity)));
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const { length } = this.items;
    if (length === 0) return;
    this.items[this.next] = item;
    this.next = (this.next + 1) % length;
    this.count = Math.min(this.count + 1, length);
  }

  /** The items, newest first. */
  newestFirst(): T[] {
    const { length } = this.items;
    const out: T[] = [];
    for (let i = 1; i <= this.count; i++) {
      out.push(this.items[(this.next - i + length) % length] as T);
    }
    return out;
  }
}
