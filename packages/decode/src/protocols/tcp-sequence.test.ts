import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { TextBuffer } from '../text-buffer.js';
import { Tcp, TcpFlags, writeSequenceText as writeTcpSequenceText } from './tcp.js';
import { TcpSequenceBases } from './tcp-sequence.js';

/** What `write` puts into a buffer, as text. */
function written(write: (out: TextBuffer) => void): string {
  const out = new TextBuffer(8);
  write(out);
  return Buffer.from(out.take()).toString();
}

// IP 192.0.2.1.443 > 192.0.2.2.40000: Flags [.], ack 1001, win 500, options [nop,nop,sack 2 {2000:3000}{4000:4500}], length 0
const ACK = fromHex(`
02000000000202000000000108004500003c000e00004006f6aac0000201c000020201bb9c4000001388000003e9a010
01f4e98c000001010512000007d000000bb800000fa000001194`);

/** The same segment on another conversation (source port 444). */
const OTHER = ACK.slice();
OTHER[35] = 0xbc;

const ackOf = (bytes: Uint8Array, bases: TcpSequenceBases): string => /ack (\d+)/.exec(summarize(decodePacket(bytes, 1), undefined, { tcpSequence: bases }))![1]!;

describe('TcpSequenceBases', () => {
  it('prints a conversation absolute first, then relative, as tcpdump does', () => {
    const bases = new TcpSequenceBases();
    expect(ackOf(ACK, bases)).toBe('1001');
    // tcpdump counts acknowledgments from the first one seen minus one.
    expect(ackOf(ACK, bases)).toBe('1');
    expect(ackOf(OTHER, bases)).toBe('1001');
    expect(ackOf(ACK, bases)).toBe('1');
  });

  it('remembers at most `limit` conversations, forgetting the oldest', () => {
    const bases = new TcpSequenceBases(1);
    expect(ackOf(ACK, bases)).toBe('1001');
    expect(ackOf(OTHER, bases)).toBe('1001');
    // The first conversation was forgotten: it starts again.
    expect(ackOf(ACK, bases)).toBe('1001');
    expect(ackOf(ACK, bases)).toBe('1');
  });

  it('leaves the numbers absolute without it', () => {
    expect(summarize(decodePacket(ACK, 1))).toContain('ack 1001');
    expect(summarize(decodePacket(ACK, 1))).toContain('ack 1001');
  });
});

describe('TcpSequenceBases split in two (conversation, then count)', () => {
  it('finds the conversation in one place and counts it in another, as numbers() would', () => {
    const finder = new TcpSequenceBases();
    const counter = new TcpSequenceBases();
    const reference = new TcpSequenceBases();
    const got: string[] = [];
    const want: string[] = [];
    for (const bytes of [ACK, ACK, OTHER, ACK, OTHER]) {
      const pkt = decodePacket(bytes, 1);
      const tcp = pkt.layer<Tcp>('tcp')!;
      const c = finder.conversation(tcp, pkt.layers, 2)!;
      // Both directions of a conversation share one key.
      expect(c.key.length).toBe(6);
      const n = counter.count(c.key, c.reverse, (tcp.flags & TcpFlags.SYN) !== 0, tcp.seq, tcp.ack);
      got.push(written((out) => writeTcpSequenceText(out, tcp.flags, 0, n.seq, n.ack)));
      want.push(written((out) => reference.write(tcp, pkt.layers, 2, out)));
    }
    expect(got).toEqual(want);
    expect(want).toEqual([', ack 1001', ', ack 1', ', ack 1001', ', ack 1', ', ack 1']);
  });

  it('has no conversation for a header without ACK', () => {
    const syn = ACK.slice();
    syn[47] = TcpFlags.SYN;
    const pkt = decodePacket(syn, 1);
    expect(new TcpSequenceBases().conversation(pkt.layer<Tcp>('tcp')!, pkt.layers, 2)).toBeUndefined();
  });

  it('writes the numbers part of a line as tcpdump prints it', () => {
    const { SYN, ACK: A, FIN, RST, PSH } = TcpFlags;
    const line = (flags: number, len: number, seq: number, ack: number): string => written((out) => writeTcpSequenceText(out, flags, len, seq, ack));
    expect(line(SYN, 0, 1000, 0)).toBe(', seq 1000');
    expect(line(SYN | A, 0, 5000, 1001)).toBe(', seq 5000, ack 1001');
    expect(line(A, 0, 1, 1)).toBe(', ack 1');
    expect(line(PSH | A, 100, 1, 1)).toBe(', seq 1:101, ack 1');
    expect(line(FIN | A, 0, 101, 1)).toBe(', seq 101, ack 1');
    expect(line(RST, 0, 7, 0)).toBe(', seq 7');
    expect(line(0, 0, 7, 0)).toBe('');
    // The end of the data wraps around 2^32 as the sequence space does.
    expect(line(PSH | A, 1460, 4294967295, 4294967000)).toBe(', seq 4294967295:1459, ack 4294967000');
  });
});

