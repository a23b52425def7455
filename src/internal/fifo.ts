// A first-in, first-out queue with O(1) removal of any entry, for the waiters of locks,
// semaphores and queues: a waiter whose Deferred is cancelled leaves the line at once instead of
// being skipped later (async-mutex, p-queue), and no operation is O(n) (Array#shift is, past
// V8's small-array fast case).

/**
 * One entry of a Fifo: give it back to `remove()` to take the value out of the line.
 * @internal
 */
export interface FifoEntry<T> {
  readonly value: T;
}

class Node<T> implements FifoEntry<T> {
  value: T;
  next: Node<T> | null = null;
  prev: Node<T> | null = null;
  /** Whether the node is still in its Fifo: removing twice must not corrupt the links. */
  linked = true;
  constructor(value: T) {
    this.value = value;
  }
}

/** A doubly linked FIFO: push, shift and remove are O(1). @internal */
export class Fifo<T> {
  private head: Node<T> | null = null;
  private tail: Node<T> | null = null;
  private count = 0;

  /** How many entries are in line. */
  get size(): number {
    return this.count;
  }

  /** Appends `value` at the end of the line; returns its entry, for `remove()`. */
  push(value: T): FifoEntry<T> {
    const node = new Node(value);
    const tail = this.tail;
    if (tail === null) this.head = node;
    else {
      tail.next = node;
      node.prev = tail;
    }
    this.tail = node;
    this.count++;
    return node;
  }

  /** The first value in line, without taking it out; `undefined` when empty. */
  peek(): T | undefined {
    return this.head?.value;
  }

  /** Takes the first value out of the line; `undefined` when empty. */
  shift(): T | undefined {
    const node = this.head;
    if (node === null) return undefined;
    this.unlink(node);
    return node.value;
  }

  /** Takes `entry` out of the line wherever it is; `false` if it had left already. */
  remove(entry: FifoEntry<T>): boolean {
    const node = entry as Node<T>;
    if (!node.linked) return false;
    this.unlink(node);
    return true;
  }

  /** How many entries stand before `entry` (introspection: O(position)). */
  ahead(entry: FifoEntry<T>): number {
    let n = 0;
    for (let node = (entry as Node<T>).prev; node !== null; node = node.prev) n++;
    return n;
  }

  /** Takes every value out of the line, in order. */
  drain(): T[] {
    const values: T[] = [];
    for (let node = this.head; node !== null; node = node.next) {
      node.linked = false;
      values.push(node.value);
    }
    this.head = this.tail = null;
    this.count = 0;
    return values;
  }

  private unlink(node: Node<T>): void {
    const { prev, next } = node;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    node.prev = node.next = null;
    node.linked = false;
    this.count--;
  }
}
