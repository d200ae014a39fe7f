import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP6 2001:db8::1 > 2001:db8::2: frag (0|32) 1000 > 2000: UDP, length 80
    name: 'frag6_1',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000186dd6000000000282c4020010db800000000000000000000000120010db8000000000000
    000000000002110000010000123403e807d000589d16797979797979797979797979797979797979797979797979`),
    layers: ['eth', 'ipv6', 'ipv6.fraghdr', 'udp', 'data'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x86dd', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '40', 'ipv6.nxt': '44', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2', 'ipv6.fraghdr.offset': '0', 'ipv6.fraghdr.more': '1', 'udp.srcport': '1000', 'udp.dstport': '2000', 'udp.length': '88', 'udp.checksum': '0x9d16'},
    summary: 'IP6 2001:db8::1 > 2001:db8::2: frag 1000 > 2000: UDP, length 80',
  },
  {
    // IP6 2001:db8::1 > 2001:db8::2: frag (32|32)
    name: 'frag6_2',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000186dd6000000000282c4020010db800000000000000000000000120010db8000000000000
    00000000000211000021000012347979797979797979797979797979797979797979797979797979797979797979`),
    layers: ['eth', 'ipv6', 'ipv6.fraghdr', 'data'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x86dd', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '40', 'ipv6.nxt': '44', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2', 'ipv6.fraghdr.offset': '4', 'ipv6.fraghdr.more': '1'},
    summary: 'IP6 2001:db8::1 > 2001:db8::2: frag (32|32)',
  },
];

describe('ipv6.fraghdr', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const A = '00'.repeat(15) + '01';
  const v6 = (plen: string, rest: string) => fromHex(`020000000002 020000000001 86dd 60000000 ${plen} 2c 40 ${A} ${A} ${rest}`);

  it('decodes the first fragment as UDP and leaves a later one as data', () => {
    expect(layersOf(v6('0010', '11000001 12345678 0035003500080000'), 1)).toEqual(['eth', 'ipv6', 'ipv6.fraghdr', 'udp']);
    expect(layersOf(v6('0010', '11000051 12345678 0035003500080000'), 1)).toEqual(['eth', 'ipv6', 'ipv6.fraghdr', 'data']);
    expect(fieldsOf(v6('0010', '11000051 12345678 0035003500080000'), 1, ['ipv6.fraghdr.offset', 'ipv6.fraghdr.more', 'ipv6.fraghdr.ident'])).toEqual({
      'ipv6.fraghdr.offset': '10',
      'ipv6.fraghdr.more': '1',
      'ipv6.fraghdr.ident': '0x12345678',
    });
  });

  it('shows nothing of a fragment header cut short', () => {
    expect(fieldsOf(v6('0010', '11000001 1234'), 1, ['ipv6.fraghdr.offset'])).toEqual({});
    expect(layersOf(v6('0010', '11000001 1234'), 1)).toEqual(['eth', 'ipv6', '_failure']);
  });
});
