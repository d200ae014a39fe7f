import { argumentRangeError, argumentTypeError, isBytes } from '@pcap/decode';
import { badTime, isTime } from './arguments.js';
import { seqAdd, seqDiff } from './seq.js';
import type { PacketTime } from './time.js';

/**
 * Why a stream skipped bytes it never saw.
 * - `acked`: the receiver acknowledged bytes the capture does not hold (Wireshark's
 *   "[N bytes missing in capture file]").
 * - `limit`: a buffering bound was hit, so the oldest hole was given up on.
 * - `flush`: `flushOlderThan` gave up on a hole older than the time it was given.
 * - `close`: the session ended (FIN, RST, timeout, end of capture) with a hole still open.
 * - `truncated`: the capture's snapshot length cut the segment; its tail was never recorded.
 */
export type GapReason = 'acked' | 'limit' | 'flush' | 'close' | 'truncated';

/** What a segment was to its direction's stream. */
export type SegmentOutcome =
  /** No payload (pure ACK, SYN, FIN, RST). */
  | 'empty'
  /** Continued the stream where it ended. */
  | 'in-order'
  /** Arrived ahead of a hole and was held until the hole fills. */
  | 'out-of-order'
  /** Carried bytes already seen (entirely or in part). */
  | 'retransmission'
  /** A keep-alive probe: one old byte (or none) just before the stream's end. */
  | 'keepalive';

/** Where a reassembled direction goes. Byte views are valid only during the call. */
export interface ReassemblySink {
  data(bytes: Uint8Array, offset: number, time: PacketTime): void;
  gap(offset: number, size: number, reason: GapReason, time: PacketTime): void;
  /** A later copy of `size` bytes at `offset` differs from the copy already in the stream. */
  conflict(offset: number, size: number, time: PacketTime): void;
  /** The stream reached its FIN: every byte before it has been delivered or reported missing. */
  finished(time: PacketTime): void;
}

/** Bytes charged per held segment on top of its payload, so that floods of tiny segments are bounded too. */
export const SEGMENT_OVERHEAD = 64;

interface Held {
  readonly start: number;
  /** `start` + captured bytes + bytes the snapshot length cut off. */
  readonly end: number;
  readonly bytes: Uint8Array;
  readonly time: PacketTime;
  readonly arrival: number;
}

/**
 * Turns one direction of a TCP connection into an ordered byte stream.
 *
 * Offsets count bytes from the first byte after the SYN (or from the first segment seen
 * when the capture joined mid-stream). Bytes enter the stream in sequence order and are
 * never replaced once in it (first copy wins). A segment that reaches the stream's end is
 * taken whole; when several held segments could continue the stream, the one that arrived
 * first is taken. This is the rule of Wireshark's Follow TCP Stream, so the bytes equal
 * `tshark -z follow,tcp,raw`.
 */
export class Reassembler {
  /** True once any segment of this direction was seen. */
  started = false;
  /** Offset of the next byte the stream expects. */
  next = 0;
  /** Offset of the FIN, or -1. */
  finAt = -1;
  /** True once the stream reached its FIN. */
  finished = false;
  /** Payload bytes held ahead of holes. */
  heldBytes = 0;
  /** Highest offset the peer acknowledged, or -1. */
  maxAck = -1;
  private base = 0;
  private held: Held[] = [];
  private arrivals = 0;
  private hist: Uint8Array | undefined;
  private histLen = 0;

  constructor(
    private readonly sink: ReassemblySink,
    /** Bytes of delivered data kept to tell whether a retransmission differs (0: never check). */
    private readonly historyLimit: number,
  ) {
    const fn = 'Reassembler';
    const methods = ['data', 'gap', 'conflict', 'finished'] as const;
    const missing = methods.find((m) => typeof (sink as Partial<ReassemblySink> | null)?.[m] !== 'function');
    if (missing) throw argumentTypeError(fn, 'sink', `a ReassemblySink with ${methods.join(', ')} methods`, sink, `${missing} is missing`);
    if (typeof historyLimit !== 'number') throw argumentTypeError(fn, 'historyLimit', 'a number of bytes ≥ 0 (0: no overlap check)', historyLimit);
    if (!(historyLimit >= 0)) throw argumentRangeError(fn, 'historyLimit', 'a number of bytes ≥ 0 (0: no overlap check)', historyLimit);
  }

  /** Bytes this direction keeps: held segments (with overhead) and its overlap-check window. */
  get cost(): number {
    return this.heldBytes + this.held.length * SEGMENT_OVERHEAD + (this.hist ? this.hist.length : 0);
  }

  /** Segments held ahead of holes. */
  get heldSegments(): number {
    return this.held.length;
  }

  /** Arrival time of the oldest held segment. */
  get oldestHeld(): PacketTime | undefined {
    let t: PacketTime | undefined;
    let a = Infinity;
    for (const h of this.held) {
      if (h.arrival < a) {
        a = h.arrival;
        t = h.time;
      }
    }
    return t;
  }

  /** Sequence number of offset 0. */
  get initialSequence(): number {
    return this.base;
  }

