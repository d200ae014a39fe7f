import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, type WiredCase } from '../test/wired.js';
import { hostOrderFamily } from './null.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP 127.0.0.1.1 > 127.0.0.1.2: UDP, length 0
    name: 'null_le',
    linkType: 0,
    bytes: fromHex(`
    020000004500001c0012000040117cbd7f0000017f00000100010002000801d9`),
    layers: ['null', 'ip', 'udp'],
    fields: {'null.family': '2', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '28', 'ip.id': '0x0012', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0x7cbd', 'ip.src': '127.0.0.1', 'ip.dst': '127.0.0.1', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0x01d9'},
    summary: 'IP 127.0.0.1.1 > 127.0.0.1.2: UDP, length 0',
  },
  {
    // IP6 ::1.1 > ::1.2: UDP, length 0
    name: 'null_be30',
    linkType: 0,
    bytes: fromHex(`
    0000001e6000000000081140000000000000000000000000000000010000000000000000000000000000000100010002
    0008ffd9`),
    layers: ['null', 'ipv6', 'udp'],
    fields: {'null.family': '30', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '8', 'ipv6.nxt': '17', 'ipv6.hlim': '64', 'ipv6.src': '::1', 'ipv6.dst': '::1', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0xffd9'},
    summary: 'IP6 ::1.1 > ::1.2: UDP, length 0',
  },
  {
    // IP6 ::1.1 > ::1.2: UDP, length 0
    name: 'loop24',
    linkType: 108,
    bytes: fromHex(`
    000000186000000000081140000000000000000000000000000000010000000000000000000000000000000100010002
    0008ffd9`),
    layers: ['null', 'ipv6', 'udp'],
    fields: {'null.family': '24', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '8', 'ipv6.nxt': '17', 'ipv6.hlim': '64', 'ipv6.src': '::1', 'ipv6.dst': '::1', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0xffd9'},
    summary: 'IP6 ::1.1 > ::1.2: UDP, length 0',
  },
];

describe('null (BSD loopback, LINKTYPE_NULL and LINKTYPE_LOOP)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const IP = '450000140001000040ff00007f0000017f000001';

  it('reads the family in either byte order for LINKTYPE_NULL, as tshark does', () => {
    const cases: Array<[string, number]> = [
      ['02000000', 2],
      ['00000002', 2],
      ['18000000', 24],
      ['0000001c', 28],
      ['1e000000', 30],
      ['00020000', 2],
      ['00000200', 2],
    ];
    for (const [hex, family] of cases) expect(hostOrderFamily(fromHex(hex)), hex).toBe(family);
  });

  it('reads the family at an offset into the packet, ignoring the bytes around it', () => {
    expect(hostOrderFamily(fromHex('ffffff 1e000000 ff'), 3)).toBe(30);
    expect(hostOrderFamily(fromHex('01 00000002 08'), 1)).toBe(2);
  });

  it('sends every AF_INET6 value (24, 28, 30) to IPv6', () => {
    const v6 = '6000000000003b40' + '00'.repeat(15) + '01' + '00'.repeat(15) + '01';
    for (const af of ['18000000', '1c000000', '1e000000']) expect(layersOf(fromHex(af + v6), 0), af).toEqual(['null', 'ipv6']);
  });

  it('takes a LINKTYPE_NULL value above 1500 as an EtherType (null.type), not a family', () => {
    expect(fieldsOf(fromHex(`00000800 ${IP}`), 0, ['null.family', 'null.type', 'ip.src'])).toEqual({ 'null.type': '0x0800', 'ip.src': '127.0.0.1' });
  });

  it('reads LINKTYPE_LOOP in network order only', () => {
    expect(fieldsOf(fromHex(`02000000 ${IP}`), 108, ['null.family', 'ip.src'])).toEqual({ 'null.family': '33554432' });
  });

  it('shows no family for PPP in HDLC framing', () => {
    expect(fieldsOf(fromHex(`ff030021 ${IP}`), 0, ['null.family'])).toEqual({});
  });

  it('keeps the low 16 bits of a large LINKTYPE_NULL value as the EtherType, as tshark does', () => {
    expect(fieldsOf(fromHex(`02000800 ${IP}`), 0, ['null.family', 'null.type', 'ip.src'])).toEqual({ 'null.type': '0x0800', 'ip.src': '127.0.0.1' });
    expect(fieldsOf(fromHex(`00050000 ${IP}`), 0, ['null.family'])).toEqual({ 'null.family': '5' });
  });
});
