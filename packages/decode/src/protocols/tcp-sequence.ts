import type { Layer } from '../layer.js';
import type { TextBuffer } from '../text-buffer.js';
import { writeSequenceText, type Tcp } from './tcp.js';

/** What a conversation's numbers are counted from. */
interface Base {
  seq: number;
  ack: number;
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
    return (this.lastNumbers = this.countHeader(tcp, layers, index));
  }

  /**
   * The conversation whose count `tcp` (the layer at `index` of `layers`) takes part in, as a
   * key and which side sent it, or undefined when its numbers print as they are: no ACK, no
   * IP header below it, or a header cut before its flags. With `count`, this splits
   * `numbers` in two, for a reader that finds conversations in one place (a thread printing
   * part of a file) and counts them in another, in file order.
   */
  conversation(tcp: Tcp, layers: readonly Layer[], index: number): { key: string; reverse: boolean } | undefined {
    const key = this.find(tcp, layers, index);
    return key === undefined ? undefined : { key, reverse: this.reverse };
  }

  /**
   * Counts one packet of a conversation found by `conversation`: its SYN flag and numbers.
   * Returns the numbers to print, as `numbers` does.
   */
  count(key: string, reverse: boolean, syn: boolean, seq: number, ack: number): { seq: number; ack: number } {
    const base = this.bases.get(key);
    if (!base || syn) {
      const fresh = reverse ? { seq: (ack - 1) >>> 0, ack: seq } : { seq, ack: (ack - 1) >>> 0 };
      this.bases.delete(key);
      this.bases.set(key, fresh);
      if (this.bases.size > this.limit) this.bases.delete(this.bases.keys().next().value!);
      return { seq, ack };
    }
    return reverse ? { seq: (seq - base.ack) >>> 0, ack: (ack - base.seq) >>> 0 } : { seq: (seq - base.seq) >>> 0, ack: (ack - base.ack) >>> 0 };
  }

  /**
   * Writes the numbers part of `tcp`'s summary line (`, seq 1:101, ack 1`) into `out`,
   * counted as `numbers` counts them. The TCP summary asks for it here, so that a subclass
   * may write it some other way (a thread that leaves the numbers to be written later, in
   * file order).
   */
  write(tcp: Tcp, layers: readonly Layer[], index: number, out: TextBuffer): void {
    const { seq, ack } = this.numbers(tcp, layers, index);
    writeSequenceText(out, tcp.flags, tcp.payloadLength, seq, ack);
  }

  private countHeader(tcp: Tcp, layers: readonly Layer[], index: number): { seq: number; ack: number } {
    const key = this.find(tcp, layers, index);
    if (key === undefined) return { seq: tcp.seq, ack: tcp.ack };
    return this.count(key, this.reverse, (tcp.flags & 0x002) !== 0, tcp.seq, tcp.ack);
  }

  // Which side sent the header `find` looked at last.
  private reverse = false;

  /** The key of the conversation `tcp` counts in (setting `reverse`), or undefined when it counts in none. */
  private find(tcp: Tcp, layers: readonly Layer[], index: number): string | undefined {
    const ip = ipBelow(layers, index);
    // A header cut before its flags, or with a bogus data offset, has no numbers to count from.
    if (!ip || tcp.fixed < 16 || tcp.badOffset || (tcp.flags & 0x010) === 0) return undefined;
    const size = ip.protocol === 'ip' ? 4 : 16;
    const at = ip.offset + (size === 4 ? 12 : 8);
    // One entry per conversation: the side with the lower address (then port) is its first half.
    const order = compare(ip.bytes, at, at + size, size);
    const rev = order > 0 || (order === 0 && tcp.srcport > tcp.dstport);
    this.reverse = rev;
    return conversationKey(ip.bytes, rev ? at + size : at, rev ? at : at + size, size, rev ? tcp.dstport : tcp.srcport, rev ? tcp.srcport : tcp.dstport);
  }
}

/** The IP header nearest below `index`, IPv6 extension headers skipped. */
function ipBelow(layers: readonly Layer[], index: number): Layer | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (l.protocol === 'ip' || l.protocol === 'ipv6') return l;
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

// Reused for every IPv6 key: the addresses as 16-bit code units, then the two ports.
const V6_CODES: number[] = new Array<number>(18).fill(0);

/**
 * Two addresses and two ports as one string of 16-bit code units: made in one call, so the
 * map hashes a flat string, and as unique as the bytes.
 */
function conversationKey(b: Uint8Array, first: number, second: number, size: number, port1: number, port2: number): string {
  if (size === 4) {
    return String.fromCharCode((b[first]! << 8) | b[first + 1]!, (b[first + 2]! << 8) | b[first + 3]!, (b[second]! << 8) | b[second + 1]!, (b[second + 2]! << 8) | b[second + 3]!, port1, port2);
  }
  const codes = V6_CODES;
  const words = size >> 1;
  for (let i = 0; i < words; i++) {
    codes[i] = (b[first + 2 * i]! << 8) | b[first + 2 * i + 1]!;
    codes[words + i] = (b[second + 2 * i]! << 8) | b[second + 2 * i + 1]!;
  }
  codes[2 * words] = port1;
  codes[2 * words + 1] = port2;
  return String.fromCharCode.apply(null, codes);
}