  /** The stream offset of a sequence number, relative to where the stream is now. */
  offsetOf(seq: number): number {
    return this.next + seqDiff(seq, seqAdd(this.base, this.next));
  }

  /**
   * Adds one segment. `data` holds the captured payload bytes and may be shorter than
   * `length`, the payload length the IP header declares. Bytes that continue the stream
   * are passed to the sink before this returns; held bytes are copied.
   */
  segment(seq: number, syn: boolean, fin: boolean, data: Uint8Array, length: number, time: PacketTime): SegmentOutcome {
    if (typeof seq !== 'number' || !(data instanceof Uint8Array) || typeof length !== 'number' || !isTime(time)) checkSegment(seq, data, length, time);
    if (!this.started) {
      this.started = true;
      this.base = syn ? seqAdd(seq, 1) : seq;
      this.next = 0;
    }
    if (data.length > length) data = data.subarray(0, length);
    const start = this.offsetOf(syn ? seqAdd(seq, 1) : seq);
    const end = start + length;
    if (fin && this.finAt < 0 && end >= this.next) this.finAt = end;
    let outcome: SegmentOutcome;
    if (length === 0) {
      outcome = 'empty';
    } else if (end <= this.next) {
      if (length <= 1 && start === this.next - 1) {
        outcome = 'keepalive';
      } else {
        this.checkOverlap(start, data, time);
        outcome = 'retransmission';
      }
    } else if (start <= this.next) {
      if (start < this.next) this.checkOverlap(start, data, time);
      outcome = start < this.next ? 'retransmission' : 'in-order';
      this.take(start, data, end, time);
      if (this.held.length > 0) this.drain();
    } else {
      outcome = this.hold(start, data, end, time);
    }
    this.checkFinished(time);
    return outcome;
  }

  /**
   * The peer acknowledged `ack`: it received everything before it. If that passes bytes
   * the capture never held, report them as a gap and continue after it.
   */
  acked(ack: number, time: PacketTime): void {
    if (!this.started) return;
    const a = this.offsetOf(ack);
    if (a > this.maxAck) this.maxAck = a;
    for (let guard = this.held.length + 2; guard > 0; guard--) {
      const target = this.nextKnown();
      if (target < 0 || !(a > target)) return;
      this.skipTo(target, 'acked', time);
    }
  }

  /** Gives up on the first hole: reports it as a gap and delivers what follows. False when there is none. */
  skipHole(reason: GapReason, time: PacketTime): boolean {
    const target = this.nextKnown();
    if (target < 0) return false;
    this.skipTo(target, reason, time);
    return true;
  }

  /** Gives up on holes while the segment after them arrived before `t` (seconds). */
  flushOlderThan(t: number, time: PacketTime): number {
    let n = 0;
    for (let guard = this.held.length + 1; guard > 0 && this.held.length > 0; guard--) {
      const first = this.held[0]!;
      if (first.time.seconds + first.time.nanoseconds / 1e9 >= t) break;
      this.skipTo(first.start, 'flush', time);
      n++;
    }
    return n;
  }

  /** Ends the stream: every remaining hole becomes a gap and all held bytes are delivered. */
  close(time: PacketTime): void {
    for (let guard = this.held.length + 2; guard > 0; guard--) {
      if (!this.skipHole('close', time)) break;
    }
    // Bytes the peer acknowledged after the last ones captured were lost by the capture.
    if (!this.finished && this.maxAck > this.next && this.maxAck - this.next < 0x40000000) {
      this.sink.gap(this.next, this.maxAck - this.next, 'close', time);
      this.next = this.maxAck;
    }
    this.held = [];
    this.heldBytes = 0;
    this.release();
  }

  /** Frees the overlap-check window (it is rebuilt from later data). */
  release(): void {
    this.hist = undefined;
    this.histLen = 0;
  }

  private nextKnown(): number {
    const first = this.held.length > 0 ? this.held[0]!.start : -1;
    const fin = this.finAt > this.next ? this.finAt : -1;
    if (first < 0) return fin;
    if (fin < 0) return first;
    return Math.min(first, fin);
  }

  private skipTo(target: number, reason: GapReason, time: PacketTime): void {
    if (target > this.next) {
      this.sink.gap(this.next, target - this.next, reason, time);
      this.next = target;
      this.histLen = 0;
    }
    this.drain();
    this.checkFinished(time);
  }

