import { argumentRangeError, argumentTypeError } from '../arguments.js';
import type { Layer } from '../layer.js';
import { u16, u32 } from '../bytes.js';
import type { TextBuffer } from '../text-buffer.js';
import { writeSequenceText, type Tcp } from './tcp.js';

/** Sixteen-bit units in a conversation's key at most: two IPv6 addresses and two ports. */
const KEY_UNITS = 18;
/** Conversations a table holds before it first grows: small, as a counter may serve a few packets only. */
const FIRST_ENTRIES = 64;

/**
 * Relative TCP sequence and acknowledgment numbers, as tcpdump prints them by default
 * (without `-S`). For each conversation it remembers the numbers of the first packet seen
 * with ACK set, or of the latest SYN; that packet prints absolute numbers and later ones print
 * numbers relative to them. Packets without ACK always print absolute numbers. Give one
 * instance every packet of a capture, in order.
 */
export class TcpSequenceBases {
  // Conversations live in entries (numbered from 0), found through an open-addressed hash
  // table of entry numbers keyed by the addresses and ports themselves: counting a packet
  // makes no key string and looks up no map. Entries are also linked from the oldest (re)started
  // conversation to the newest, which is the one forgotten first past `limit`.
  private keys = new Uint16Array(FIRST_ENTRIES * KEY_UNITS);
  private keyLengths = new Uint8Array(FIRST_ENTRIES);
  private hashes = new Int32Array(FIRST_ENTRIES);
  private baseSeq = new Uint32Array(FIRST_ENTRIES);
  private baseAck = new Uint32Array(FIRST_ENTRIES);
  private older = new Int32Array(FIRST_ENTRIES);
  private newer = new Int32Array(FIRST_ENTRIES);
  private oldest = -1;
  private newest = -1;
  // Entries given back, linked through `newer`; `used` entries were ever handed out.
  private free = -1;
  private used = 0;
  private size = 0;
  // Entry number + 1 per slot, 0 for an empty one; twice the entries, so probes stay short.
  private slots = new Int32Array(FIRST_ENTRIES * 2);
  // The key being looked up, and its length in units.
  private readonly probe = new Uint16Array(KEY_UNITS);
  private probeLength = 0;
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
    if (!this.find(tcp, layers, index)) return (this.lastNumbers = { seq: tcp.seq, ack: tcp.ack });
    this.countProbe(this.reverse, (tcp.flags & 0x002) !== 0, tcp.seq, tcp.ack);
    return (this.lastNumbers = { seq: this.countedSeq, ack: this.countedAck });
  }

  /**
   * The conversation whose count `tcp` (the layer at `index` of `layers`) takes part in, as a
   * key and which side sent it, or undefined when its numbers print as they are: no ACK, no
   * IP header below it, or a header cut before its flags. With `count`, this splits
   * `numbers` in two, for a reader that finds conversations in one place (a thread printing
   * part of a file) and counts them in another, in file order.
   */
  conversation(tcp: Tcp, layers: readonly Layer[], index: number): { key: string; reverse: boolean } | undefined {
    if (!this.find(tcp, layers, index)) return undefined;
    return { key: this.probeKey(), reverse: this.reverse };
  }

  /** The key in `probe` as a string, as `count` takes it. */
  private probeKey(): string {
    const p = this.probe;
    return this.probeLength === 6 ? String.fromCharCode(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!) : String.fromCharCode.apply(null, p as unknown as number[]);
  }

  /**
   * Counts one packet of a conversation found by `conversation`: its SYN flag and numbers.
   * Returns the numbers to print, as `numbers` does.
   */
  count(key: string, reverse: boolean, syn: boolean, seq: number, ack: number): { seq: number; ack: number } {
    const n = typeof key === 'string' ? key.length : -1;
    if (n !== 6 && n !== KEY_UNITS) {
      const hint = 'pass the key conversation() gave for the packet';
      if (n < 0) throw argumentTypeError('TcpSequenceBases.count', 'key', 'a conversation key (a string)', key, hint);
      throw argumentRangeError('TcpSequenceBases.count', 'key', `a conversation key (6 or ${KEY_UNITS} characters)`, key, hint);
    }
    for (let i = 0; i < n; i++) this.probe[i] = key.charCodeAt(i);
    this.probeLength = n;
    this.countProbe(reverse, syn, seq, ack);
    return { seq: this.countedSeq, ack: this.countedAck };
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

  /**
   * `write` for a TCP header read straight from the packet bytes rather than decoded: the
   * header at `tcpAt` in `b`, whole, below it an IP header whose source and destination
   * addresses (`addressSize` bytes each, 4 or 16) start at `addressAt`, and a payload of
   * `payloadLength` bytes. Counts and writes exactly what `write` does for the same packet decoded.
   */
  writeAt(b: Uint8Array, addressAt: number, addressSize: 4 | 16, tcpAt: number, payloadLength: number, out: TextBuffer): void {
    this.last = undefined;
    const flags = u16(b, tcpAt + 12) & 0x0fff;
    const seq = u32(b, tcpAt + 4);
    const ack = u32(b, tcpAt + 8);
    if ((flags & 0x010) === 0) {
      writeSequenceText(out, flags, payloadLength, seq, ack);
      return;
    }
    this.locate(b, addressAt, addressSize, u16(b, tcpAt), u16(b, tcpAt + 2));
    this.writeCounted(flags, seq, ack, payloadLength, out);
  }

  /**
   * Writes the numbers of a header of the conversation `writeAt` has just found (see
   * `located`), counted. A subclass may count and write them some other way.
   */
  protected writeCounted(flags: number, seq: number, ack: number, payloadLength: number, out: TextBuffer): void {
    this.countProbe(this.reverse, (flags & 0x002) !== 0, seq, ack);
    writeSequenceText(out, flags, payloadLength, this.countedSeq, this.countedAck);
  }

  /** The conversation `writeAt` has just found, as `conversation` gives it. */
  protected located(): { key: string; reverse: boolean } {
    return { key: this.probeKey(), reverse: this.reverse };
  }

  /**
   * Finds the conversation `tcp` (the layer at `index` of `layers`) counts in, as
   * `conversation` does but without making its key: the other `located` methods then describe it.
   * False when it counts in none.
   */
  protected locateLayer(tcp: Tcp, layers: readonly Layer[], index: number): boolean {
    return this.find(tcp, layers, index);
  }

  /** A hash of the conversation just found (by `writeAt` or `locateLayer`): equal conversations hash equal. */
  protected locatedHash(): number {
    return this.probeHash();
  }

  /** True when `key` (as `conversation` gives it) is the conversation just found; no key is made to compare. */
  protected locatedIs(key: string): boolean {
    const n = this.probeLength;
    if (key.length !== n) return false;
    const p = this.probe;
    for (let i = 0; i < n; i++) if (key.charCodeAt(i) !== p[i]) return false;
    return true;
  }

  /** Which side sent the header of the conversation just found. */
  protected locatedReverse(): boolean {
    return this.reverse;
  }

  /**
   * Counts a packet of the conversation in `probe`, leaving the numbers to print in
   * `countedSeq` and `countedAck` (fields, not a result object: this runs for most packets).
   */
  private countProbe(reverse: boolean, syn: boolean, seq: number, ack: number): void {
    const hash = this.probeHash();
    let e = this.lookup(hash);
    if (e >= 0 && !syn) {
      const s = this.baseSeq[e]!;
      const a = this.baseAck[e]!;
      this.countedSeq = (seq - (reverse ? a : s)) >>> 0;
      this.countedAck = (ack - (reverse ? s : a)) >>> 0;
      return;
    }
    if (e >= 0) this.unlink(e);
    else e = this.insert(hash);
    this.link(e);
    this.baseSeq[e] = reverse ? ack - 1 : seq;
    this.baseAck[e] = reverse ? seq : ack - 1;
    if (this.size > this.limit) this.remove(this.oldest);
    this.countedSeq = seq;
    this.countedAck = ack;
  }

  // The numbers `countProbe` worked out last.
  private countedSeq = 0;
  private countedAck = 0;

  private probeHash(): number {
    const p = this.probe;
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < this.probeLength; i++) h = Math.imul(h ^ p[i]!, 0x01000193);
    return (h ^ (h >>> 15)) | 0;
  }

  /** The entry holding the key in `probe`, or -1. */
  private lookup(hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const e = slots[s]! - 1;
      if (e < 0) return -1;
      if (this.hashes[e] === hash && this.sameKey(e)) return e;
    }
  }

  private sameKey(e: number): boolean {
    const n = this.probeLength;
    if (this.keyLengths[e] !== n) return false;
    const keys = this.keys;
    const at = e * KEY_UNITS;
    for (let i = 0; i < n; i++) if (keys[at + i] !== this.probe[i]) return false;
    return true;
  }

  /** A new entry for the key in `probe`, in the table but in no order yet. */
  private insert(hash: number): number {
    if (this.free < 0 && this.used === this.keyLengths.length) this.grow();
    let e: number;
    if (this.free >= 0) {
      e = this.free;
      this.free = this.newer[e]!;
    } else {
      e = this.used++;
    }
    this.keys.set(this.probe.subarray(0, this.probeLength), e * KEY_UNITS);
    this.keyLengths[e] = this.probeLength;
    this.hashes[e] = hash;
    place(this.slots, e, hash);
    this.size++;
    return e;
  }

  /** Forgets entry `e`: out of the table (moving up the entries probed past it) and out of the order. */
  private remove(e: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let hole = this.hashes[e]! & mask;
    while (slots[hole] !== e + 1) hole = (hole + 1) & mask;
    slots[hole] = 0;
    for (let s = (hole + 1) & mask; slots[s] !== 0; s = (s + 1) & mask) {
      const home = this.hashes[slots[s]! - 1]! & mask;
      // An entry may fill the hole unless its home slot lies after the hole, up to where it is.
      if (((s - home) & mask) >= ((s - hole) & mask)) {
        slots[hole] = slots[s]!;
        slots[s] = 0;
        hole = s;
      }
    }
    this.unlink(e);
    this.keyLengths[e] = 0;
    this.newer[e] = this.free;
    this.free = e;
    this.size--;
  }

  /** Makes `e` the newest of the order. */
  private link(e: number): void {
    this.older[e] = this.newest;
    this.newer[e] = -1;
    if (this.newest >= 0) this.newer[this.newest] = e;
    else this.oldest = e;
    this.newest = e;
  }

  private unlink(e: number): void {
    const o = this.older[e]!;
    const n = this.newer[e]!;
    if (o >= 0) this.newer[o] = n;
    else this.oldest = n;
    if (n >= 0) this.older[n] = o;
    else this.newest = o;
  }

  /** Twice the entries and slots; entries keep their numbers, the table is filled anew. */
  private grow(): void {
    const entries = this.keyLengths.length * 2;
    const wider = <T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.keys = wider(this.keys, entries * KEY_UNITS);
    this.keyLengths = wider(this.keyLengths, entries);
    this.hashes = wider(this.hashes, entries);
    this.baseSeq = wider(this.baseSeq, entries);
    this.baseAck = wider(this.baseAck, entries);
    this.older = wider(this.older, entries);
    this.newer = wider(this.newer, entries);
    const slots = new Int32Array(entries * 2);
    for (let e = 0; e < this.used; e++) if (this.keyLengths[e] !== 0) place(slots, e, this.hashes[e]!);
    this.slots = slots;
  }

  // Which side sent the header `find` looked at last.
  private reverse = false;

  /**
   * Puts the key of the conversation `tcp` (the layer at `index` of `layers`) counts in into
   * `probe` (setting `reverse`); false when it counts in none.
   */
  private find(tcp: Tcp, layers: readonly Layer[], index: number): boolean {
    const ip = ipBelow(layers, index);
    // A header cut before its flags, or with a bogus data offset, has no numbers to count from.
    if (!ip || tcp.fixed < 16 || tcp.badOffset || (tcp.flags & 0x010) === 0) return false;
    this.locate(ip.bytes, ip.offset + (ip.protocol === 'ip' ? 12 : 8), ip.protocol === 'ip' ? 4 : 16, tcp.srcport, tcp.dstport);
    return true;
  }

  /**
   * Puts the key of the conversation between the addresses at `at` (`size` bytes each,
   * source then destination) and the two ports into `probe`, setting `reverse`.
   */
  private locate(b: Uint8Array, at: number, size: number, srcport: number, dstport: number): void {
    // One entry per conversation: the side with the lower address (then port) is its first half.
    const order = compare(b, at, at + size, size);
    const rev = order > 0 || (order === 0 && srcport > dstport);
    this.reverse = rev;
    const first = rev ? at + size : at;
    const second = rev ? at : at + size;
    const p = this.probe;
    const words = size >> 1;
    for (let i = 0; i < words; i++) {
      p[i] = (b[first + 2 * i]! << 8) | b[first + 2 * i + 1]!;
      p[words + i] = (b[second + 2 * i]! << 8) | b[second + 2 * i + 1]!;
    }
    p[2 * words] = rev ? dstport : srcport;
    p[2 * words + 1] = rev ? srcport : dstport;
    this.probeLength = 2 * words + 2;
  }
}

/** Puts entry `e` into the first empty slot from its hash on. */
function place(slots: Int32Array, e: number, hash: number): void {
  const mask = slots.length - 1;
  let s = hash & mask;
  while (slots[s] !== 0) s = (s + 1) & mask;
  slots[s] = e + 1;
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
