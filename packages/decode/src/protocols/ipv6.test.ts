import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, WIRED_FIELDS, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP6 2001:db8::1 > 2001:db8::2: IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 0
    name: 'fourin6',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000186dd60000000001c044020010db800000000000000000000000120010db8000000000000
    0000000000024500001c000c0000401166c30a0000010a000002138817700008c0e3`),
    layers: ['eth', 'ipv6', 'ip', 'udp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x86dd', 'ip.version': '6', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '28', 'ip.id': '0x000c', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0x66c3', 'ip.src': '10.0.0.1', 'ip.dst': '10.0.0.2', 'ipv6.flow': '0x000000', 'ipv6.plen': '28', 'ipv6.nxt': '4', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2', 'udp.srcport': '5000', 'udp.dstport': '6000', 'udp.length': '8', 'udp.checksum': '0xc0e3'},
    summary: 'IP6 2001:db8::1 > 2001:db8::2: IP 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 0',
  },
];

describe('ipv6 (fixed header, 4in6)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const A = '00'.repeat(15) + '01';
  const v6 = (plen: string, nxt: string, rest: string) => fromHex(`020000000002 020000000001 86dd 60000000 ${plen} ${nxt} 40 ${A} ${A} ${rest}`);

  it('keeps only ip.version for a wrong version', () => {
    const b = v6('0008', '11', '0001000200080000');
    b[14] = 0x00;
    expect(fieldsOf(b, 1, WIRED_FIELDS)).toMatchObject({ 'ip.version': '0' });
    expect(fieldsOf(b, 1, ['ipv6.plen', 'ipv6.src'])).toEqual({});
  });

  it('shows the fields of a cut header whose bytes were captured: payload length with next header, source at 24 bytes', () => {
    const b = v6('0008', '11', '0001000200080000');
    expect(fieldsOf(b.subarray(0, 14 + 6), 1, ['ipv6.plen'])).toEqual({});
    expect(fieldsOf(b.subarray(0, 14 + 7), 1, ['ipv6.plen', 'ipv6.nxt'])).toEqual({ 'ipv6.plen': '8', 'ipv6.nxt': '17' });
    expect(fieldsOf(b.subarray(0, 14 + 39), 1, ['ipv6.src', 'ipv6.dst'])).toEqual({ 'ipv6.src': '::1' });
  });

  it('takes a zero payload length as empty unless a Hop-by-Hop Jumbo Payload option gives the length', () => {
    expect(layersOf(v6('0000', '2c', '11000001 12345678 0001000200080000'), 1)).toEqual(['eth', 'ipv6']);
    const jumbo = v6('0000', '00', '1100c204 00000010 0001000200080000');
    expect(layersOf(jumbo, 1)).toEqual(['eth', 'ipv6', 'ipv6.hopopts', 'udp']);
    expect(layersOf(v6('0000', '00', '11000100 00000000 0001000200080000'), 1)).toEqual(['eth', 'ipv6']);
  });

  it('stops a crafted chain of extension headers at its bound', () => {
    const b = v6('0400', '3c', '3c00010400000000'.repeat(100) + '11000104000000000001000200080000');
    const layers = layersOf(b, 1);
    expect(layers.filter((p) => p === 'ipv6.dstopts').length).toBe(16);
    expect(layers[layers.length - 1]).toBe('_failure');
  });

  it('prints IPv4-compatible addresses with a dotted quad, as tshark does', () => {
    const b = v6('0008', '11', '0001000200080000');
    b[14 + 8 + 12] = 0x10;
    expect(fieldsOf(b, 1, ['ipv6.src'])).toEqual({ 'ipv6.src': '::16.0.0.1' });
  });
});
