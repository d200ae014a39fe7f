/**
 * Relative TCP numbers across threads. A packet's sequence and acknowledgment numbers, as
 * tcpdump prints them by default, depend on every earlier packet of its conversation; the
 * rest of its line does not. So a printing thread leaves the numbers out of each counted
 * packet's line (a "hole", with what the count needs), and the reading thread, which sees
 * the slices in file order, counts the packets and writes the numbers in.
 */
import { TcpSequenceBases, writeTcpSequenceText, type Layer, type Tcp, type TextBuffer } from '@pcap/decode';
import { copyInPieces } from '../output.js';

/**
 * Numbers per hole in `SliceHoles.holes`: byte offset, key index, reverse, SYN, seq, ack,
 * flags, payload length, and whether the numbers are printed there (1) or only counted (0).
 */
const STRIDE = 9;

/** A slice's holes: where each one is in the slice's text, and what counting it takes. */
export interface SliceHoles {
  readonly holes: Float64Array;
  /** The conversation keys the holes refer to, each once. */
  readonly keys: string[];
}

/**
 * The counter a printing thread gives its summaries. For each TCP header that counts in a
 * conversation it notes a hole in `out` (the slice's text) with what counting takes, and
 * writes no numbers. A header counted but not printed (a layer above it speaks for the
 * packet) gets a hole that is only counted, so the reading thread's count stays the one a
 * single thread keeps.
 *
 * A SYN starts its conversation's count afresh, so from a SYN on, a conversation's numbers
 * no longer depend on earlier slices: the thread counts those itself and prints them, and
 * notes the SYN as a hole that is only counted, for the reading thread to restart its count
 * there too. (Nothing between the SYN and the end of the slice can make a single thread
 * forget that count: it forgets a conversation only after `limit` newer ones, more than a
 * slice can start.) Most packets of short connections are then printed whole by the thread.
 */
export class DeferredSequence extends TcpSequenceBases {
  // STRIDE numbers per hole, `length` of them in use; grown by doubling.
  private holes = new Float64Array(STRIDE * 1024);
  private length = 0;
  private holeKeys: string[] = [];
  // The slice's conversations, by the hash of their key (those of equal hashes chained): one
  // lookup per header finds all this counter keeps of one, and makes no key string.
  private conversations = new Map<number, SliceConversation>();
  // The header `note` looked at last, and whether it left a hole or counted here (`seq`, `ack`).
  private noted: Tcp | undefined;
  private hole = false;
  private seq = 0;
  private ack = 0;

  constructor(private readonly out: TextBuffer) {
    super();
  }

  override numbers(tcp: Tcp, layers: readonly Layer[], index: number): { seq: number; ack: number } {
    if (tcp !== this.noted) this.note(tcp, layers, index);
    // A hole's numbers are placeholders: nothing prints them, as `write` writes none there.
    return this.noted === tcp && !this.hole ? { seq: this.seq, ack: this.ack } : { seq: tcp.seq, ack: tcp.ack };
  }

  override write(tcp: Tcp, layers: readonly Layer[], index: number, out: TextBuffer): void {
    if (tcp !== this.noted) this.note(tcp, layers, index);
    if (this.noted !== tcp) {
      // Numbers that count nothing print as they are, here as on one thread.
      writeTcpSequenceText(out, tcp.flags, tcp.payloadLength, tcp.seq, tcp.ack);
    } else this.writeNoted(tcp.flags, tcp.payloadLength, out);
  }

  protected override writeCounted(flags: number, seq: number, ack: number, payloadLength: number, out: TextBuffer): void {
    this.tally(this.locatedConversation(), this.locatedReverse(), flags, seq, ack, payloadLength);
    this.writeNoted(flags, payloadLength, out);
  }

  /** What this slice keeps of the conversation just found, made on its first header. */
  private locatedConversation(): SliceConversation {
    const hash = this.locatedHash();
    const first = this.conversations.get(hash);
    for (let c = first; c !== undefined; c = c.next) if (this.locatedIs(c.key)) return c;
    const c: SliceConversation = { key: this.located().key, next: first, hole: -1, restarted: false, baseSeq: 0, baseAck: 0 };
    this.conversations.set(hash, c);
    return c;
  }

  /** Writes the numbers of the header just counted: a hole where they go, or the ones counted here. */
  private writeNoted(flags: number, payloadLength: number, out: TextBuffer): void {
    if (this.hole) {
      const h = this.length - STRIDE;
      this.holes[h] = out.byteLength;
      this.holes[h + 8] = 1;
    } else {
      writeTcpSequenceText(out, flags, payloadLength, this.seq, this.ack);
    }
  }

