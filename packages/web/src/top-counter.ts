import type { Tally } from './snapshot.js';

/**
 * Packets and bytes per key (an address, a conversation), holding at most `maxKeys` keys.
 * A flood of new keys (a scan, spoofed sources) must not grow memory without end: past the
 * bound the half with the fewest bytes is forgotten, so the leaders stay exact while a
 * newcomer restarts from zero. The aggregate's totals are counted elsewhere and stay exact.
 */
export class TopCounter<K extends object = object> {
  private readonly map = new Map<string, Tally & { info: K }>();

  constructor(private readonly maxKeys = 4096) {}

  add(key: string, info: () => K, bytes: number): void {
    let t = this.map.get(key);
    if (!t) {
      if (this.map.size >= this.maxKeys) this.prune();
      t = { packets: 0, bytes: 0, info: info() };
      this.map.set(key, t);
    }
    t.packets++;
    t.bytes += bytes;
  }

  /** The `n` keys with the most bytes (then packets), most first. */
  top(n: number): Array<Tally & { info: K }> {
    return [...this.map.values()].sort((a, b) => b.bytes - a.bytes || b.packets - a.packets).slice(0, n);
  }

  get size(): number {
    return this.map.size;
  }

  private prune(): void {
    const keep = [...this.map.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, this.maxKeys >> 1);
    this.map.clear();
    for (const [k, v] of keep) this.map.set(k, v);
  }
}
