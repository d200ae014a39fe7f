import type { RateSeries } from './snapshot.js';

/**
 * Packets and bytes per whole second of packet time over the last `window` seconds: the
 * series behind the rate chart. Fixed memory whatever the rate; packets older than the
 * window are left out of the chart (the totals still count them).
 */
export class RateBuckets {
  private readonly packets: Float64Array;
  private readonly bytes: Float64Array;
  private latest: number | undefined;
  private earliest = 0;

  constructor(private readonly window = 300) {
    this.packets = new Float64Array(window);
    this.bytes = new Float64Array(window);
  }

  add(second: number, bytes: number): void {
    this.advance(second);
    const latest = this.latest!;
    if (second <= latest - this.window) return;
    if (second < this.earliest) this.earliest = second;
    const i = this.slot(second);
    this.packets[i]! += 1;
    this.bytes[i]! += bytes;
  }

  /** Moves the newest bucket to `second` (empty buckets in between): a live view keeps moving while idle. */
  advance(second: number): void {
    if (this.latest === undefined) {
      this.latest = this.earliest = second;
      return;
    }
    if (second <= this.latest) return;
    const steps = Math.min(second - this.latest, this.window);
    for (let k = 1; k <= steps; k++) {
      const i = this.slot(this.latest + k);
      this.packets[i] = 0;
      this.bytes[i] = 0;
    }
    this.latest = second;
  }

  series(): RateSeries {
    if (this.latest === undefined) return { start: 0, packets: [], bytes: [] };
    const start = Math.max(this.earliest, this.latest - this.window + 1);
    const packets: number[] = [];
    const bytes: number[] = [];
    for (let s = start; s <= this.latest; s++) {
      const i = this.slot(s);
      packets.push(this.packets[i]!);
      bytes.push(this.bytes[i]!);
    }
    return { start, packets, bytes };
  }

  private slot(second: number): number {
    return ((second % this.window) + this.window) % this.window;
  }
}