  /** The slice's holes, handed over; the counter starts again with none. */
  take(): SliceHoles {
    const holes = { holes: this.holes.slice(0, this.length), keys: this.holeKeys };
    this.length = 0;
    this.holeKeys = [];
    this.conversations = new Map();
    this.noted = undefined;
    return holes;
  }

  private note(tcp: Tcp, layers: readonly Layer[], index: number): void {
    if (!this.locateLayer(tcp, layers, index)) {
      this.noted = undefined;
      return;
    }
    this.noted = tcp;
    this.tally(this.locatedConversation(), this.locatedReverse(), tcp.flags, tcp.seq, tcp.ack, tcp.payloadLength);
  }

  /**
   * Counts a header of conversation `c` here (from its SYN on) or leaves a hole for it.
   * From a SYN on, the count is the one `TcpSequenceBases` keeps: the SYN's numbers become
   * the conversation's bases (one side's sequence number, the other's acknowledgment less
   * one) and later headers print relative to them.
   */
  private tally(c: SliceConversation, reverse: boolean, flags: number, seq: number, ack: number, payloadLength: number): void {
    const syn = (flags & 0x002) !== 0;
    if (syn) {
      c.restarted = true;
      c.baseSeq = reverse ? ack - 1 : seq;
      c.baseAck = reverse ? seq : ack - 1;
      this.addHole(c, reverse, flags, seq, ack, payloadLength);
      this.hole = false;
      this.seq = seq;
      this.ack = ack;
      return;
    }
    if (c.restarted) {
      this.hole = false;
      this.seq = (seq - (reverse ? c.baseAck : c.baseSeq)) >>> 0;
      this.ack = (ack - (reverse ? c.baseSeq : c.baseAck)) >>> 0;
      return;
    }
    this.hole = true;
    this.addHole(c, reverse, flags, seq, ack, payloadLength);
  }

  /** Notes a hole, only counted until `write` finds where its numbers go. */
  private addHole(c: SliceConversation, reverse: boolean, flags: number, seq: number, ack: number, payloadLength: number): void {
    if (c.hole < 0) {
      c.hole = this.holeKeys.length;
      this.holeKeys.push(c.key);
    }
    if (this.length === this.holes.length) {
      const bigger = new Float64Array(this.holes.length * 2);
      bigger.set(this.holes);
      this.holes = bigger;
    }
    const h = this.holes;
    const at = this.length;
    // Where the line has got to: `write` moves the hole to where the numbers go.
    h[at] = this.out.byteLength;
    h[at + 1] = c.hole;
    h[at + 2] = reverse ? 1 : 0;
    h[at + 3] = flags & 0x002 ? 1 : 0;
    h[at + 4] = seq;
    h[at + 5] = ack;
    h[at + 6] = flags;
    h[at + 7] = payloadLength;
    h[at + 8] = 0;
    this.length = at + STRIDE;
  }
}

/** What a printing thread keeps of a conversation in the slice at hand. */
interface SliceConversation {
  /** Its key, as `TcpSequenceBases.conversation` gives it. */
  readonly key: string;
  /** The next conversation whose key has the same hash. */
  readonly next: SliceConversation | undefined;
  /** Its index in the slice's hole keys, once it has a hole; -1 before. */
  hole: number;
  /** True once the slice had a SYN of it: its numbers are counted here from then on. */
  restarted: boolean;
  baseSeq: number;
  baseAck: number;
}

/**
 * Writes a slice's text into `out` with its holes filled: each hole's packet is counted by
 * `sequence` (in file order, as the slices come) and its numbers written in. `flush` is
 * awaited whenever `out` has gathered enough to write.
 */
export async function fillHoles(text: Uint8Array, slice: SliceHoles, sequence: TcpSequenceBases, out: TextBuffer, flush: () => Promise<void> | undefined): Promise<void> {
  const { holes, keys } = slice;
  let from = 0;
  for (let h = 0; h < holes.length; h += STRIDE) {
    const offset = holes[h]!;
    // Lines between two holes are short but for long runs without TCP, which go in pieces.
    if (offset - from > 4096) await copyInPieces(out, text, from, offset, flush);
    else out.bytes(text, from, offset);
    from = offset;
    const n = sequence.count(keys[holes[h + 1]!]!, holes[h + 2] === 1, holes[h + 3] === 1, holes[h + 4]!, holes[h + 5]!);
    if (holes[h + 8] === 1) writeTcpSequenceText(out, holes[h + 6]!, holes[h + 7]!, n.seq, n.ack);
    const wait = flush();
    if (wait) await wait;
  }
  await copyInPieces(out, text, from, text.length, flush);
}
