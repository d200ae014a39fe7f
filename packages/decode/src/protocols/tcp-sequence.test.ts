import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
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
