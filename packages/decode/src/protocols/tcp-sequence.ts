import type { Layer } from '../layer.js';
import type { Tcp } from './tcp.js';

/** What a conversation's numbers are counted from. */
interface Base {
  seq: number;
  ack: number;
}

/** The IP header a TCP header follows: where its source and destination addresses are. */
interface Addresses {
  readonly bytes: Uint8Array;
  readonly at: number;
  readonly size: number;
}

/**
 * Relative TCP sequence and acknowledgment numbers, as tcpdump prints them by default
 * (without `-S`). For each conversation it remembers the numbers of the first packet seen
 * with ACK set, or of the latest SYN; that packet prints absolute numbers and later ones print
 * numbers relative to them. Packets without ACK always print absolute numbers. Give one
 * instance every packet of a capture, in order.
 */
export class TcpSequenceBases {
  private readonly bases = new Map<string, Base>();
  // The last header looked at and what it printed, so that asking twice counts once.
  private last: Tcp | undefined;
  private lastNumbers = { seq: 0, ack: 0 };

  /** `limit` bounds the conversations remembered; the oldest is forgotten past it. */
  constructor(readonly limit = 65536) {}

  /**
   * The sequence and acknowledgment numbers to print for `tcp` (the layer at `index` of
   * `layers`): relative ones, or the packet's own when it starts counting or has no ACK.
   */
  numbers(tcp: Tcp, layers: readonly Layer[], index: number): { seq: number; ack: number } {
    if (tcp === this.last) return this.lastNumbers;
    this.last = tcp;
    return (this.lastNumbers = this.count(tcp, layers, index));
  }

  private count(tcp: Tcp, layers: readonly Layer[], index: number): { seq: number; ack: number } {
    const seq = tcp.seq;
    const ack = tcp.ack;
    const ip = addressesBelow(layers, index);
    // A header cut before its flags, or with a bogus data offset, has no numbers to count from.
    if (!ip || tcp.fixed < 16 || tcp.badOffset || (tcp.flags & 0x010) === 0) return { seq, ack };
    // One entry per conversation: the side with the lower address (then port) is its first half.
    const order = compare(ip.bytes, ip.at, ip.at + ip.size, ip.size);
    const rev = order > 0 || (order === 0 && tcp.srcport > tcp.dstport);
    const src = addressKey(ip.bytes, ip.at, ip.size);
    const dst = addressKey(ip.bytes, ip.at + ip.size, ip.size);
    const ports = rev ? String.fromCharCode(tcp.dstport, tcp.srcport) : String.fromCharCode(tcp.srcport, tcp.dstport);
    const key = rev ? dst + src + ports : src + dst + ports;
    const base = this.bases.get(key);
    if (!base || (tcp.flags & 0x002) !== 0) {
      const fresh = rev ? { seq: (ack - 1) >>> 0, ack: seq } : { seq, ack: (ack - 1) >>> 0 };
      this.bases.delete(key);
      this.bases.set(key, fresh);
      if (this.bases.size > this.limit) this.bases.delete(this.bases.keys().next().value!);
      return { seq, ack };
    }
    return rev ? { seq: (seq - base.ack) >>> 0, ack: (ack - base.seq) >>> 0 } : { seq: (seq - base.seq) >>> 0, ack: (ack - base.ack) >>> 0 };
  }
}

/** The addresses of the IP header nearest below `index`, IPv6 extension headers skipped. */
function addressesBelow(layers: readonly Layer[], index: number): Addresses | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (l.protocol === 'ip') return { bytes: l.bytes, at: l.offset + 12, size: 4 };
    if (l.protocol === 'ipv6') return { bytes: l.bytes, at: l.offset + 8, size: 16 };
    if (!l.protocol.startsWith('ipv6.') && l.protocol !== 'ah') return undefined;
  }
  return undefined;
}

/** memcmp of the `size` bytes at `a` and at `b`. */
function compare(bytes: Uint8Array, a: number, b: number, size: number): number {
  for (let i = 0; i < size; i++) {
    const d = bytes[a + i]! - bytes[b + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** An address as a string of 16-bit code units: cheap to make, and as unique as the bytes. */
function addressKey(b: Uint8Array, at: number, size: number): string {
  if (size === 4) return String.fromCharCode((b[at]! << 8) | b[at + 1]!, (b[at + 2]! << 8) | b[at + 3]!);
  let s = '';
  for (let i = 0; i < size; i += 2) s += String.fromCharCode((b[at + i]! << 8) | b[at + i + 1]!);
  return s;
}
