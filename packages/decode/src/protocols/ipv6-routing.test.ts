import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP6 2001:db8::1 > 2001:db8::2: RT6 (len=2, type=0 [Deprecated], segleft=1, [0]2001:db8::3) 1 > 2: UDP, length 0
    name: 'rt0',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000186dd6000000000202b4020010db800000000000000000000000120010db8000000000000
    000000000002110200010000000020010db8000000000000000000000003000100020008a465`),
    layers: ['eth', 'ipv6', 'ipv6.routing', 'udp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x86dd', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '32', 'ipv6.nxt': '43', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2', 'ipv6.routing.type': '0', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0xa465'},
    summary: 'IP6 2001:db8::1 > 2001:db8::2: RT6 1 > 2: UDP, length 0',
  },
  {
    // IP6 2001:db8::1 > 2001:db8::2: RT6 (len=4, type=4, segleft=1, last-entry=1, tag=0, [0]2001:db8::4, [1]2001:db8::2) 1 > 2: UDP, length 0
    name: 'srh',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000186dd6000000000302b4020010db800000000000000000000000120010db8000000000000
    000000000002110404010100000020010db800000000000000000000000420010db80000000000000000000000020001
    00020008a464`),
    layers: ['eth', 'ipv6', 'ipv6.routing', 'udp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x86dd', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '48', 'ipv6.nxt': '43', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2', 'ipv6.routing.type': '4', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0xa464'},
    summary: 'IP6 2001:db8::1 > 2001:db8::2: RT6 1 > 2: UDP, length 0',
  },
];

describe('ipv6.routing (type 0, segment routing)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const A = '00'.repeat(15) + '01';
  const v6 = (rest: string) => fromHex(`020000000002 020000000001 86dd 60000000 0020 2b 40 ${A} ${A} ${rest}`);

  it('shows the routing type from its third byte on, and nothing before it', () => {
    expect(fieldsOf(v6('1102'), 1, ['ipv6.routing.type'])).toEqual({});
    expect(layersOf(v6('1102'), 1)).toEqual(['eth', 'ipv6', '_failure']);
    expect(fieldsOf(v6('110200'), 1, ['ipv6.routing.type'])).toEqual({ 'ipv6.routing.type': '0' });
    expect(layersOf(v6('110200'), 1)).toEqual(['eth', 'ipv6', 'ipv6.routing', '_failure']);
  });

  it('decodes what follows a routing header of any type, segments left or not', () => {
    expect(layersOf(v6(`11020201 00000000 ${A} 0001000200080000`), 1)).toEqual(['eth', 'ipv6', 'ipv6.routing', 'udp']);
  });
});
