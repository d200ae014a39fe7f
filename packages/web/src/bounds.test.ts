import { describe, expect, it } from 'vitest';
import { PacketRing } from './packet-ring.js';
import { RateBuckets } from './rate-buckets.js';
import { TopCounter } from './top-counter.js';

describe('TopCounter', () => {
  it('holds at most maxKeys keys and keeps the heaviest exact', () => {
    const c = new TopCounter<{ k: string }>(8);
    for (let i = 0; i < 1000; i++) c.add('big', () => ({ k: 'big' }), 100);
    for (let i = 0; i < 5000; i++) c.add(`k${i}`, () => ({ k: `k${i}` }), 1);
    expect(c.size).toBeLessThanOrEqual(8);
    expect(c.top(1)[0]).toMatchObject({ packets: 1000, bytes: 100_000, info: { k: 'big' } });
  });
});

describe('RateBuckets', () => {
  it('fills seconds without packets with zeros and drops what falls out of the window', () => {
    const r = new RateBuckets(5);
    r.add(100, 10);
    r.add(100, 10);
    r.add(102, 7);
    expect(r.series()).toEqual({ start: 100, packets: [2, 0, 1], bytes: [20, 0, 7] });
    r.advance(106);
    expect(r.series()).toEqual({ start: 102, packets: [1, 0, 0, 0, 0], bytes: [7, 0, 0, 0, 0] });
    r.add(101, 99); // older than the window: left out of the chart
    expect(r.series().packets).toEqual([1, 0, 0, 0, 0]);
    r.add(200, 1);
    expect(r.series()).toEqual({ start: 196, packets: [0, 0, 0, 0, 1], bytes: [0, 0, 0, 0, 1] });
  });
});

describe('PacketRing', () => {
  const rec = (n: number, size: number) => ({ seconds: n, nanoseconds: 0, capturedLength: size, originalLength: size, linkType: 1, interfaceId: undefined, data: new Uint8Array(size).fill(n), number: n });

  it('keeps the newest packets, each with its own bytes though buffers are reused', () => {
    const ring = new PacketRing(3);
    for (let n = 1; n <= 7; n++) ring.add(rec(n, n * 10), n);
    expect([...ring.newestFirst()].map((s) => s.number)).toEqual([7, 6, 5]);
    expect(ring.get(4)).toBeUndefined();
    const p = ring.get(5)!;
    expect(p.data.length).toBe(50);
    expect(p.data.every((b) => b === 5)).toBe(true);
    // A garbage Ethernet frame still gets a row, never an exception.
    expect(ring.rows(2).map((r) => r.number)).toEqual([7, 6]);
  });
});
