import { fuzz, noise, runsFor, STALL_MS, timeoutFor, Watchdog } from '@pcap/fuzz';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { Reassembler, SEGMENT_OVERHEAD, type GapReason } from '../reassembler.js';
import { seqAdd } from '../seq.js';
import type { PacketTime } from '../time.js';

// Never crash, reassembly: one direction's stream cut into segments that arrive reordered,
// duplicated, overlapping, cut short by a snapshot length, dropped, mixed with segments at
// random sequence numbers and acknowledgments: no exception, never more bytes delivered than
// fed, held bytes bounded by what was fed, and every byte delivered where the stream has it.

const FILE = 'packages/tcp/src/fuzz/reassembler.test.ts';

const watchdog = new Watchdog(STALL_MS);
afterAll(() => watchdog.stop());

/** What arrives: a slice of the stream (or random bytes at a random sequence number), maybe cut short. */
interface Arrival {
  readonly seq: number;
  readonly syn: boolean;
  readonly fin: boolean;
  readonly data: Uint8Array;
  /** Payload length the segment declares (at least `data.length`). */
  readonly length: number;
  /** Stream index of the first byte, or -1 for a foreign segment. */
  readonly at: number;
  /** An acknowledgment the peer sends after it, as a sequence number. */
  readonly ack?: number;
}

const STREAM_MAX = 6000;

/** A stream and its segments in arrival order. */
const scenario = fc
  .record({
    length: fc.nat(STREAM_MAX),
    content: fc.integer(),
    // Near the wrap-around of sequence space half of the time.
    isn: fc.oneof(fc.nat(0xffffffff), fc.integer({ min: 0xffffffff - 8000, max: 0xffffffff })),
    syn: fc.boolean(),
    // Cut points, then slices anywhere (retransmissions and overlaps), in arrival order by key.
    cuts: fc.array(fc.nat(), { maxLength: 24 }),
    extra: fc.array(fc.tuple(fc.nat(), fc.nat(1500)), { maxLength: 8 }),
    order: fc.array(fc.nat(), { maxLength: 40 }),
    drop: fc.array(fc.nat(), { maxLength: 4 }),
    snap: fc.array(fc.tuple(fc.nat(), fc.nat(64)), { maxLength: 4 }),
    foreign: fc.array(fc.tuple(fc.nat(0xffffffff), fc.nat(300), fc.boolean()), { maxLength: 3 }),
    acks: fc.array(fc.tuple(fc.nat(), fc.integer({ min: -100, max: STREAM_MAX + 100 })), { maxLength: 6 }),
    fin: fc.boolean(),
    history: fc.constantFrom(0, 1, 64, 16384),
  })
  .map((r) => {
    const stream = noise(r.length, r.content);
    const points = [...new Set([0, r.length, ...r.cuts.map((c) => c % (r.length + 1))])].sort((a, b) => a - b);
    const slices: Array<[number, number]> = [];
    for (let i = 1; i < points.length; i++) slices.push([points[i - 1]!, points[i]!]);
    for (const [from, n] of r.extra) {
      const a = from % (r.length + 1);
      slices.push([a, Math.min(r.length, a + n)]);
    }
    const dropped = new Set(r.drop.map((d) => d % Math.max(1, slices.length)));
    const keyed = slices.map((s, i) => ({ s, key: r.order[i] ?? i * 1000 })).filter((_, i) => !dropped.has(i) || slices.length === 1);
    keyed.sort((a, b) => a.key - b.key);
    const arrivals: Arrival[] = [];
    if (r.syn) arrivals.push({ seq: seqAdd(r.isn, -1), syn: true, fin: false, data: new Uint8Array(0), length: 0, at: 0 });
    for (const [k, { s }] of keyed.entries()) {
      const [a, b] = s;
      const cut = r.snap.find(([i]) => i % Math.max(1, keyed.length) === k);
      const data = stream.subarray(a, cut ? Math.max(a, b - cut[1]) : b);
      const ack = r.acks.find(([i]) => i % Math.max(1, keyed.length) === k);
      arrivals.push({ seq: seqAdd(r.isn, a), syn: false, fin: r.fin && b === r.length, data, length: b - a, at: a, ...(ack ? { ack: seqAdd(r.isn, ack[1]) } : {}) });
    }
    for (const [seq, n, early] of r.foreign) {
      const f: Arrival = { seq, syn: false, fin: false, data: noise(n, seq), length: n, at: -1 };
      if (early) arrivals.splice(Math.min(arrivals.length, 1), 0, f);
      else arrivals.push(f);
    }
    return { stream, arrivals, history: r.history, syn: r.syn };
  });

const T: PacketTime = { seconds: 1_700_000_000, nanoseconds: 0 };

describe('never crash: TCP reassembly', () => {
  const runs = runsFor(0.5);
  const name = `reassembles ${runs} generated segment sequences within bounds`;
  it(
    name,
    () => {
      let delivered = 0;
      let gaps = 0;
      fuzz({ name, file: FILE, arbitrary: scenario, runs, watch: (x) => ({ bytes: x.stream.subarray(0, 4096), tag: x.arrivals.length }) }, watchdog, (x) => {
        let fed = 0;
        let out = 0;
        let base = -1;
        const foreign = x.arrivals.some((a) => a.at < 0);
        let end = 0;
        const problems: string[] = [];
        const sink = {
          data(bytes: Uint8Array, offset: number) {
            if (offset !== end) problems.push(`data at ${offset}, the stream had reached ${end}`);
            end = offset + bytes.length;
            out += bytes.length;
            if (!foreign && base >= 0) {
              for (let i = 0; i < bytes.length; i++) {
                if (bytes[i] !== x.stream[base + offset + i]) {
                  problems.push(`byte ${offset + i} is ${bytes[i]}, the stream has ${x.stream[base + offset + i]}`);
                  break;
                }
              }
            }
          },
          gap(offset: number, size: number, _reason: GapReason) {
            if (offset !== end || !(size > 0)) problems.push(`a gap of ${size} at ${offset}, the stream had reached ${end}`);
            end = offset + size;
            gaps++;
          },
          conflict(offset: number, size: number) {
            if (!foreign) problems.push(`a conflict of ${size} bytes at ${offset} in a stream whose copies all agree`);
          },
          finished() {},
        };
        const r = new Reassembler(sink, x.history);
        for (const a of x.arrivals) {
          if (base < 0) base = a.syn ? 0 : a.at;
          fed += a.data.length;
          r.segment(a.seq, a.syn, a.fin, a.data, a.length, T);
          if (a.ack !== undefined) r.acked(a.ack, T);
          if (r.heldBytes > fed) problems.push(`holding ${r.heldBytes} bytes of ${fed} fed`);
          if (r.cost > fed + r.heldSegments * SEGMENT_OVERHEAD + x.history) problems.push(`costs ${r.cost} after ${fed} bytes fed`);
          if (problems.length) break;
        }
        r.close(T);
        if (out > fed) problems.push(`delivered ${out} bytes of ${fed} fed`);
        if (r.heldBytes !== 0 || r.heldSegments !== 0) problems.push(`still holding ${r.heldBytes} bytes after close`);
        delivered += out;
        if (problems.length) throw new Error(problems.slice(0, 3).join('; '));
      });
      console.log(`fuzz: reassembly delivered ${delivered} bytes and ${gaps} gaps`);
    },
    timeoutFor(runs),
  );
});
