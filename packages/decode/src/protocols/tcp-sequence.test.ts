import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { TextBuffer } from '../text-buffer.js';
import { sequenceText as tcpSequenceText, Tcp, TcpFlags, writeSequenceText as writeTcpSequenceText } from './tcp.js';
import { TcpSequenceBases } from './tcp-sequence.js';

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
      got.push(tcpSequenceText(tcp.flags, 0, n.seq, n.ack));
      want.push(reference.text(tcp, pkt.layers, 2));
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

  it('writes the numbers as bytes exactly as it makes them as text', () => {
    const out = new TextBuffer(8);
    let expected = '';
    for (const flags of [0, TcpFlags.ACK, TcpFlags.SYN, TcpFlags.SYN | TcpFlags.ACK, TcpFlags.FIN | TcpFlags.ACK, TcpFlags.RST, TcpFlags.PSH | TcpFlags.ACK]) {
      for (const len of [0, 1, 1460]) {
        for (const [seq, ack] of [[0, 0], [1, 1], [4294967295, 4294967000], [123456789, 987654321]] as const) {
          expected += `${tcpSequenceText(flags, len, seq, ack)}|`;
          writeTcpSequenceText(out, flags, len, seq, ack);
          out.byte(0x7c);
        }
      }
    }
    expect(Buffer.from(out.take()).toString()).toBe(expected);
    expect(expected).toContain(', seq 4294967295:1459, ack 4294967000');
  });
});
