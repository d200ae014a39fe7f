/**
 * Relative TCP numbers across threads. A packet's sequence and acknowledgment numbers, as
 * tcpdump prints them by default, depend on every earlier packet of its conversation; the
 * rest of its line does not. So a printing thread leaves the numbers out of each counted
 * packet's line (a "hole", with what the count needs), and the reading thread, which sees
 * the slices in file order, counts the packets and writes the numbers in.
 */
import { TcpSequenceBases, writeTcpSequenceText, type Layer, type Tcp, type TextBuffer } from '@pcap/decode';

/** Numbers per hole in `SliceHoles.holes`: byte offset, key index, reverse, SYN, seq, ack, flags, payload length. */
const STRIDE = 8;

/** A slice's holes: where each one is in the slice's text, and what counting it takes. */
export interface SliceHoles {
  readonly holes: Float64Array;
  /** The conversation keys the holes refer to, each once. */
  readonly keys: string[];
}

/**
 * Stands where a line's numbers go until they are counted: a noncharacter, which no
 * summary prints (a line with two of them is left to the reading thread all the same).
 */
const MARKER = '\uFFFF';

/** What the summary of the packet being printed counted. */
interface Counted {
  key: string;
  reverse: boolean;
  tcp: Tcp;
}

/**
 * The counter a printing thread gives its summaries: it counts nothing, notes the
 * conversation of the packet being printed and puts a marker where its numbers go.
 */
export class DeferredSequence extends TcpSequenceBases {
  counted: Counted | undefined;

  override text(tcp: Tcp, layers: readonly Layer[], index: number): string {
    const c = this.conversation(tcp, layers, index);
    // Numbers that count nothing print as they are, here as on one thread.
    if (!c) return super.text(tcp, layers, index);
    this.counted = { key: c.key, reverse: c.reverse, tcp };
    return MARKER;
  }
}

/** Characters of text encoded at a time. */
const PIECE = 1 << 16;

/**
 * Gathers a slice's lines, each counted packet's numbers left out and noted as a hole: where
 * in the text, and what counting the packet takes.
 */
export class HoleMaker {
  private lines: string[] = [];
  private chars = 0;
  // Holes of the lines not yet encoded, at character offsets among them.
  private pending: number[] = [];
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private holes: number[] = [];
  private keys: string[] = [];
  private readonly keyIndex = new Map<string, number>();

  constructor(readonly sequence: DeferredSequence) {}

  /** Adds `text`, a packet's line printed while `sequence` looked on. */
  line(text: string): void {
    const s = this.sequence;
    const c = s.counted;
    if (c === undefined) {
      this.lines.push(text, '\n');
      this.chars += text.length + 1;
    } else {
      s.counted = undefined;
      const at = text.indexOf(MARKER);
      if (at < 0 || text.indexOf(MARKER, at + 1) >= 0) throw new Error('the TCP numbers of a line could not be told apart');
      this.lines.push(text.slice(0, at), text.slice(at + 1), '\n');
      const tcp = c.tcp;
      let k = this.keyIndex.get(c.key);
      if (k === undefined) {
        k = this.keys.length;
        this.keys.push(c.key);
        this.keyIndex.set(c.key, k);
      }
      const flags = tcp.flags;
      this.pending.push(this.chars + at, k, c.reverse ? 1 : 0, flags & 0x002 ? 1 : 0, tcp.seq, tcp.ack, flags, tcp.payloadLength);
      this.chars += text.length;
    }
    if (this.chars >= PIECE) this.encode();
  }

  /** The slice's text and holes, handed over; the maker starts again empty. */
  take(): { output: Uint8Array; holes: SliceHoles } {
    this.encode();
    const output = new Uint8Array(this.bytes);
    let at = 0;
    for (const p of this.parts) {
      output.set(p, at);
      at += p.length;
    }
    const holes = { holes: Float64Array.from(this.holes), keys: this.keys };
    this.parts = [];
    this.bytes = 0;
    this.holes = [];
    this.keys = [];
    this.keyIndex.clear();
    return { output, holes };
  }

  /** Encodes the lines gathered, turning their holes' character offsets into byte offsets in the slice's text. */
  private encode(): void {
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    const bytes = Buffer.from(text);
    const pending = this.pending;
    // Text all ASCII (nearly always) has as many bytes as characters.
    const ascii = bytes.length === text.length;
    let chars = 0;
    let offset = 0;
    for (let h = 0; h < pending.length; h += STRIDE) {
      const at = pending[h]!;
      if (!ascii) {
        offset += Buffer.byteLength(text.slice(chars, at));
        chars = at;
      }
      this.holes.push(this.bytes + (ascii ? at : offset));
      for (let i = 1; i < STRIDE; i++) this.holes.push(pending[h + i]!);
    }
    this.parts.push(bytes);
    this.bytes += bytes.length;
    this.lines = [];
    this.chars = 0;
    this.pending = [];
  }
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
    out.bytes(text, from, offset);
    from = offset;
    const n = sequence.count(keys[holes[h + 1]!]!, holes[h + 2] === 1, holes[h + 3] === 1, holes[h + 4]!, holes[h + 5]!);
    writeTcpSequenceText(out, holes[h + 6]!, holes[h + 7]!, n.seq, n.ack);
    const wait = flush();
    if (wait) await wait;
  }
  out.bytes(text, from);
  const wait = flush();
  if (wait) await wait;
}