/** The counting rule kept in a plain map, for comparison: each conversation's bases, the oldest (re)started first. */
class MapCounter {
  private readonly bases = new Map<string, { seq: number; ack: number }>();
  constructor(readonly limit: number) {}

  count(key: string, reverse: boolean, syn: boolean, seq: number, ack: number): { seq: number; ack: number } {
    const base = this.bases.get(key);
    if (!base || syn) {
      this.bases.delete(key);
      this.bases.set(key, reverse ? { seq: (ack - 1) >>> 0, ack: seq } : { seq, ack: (ack - 1) >>> 0 });
      if (this.bases.size > this.limit) this.bases.delete(this.bases.keys().next().value!);
      return { seq, ack };
    }
    return reverse ? { seq: (seq - base.ack) >>> 0, ack: (ack - base.seq) >>> 0 } : { seq: (seq - base.seq) >>> 0, ack: (ack - base.ack) >>> 0 };
  }
}

describe('TcpSequenceBases against the rule kept in a map', () => {
  // A fixed sequence of pseudo-random numbers, so that a failure repeats.
  let state = 0x2545f491;
  const random = (n: number): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  /** `n` distinct keys of IPv4 (6 units) and IPv6 (18) conversations; many differ in one unit only. */
  function keys(n: number): string[] {
    const out = new Set<string>();
    while (out.size < n) {
      const units = Array.from({ length: random(3) === 0 ? 18 : 6 }, () => (random(4) === 0 ? random(65536) : random(3)));
      out.add(String.fromCharCode(...units));
    }
    return [...out];
  }

  for (const [limit, conversations, packets] of [
    [0, 4, 200],
    [1, 3, 2000],
    [2, 5, 5000],
    [7, 20, 20000],
    [300, 400, 30000],
    [3000, 5000, 60000],
    [65536, 5000, 30000],
  ] as const) {
    it(`counts as the map does: limit ${limit}, ${conversations} conversations, ${packets} packets`, () => {
      const all = keys(conversations);
      const ours = new TcpSequenceBases(limit);
      const rule = new MapCounter(limit);
      for (let i = 0; i < packets; i++) {
        const key = all[random(all.length)]!;
        const reverse = random(2) === 1;
        const syn = random(10) === 0;
        const seq = random(2) ? random(0x100000000) : random(5);
        const ack = random(2) ? random(0x100000000) : random(5);
        const got = ours.count(key, reverse, syn, seq, ack);
        const want = rule.count(key, reverse, syn, seq, ack);
        if (got.seq !== want.seq || got.ack !== want.ack) {
          throw new Error(`packet ${i}: ${JSON.stringify(got)}, the map says ${JSON.stringify(want)}`);
        }
      }
    });
  }

  it('refuses a key that conversation() cannot have given', () => {
    const bases = new TcpSequenceBases();
    expect(() => bases.count('abc', false, false, 1, 1)).toThrow(RangeError);
    expect(() => bases.count(7 as unknown as string, false, false, 1, 1)).toThrow(TypeError);
  });
});
