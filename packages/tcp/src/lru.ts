/** A node of an `LruList`; a value keeps its own node so that moving it costs no allocation. */
export interface LruNode<T> {
  readonly value: T;
  prev: LruNode<T> | undefined;
  next: LruNode<T> | undefined;
  linked: boolean;
}

/** Makes a node for `value` (not yet in any list). */
export function lruNode<T>(value: T): LruNode<T> {
  return { value, prev: undefined, next: undefined, linked: false };
}

/**
 * Values ordered by last use, oldest first, with O(1) touch, removal and oldest-lookup.
 * (A Map's insertion order would do the same, but finding its first entry after many
 * deletions walks over their holes.)
 */
export class LruList<T> {
  private head: LruNode<T> | undefined;
  private tail: LruNode<T> | undefined;
  size = 0;

  /** Moves `node` to the newest end, adding it if needed. */
  touch(node: LruNode<T>): void {
    if (node.linked) {
      if (this.tail === node) return;
      this.unlink(node);
    }
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    node.linked = true;
    this.size++;
  }

  remove(node: LruNode<T>): void {
    if (node.linked) this.unlink(node);
  }

  /** The least recently used value. */
  oldest(): T | undefined {
    return this.head?.value;
  }

  /** Values from oldest to newest; removing the current one while iterating is safe. */
  *values(): Generator<T> {
    for (let n = this.head; n; ) {
      const next = n.next;
      yield n.value;
      n = next;
    }
  }

  clear(): void {
    for (let n = this.head; n; ) {
      const next = n.next;
      n.prev = n.next = undefined;
      n.linked = false;
      n = next;
    }
    this.head = this.tail = undefined;
    this.size = 0;
  }

  private unlink(node: LruNode<T>): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = undefined;
    node.linked = false;
    this.size--;
  }
}
