import { decodePacket, summarize, type CaptureRecord } from '@pcap/decode';
import type { PacketRow } from './snapshot.js';

interface Slot {
  number: number;
  seconds: number;
  nanoseconds: number;
  length: number;
  linkType: number;
  /** Grows to the largest packet stored in this slot and is then reused: no allocation per packet. */
  buffer: Uint8Array;
  size: number;
  /** Made when a snapshot first lists the packet, never per packet. */
  row: PacketRow | undefined;
}

/** What a packet looks like, read from its stored copy. */
export interface StoredPacket {
  number: number;
  seconds: number;
  nanoseconds: number;
  length: number;
  linkType: number;
  data: Uint8Array;
}

/**
 * The newest `capacity` packets, their bytes copied into reused buffers so that the rows
 * and the detail pane can be made later, only for what is shown. Storing costs a copy of
 * the captured bytes; describing (decode + summary) happens at most once per packet and
 * only for packets still in the ring when a snapshot is taken, so its cost is bounded by
 * the snapshot rate, not the packet rate.
 */
export class PacketRing {
  private readonly slots: Slot[] = [];
  private next = 0;
  private count = 0;

  constructor(readonly capacity = 200) {}

  add(rec: CaptureRecord, number: number): void {
    let s = this.slots[this.next];
    const n = rec.data.length;
    if (!s) {
      s = { number, seconds: 0, nanoseconds: 0, length: 0, linkType: 0, buffer: new Uint8Array(Math.max(n, 128)), size: 0, row: undefined };
      this.slots[this.next] = s;
    } else if (s.buffer.length < n) {
      s.buffer = new Uint8Array(n);
    }
    s.buffer.set(rec.data);
    s.size = n;
    s.number = number;
    s.seconds = rec.seconds;
    s.nanoseconds = rec.nanoseconds;
    s.length = rec.originalLength;
    s.linkType = rec.linkType;
    s.row = undefined;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The stored packets, newest first. */
  *newestFirst(): Generator<Slot> {
    for (let k = 1; k <= this.count; k++) yield this.slots[(this.next - k + this.capacity) % this.capacity]!;
  }

  /** Rows for the packet list, newest first, at most `limit`. */
  rows(limit = this.capacity): PacketRow[] {
    const out: PacketRow[] = [];
    for (const s of this.newestFirst()) {
      if (out.length >= limit) break;
      s.row ??= describe(s);
      out.push(s.row);
    }
    return out;
  }

  /** The packet numbered `number`, if it is still held. */
  get(number: number): StoredPacket | undefined {
    for (const s of this.newestFirst()) {
      if (s.number === number) return { number: s.number, seconds: s.seconds, nanoseconds: s.nanoseconds, length: s.length, linkType: s.linkType, data: s.buffer.subarray(0, s.size) };
      if (s.number < number) break;
    }
    return undefined;
  }

  clear(): void {
    this.slots.length = 0;
    this.next = 0;
    this.count = 0;
  }
}

/** The protocol a packet list shows: the deepest layer that is a protocol rather than leftover bytes. */
export function topProtocol(protocols: readonly string[]): string {
  for (let i = protocols.length - 1; i >= 0; i--) {
    const p = protocols[i]!;
    if (p !== 'data' && p !== '_failure') return p;
  }
  return protocols[0] ?? 'unknown';
}

function describe(s: Slot): PacketRow {
  const pkt = decodePacket(s.buffer.subarray(0, s.size), s.linkType, { originalLength: s.length });
  return {
    number: s.number,
    time: s.seconds + s.nanoseconds / 1e9,
    length: s.length,
    protocol: topProtocol(pkt.layers.map((l) => l.protocol)),
    summary: summarize(pkt),
  };
}
