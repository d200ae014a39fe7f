import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, WIRED_FIELDS, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0
    name: 'raw4',
    linkType: 101,
    bytes: fromHex(`
    4500001c001300004011f6bac0000201c00002020001000200087bd7`),
    layers: ['raw', 'ip', 'udp'],
    fields: {'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '28', 'ip.id': '0x0013', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0xf6ba', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0x7bd7'},
    summary: 'IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0',
  },
  {
    // IP6 2001:db8::1.1 > 2001:db8::2.2: UDP, length 0
    name: 'raw6',
    linkType: 101,
    bytes: fromHex(`
    600000000008114020010db800000000000000000000000120010db8000000000000000000000002000100020008a466`),
    layers: ['raw', 'ipv6', 'udp'],
    fields: {'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '8', 'ipv6.nxt': '17', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0xa466'},
    summary: 'IP6 2001:db8::1.1 > 2001:db8::2.2: UDP, length 0',
  },
  {
    // IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0
    name: 'ipv4lt',
    linkType: 228,
    bytes: fromHex(`
    4500001c001400004011f6b9c0000201c00002020001000200087bd7`),
    layers: ['ip', 'udp'],
    fields: {'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '28', 'ip.id': '0x0014', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0xf6b9', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0x7bd7'},
    summary: 'IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0',
  },
  {
    // IP6 2001:db8::1.1 > 2001:db8::2.2: UDP, length 0
    name: 'ipv6lt',
    linkType: 229,
    bytes: fromHex(`
    600000000008114020010db800000000000000000000000120010db8000000000000000000000002000100020008a466`),
    layers: ['ipv6', 'udp'],
    fields: {'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '8', 'ipv6.nxt': '17', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0xa466'},
    summary: 'IP6 2001:db8::1.1 > 2001:db8::2.2: UDP, length 0',
  },
];

describe('raw (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const IP = '450000140001000040ff00007f0000017f000001';
  const V6 = '6000000000003b40' + '00'.repeat(15) + '01' + '00'.repeat(15) + '01';

  it('picks IPv4 or IPv6 by the version nibble for LINKTYPE_RAW and leaves other versions as data', () => {
    expect(layersOf(fromHex(IP), 101)).toEqual(['raw', 'ip']);
    expect(layersOf(fromHex(V6), 101)).toEqual(['raw', 'ipv6']);
    expect(layersOf(fromHex('3' + IP.slice(1)), 101)).toEqual(['raw', 'data']);
    expect(summarize(decodePacket(fromHex('3' + IP.slice(1)), 101))).toBe('unknown ip 3');
  });

  it('leaves a LINKTYPE_RAW packet under 8 bytes as data, as tshark does', () => {
    expect(layersOf(fromHex('4500001400'), 101)).toEqual(['raw', 'data']);
  });

  it('decodes IPv6 carried by LINKTYPE_IPV4 as IPv6, and IPv4 under LINKTYPE_IPV6 as a version error', () => {
    expect(layersOf(fromHex(V6), 228)).toEqual(['ipv6']);
    expect(layersOf(fromHex(IP), 229)).toEqual(['ipv6', '_failure']);
    expect(fieldsOf(fromHex(IP), 229, WIRED_FIELDS)).toEqual({ 'ip.version': '4' });
  });
});