  private hold(start: number, data: Uint8Array, end: number, time: PacketTime): SegmentOutcome {
    // Binary search for the insertion point; equal starts keep arrival order.
    let lo = 0;
    let hi = this.held.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.held[mid]!.start <= start) lo = mid + 1;
      else hi = mid;
    }
    const prev = lo > 0 ? this.held[lo - 1]! : undefined;
    if (prev && prev.start === start && prev.end >= end) {
      const d = differing(prev.bytes, data);
      if (d) this.sink.conflict(start + d[0], d[1], time);
      return 'retransmission';
    }
    const bytes = data.slice();
    this.held.splice(lo, 0, { start, end, bytes, time, arrival: this.arrivals++ });
    this.heldBytes += bytes.length;
    return 'out-of-order';
  }

  /** Delivers whatever held segments now continue the stream. */
  private drain(): void {
    const held = this.held;
    for (let guard = held.length * 2 + 1; guard > 0 && held.length > 0 && held[0]!.start <= this.next; guard--) {
      let pick = -1;
      for (let i = 0; i < held.length && held[i]!.start <= this.next; ) {
        const h = held[i]!;
        if (h.end <= this.next) {
          this.checkOverlap(h.start, h.bytes, h.time);
          held.splice(i, 1);
          this.heldBytes -= h.bytes.length;
          continue;
        }
        if (pick < 0 || h.arrival < held[pick]!.arrival) pick = i;
        i++;
      }
      if (pick < 0) continue;
      const h = held[pick]!;
      held.splice(pick, 1);
      this.heldBytes -= h.bytes.length;
      if (h.start < this.next) this.checkOverlap(h.start, h.bytes, h.time);
      this.take(h.start, h.bytes, h.end, h.time);
    }
  }

  /** Appends the part of a segment past the stream's end; reports a snapshot-length cut as a gap. */
  private take(start: number, bytes: Uint8Array, end: number, time: PacketTime): void {
    const capEnd = start + bytes.length;
    if (capEnd > this.next) {
      const b = this.next > start ? bytes.subarray(this.next - start) : bytes;
      const at = this.next;
      if (this.historyLimit > 0) this.remember(b);
      this.next = capEnd;
      this.sink.data(b, at, time);
    }
    if (end > this.next) {
      const at = this.next;
      this.next = end;
      this.histLen = 0;
      this.sink.gap(at, end - at, 'truncated', time);
    }
  }

  private checkFinished(time: PacketTime): void {
    if (!this.finished && this.finAt >= 0 && this.next >= this.finAt) {
      this.finished = true;
      this.sink.finished(time);
    }
  }

  /** Reports the span where the part of `bytes` (at `start`) already in the stream differs from it. */
  private checkOverlap(start: number, bytes: Uint8Array, time: PacketTime): void {
    const hist = this.hist;
    if (!hist || this.histLen === 0) return;
    const from = Math.max(start, this.next - this.histLen);
    const to = Math.min(start + bytes.length, this.next);
    const cap = hist.length;
    let first = -1;
    let last = -1;
    for (let x = from; x < to; x++) {
      if (hist[x % cap] !== bytes[x - start]) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) this.sink.conflict(first, last - first + 1, time);
  }

  /** Keeps the last `historyLimit` delivered bytes in a ring indexed by offset. */
  private remember(b: Uint8Array): void {
    const limit = this.historyLimit;
    let hist = this.hist;
    const want = Math.min(limit, this.histLen + b.length);
    if (!hist || (hist.length < want && hist.length < limit)) {
      let cap = hist ? hist.length : 4096;
      while (cap < want) cap *= 2;
      const grown = new Uint8Array(Math.min(cap, limit));
      if (hist && this.histLen > 0) {
        // Re-lay the kept bytes at their offsets in the larger ring.
        const from = this.next - this.histLen;
        const at = from % hist.length;
        const kept = new Uint8Array(this.histLen);
        const head = Math.min(this.histLen, hist.length - at);
        kept.set(hist.subarray(at, at + head), 0);
        if (head < this.histLen) kept.set(hist.subarray(0, this.histLen - head), head);
        writeRing(grown, from, kept);
      }
      hist = this.hist = grown;
    }
    const src = b.length > hist.length ? b.subarray(b.length - hist.length) : b;
    writeRing(hist, this.next + (b.length - src.length), src);
    this.histLen = Math.min(hist.length, this.histLen + b.length);
  }
}

/** Writes `bytes` into `ring` (no longer than it) so that the byte at offset x lands at x mod its length. */
function writeRing(ring: Uint8Array, offset: number, bytes: Uint8Array): void {
  const pos = offset % ring.length;
  if (pos + bytes.length <= ring.length) {
    ring.set(bytes, pos);
    return;
  }
  const first = ring.length - pos;
  ring.set(bytes.subarray(0, first), pos);
  ring.set(bytes.subarray(first), 0);
}

/** The offset and length of the span where `a` and `b` differ (over their common length), if they do. */
function differing(a: Uint8Array, b: Uint8Array): [number, number] | undefined {
  const n = Math.min(a.length, b.length);
  let first = -1;
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? undefined : [first, last - first + 1];
}

function checkSegment(seq: unknown, data: unknown, length: unknown, time: unknown): void {
  const fn = 'Reassembler.segment';
  if (typeof seq !== 'number') throw argumentTypeError(fn, 'seq', 'a TCP sequence number', seq, 'pass tcp.seq');
  if (!isBytes(data)) throw argumentTypeError(fn, 'data', 'a Uint8Array of the captured payload', data, 'pass the TCP payload bytes (empty for none)');
  if (typeof length !== 'number') throw argumentTypeError(fn, 'length', 'the payload length the IP header declares', length);
  if (!isTime(time)) throw badTime(fn, 'time', time);
}
