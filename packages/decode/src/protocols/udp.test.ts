import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { expectCleanTruncations, fieldsOf, layersOf, WIRED_FIELDS } from '../test/wired.js';

// A packet made with scapy; tcpdump -nn -r prints:
// IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0
const UDP = fromHex(`
  020000000002 020000000001 0800
  4500001c0001000040110000c0000201c0000202
  0001000200080000`);

describe('udp', () => {
  it('decodes the header and summarises it as tcpdump does', () => {
    expect(layersOf(UDP, 1)).toEqual(['eth', 'ip', 'udp']);
    expect(fieldsOf(UDP, 1, ['udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum'])).toEqual({
      'udp.srcport': '1',
      'udp.dstport': '2',
      'udp.length': '8',
      'udp.checksum': '0x0000',
    });
    expect(summarize(decodePacket(UDP, 1))).toBe('IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0');
  });

  it('shows the ports of a header cut after 4 bytes and its length after 6, as tshark does', () => {
    expect(fieldsOf(UDP.subarray(0, 34 + 3), 1, ['udp.srcport'])).toEqual({});
    expect(fieldsOf(UDP.subarray(0, 34 + 4), 1, ['udp.srcport', 'udp.dstport', 'udp.length'])).toEqual({ 'udp.srcport': '1', 'udp.dstport': '2' });
    expect(fieldsOf(UDP.subarray(0, 34 + 6), 1, ['udp.length', 'udp.checksum'])).toEqual({ 'udp.length': '8' });
    expect(layersOf(UDP.subarray(0, 34 + 6), 1)).toEqual(['eth', 'ip', 'udp', '_failure']);
  });

  it('decodes every truncation without throwing or inventing values', () => {
    expectCleanTruncations(UDP, 1, WIRED_FIELDS);
  });

  it('stops before the checksum of a length field below 8, except a jumbogram length of 0 over IPv6', () => {
    const bad = UDP.slice();
    bad[34 + 5] = 1;
    expect(fieldsOf(bad, 1, ['udp.length', 'udp.checksum'])).toEqual({ 'udp.length': '1' });
    expect(layersOf(bad, 1)).toEqual(['eth', 'ip', 'udp', '_failure']);
    const v6 = fromHex(`020000000002 020000000001 86dd 6000000000081140 ${'00'.repeat(15)}01 ${'00'.repeat(15)}01 0001000200000000`);
    expect(fieldsOf(v6, 1, ['udp.length', 'udp.checksum'])).toEqual({ 'udp.length': '0', 'udp.checksum': '0x0000' });
  });
});
