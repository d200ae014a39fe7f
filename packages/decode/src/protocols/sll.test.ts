import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP 192.0.2.1.1 > 192.0.2.2.2: Flags [S], seq 0, win 8192, length 0
    name: 'sll_tcp',
    linkType: 113,
    bytes: fromHex(`
    0004000100060200000000010000080045000028001100004006f6bbc0000201c0000202000100020000000000000000
    500220000bdc0000`),
    layers: ['sll', 'ip', 'tcp'],
    fields: {'sll.pkttype': '4', 'sll.src.eth': '02:00:00:00:00:01', 'sll.etype': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '40', 'ip.id': '0x0011', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '6', 'ip.checksum': '0xf6bb', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'tcp.srcport': '1', 'tcp.dstport': '2', 'tcp.seq_raw': '0', 'tcp.ack_raw': '0', 'tcp.hdr_len': '20', 'tcp.flags': '0x0002', 'tcp.window_size_value': '8192', 'tcp.checksum': '0x0bdc', 'tcp.urgent_pointer': '0', 'tcp.len': '0'},
    summary: 'IP 192.0.2.1.1 > 192.0.2.2.2: Flags [S], seq 0, win 8192, length 0',
  },
  {
    // STP 802.1d, Config, Flags [none], bridge-id 0000.00:00:00:00:00:00.0000, length 35
    name: 'sll_llc',
    linkType: 113,
    bytes: fromHex(`
    000000010006020000000001000000044242030000000000000000000000000000000000000000000000000000000100
    140002000f00`),
    layers: ['sll', 'llc', 'data'],
    fields: {'llc.dsap': '0x42', 'llc.ssap': '0x42', 'sll.pkttype': '0', 'sll.src.eth': '02:00:00:00:00:01'},
    summary: 'LLC, dsap 0x42, ssap 0x42, ctrl 0x03, length 38',
  },
  {
    // IP6 ::1.1 > ::1.2: UDP, length 0
    name: 'sll_lo',
    linkType: 113,
    bytes: fromHex(`
    000003040006000000000000000086dd6000000000081140000000000000000000000000000000010000000000000000
    0000000000000001000100020008ffd9`),
    layers: ['sll', 'ipv6', 'udp'],
    fields: {'sll.pkttype': '0', 'sll.src.eth': '00:00:00:00:00:00', 'sll.etype': '0x86dd', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '8', 'ipv6.nxt': '17', 'ipv6.hlim': '64', 'ipv6.src': '::1', 'ipv6.dst': '::1', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0xffd9'},
    summary: 'IP6 ::1.1 > ::1.2: UDP, length 0',
  },
  {
    // ifb1  B   IP6 2001:db8::1.1 > ff02::1.2: UDP, length 0
    name: 'sll2_v6',
    linkType: 276,
    bytes: fromHex(`
    86dd000000000003000101060200000000010000600000000008114020010db8000000000000000000000001ff020000
    000000000000000000000001000100020008d31d`),
    layers: ['sll', 'ipv6', 'udp'],
    fields: {'sll.pkttype': '1', 'sll.src.eth': '02:00:00:00:00:01', 'sll.etype': '0x86dd', 'sll.ifindex': '3', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '8', 'ipv6.nxt': '17', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': 'ff02::1', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0xd31d'},
    summary: 'IP6 2001:db8::1.1 > ff02::1.2: UDP, length 0',
  },
];

describe('sll (Linux cooked captures, SLL and SLL2)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const sll = (hatype: string, halen: string, addr: string, proto: string, rest = '') => fromHex(`0000 ${hatype} ${halen} ${addr} ${proto} ${rest}`);
  const IP = '450000140001000040ff00007f0000017f000001';

  it('shows sll.src.eth only for a six-byte address', () => {
    expect(fieldsOf(sll('0001', '0004', '0a00000100000000', '0800', IP), 113, ['sll.src.eth', 'sll.etype'])).toEqual({ 'sll.etype': '0x0800' });
  });

  it('puts Linux protocol values in sll.ltype, and a GRE interface protocol in neither field', () => {
    expect(fieldsOf(sll('0001', '0006', '0200000000010000', '0004', '424203000000'), 113, ['sll.etype', 'sll.ltype', 'llc.dsap'])).toEqual({
      'sll.ltype': '0x0004',
      'llc.dsap': '0x42',
    });
    const gre = sll('030a', '0000', '0000000000000000', '0800', IP);
    expect(fieldsOf(gre, 113, ['sll.etype', 'sll.ltype', 'ip.src'])).toEqual({ 'ip.src': '127.0.0.1' });
  });

  it('decodes a Linux protocol 3 payload as Ethernet', () => {
    const b = sll('0001', '0006', '0200000000010000', '0003', `ffffffffffff 020000000002 0800 ${IP}`);
    expect(layersOf(b, 113)).toEqual(['sll', 'eth', 'ip']);
  });

  it('shows the fields of a cut header whose bytes were captured, as tshark does', () => {
    expect(layersOf(fromHex('0000 00'), 113)).toEqual(['_failure']);
    expect(fieldsOf(fromHex('0004 0001 0006 02000000'), 113, ['sll.pkttype', 'sll.src.eth'])).toEqual({ 'sll.pkttype': '4' });
    expect(layersOf(fromHex('86dd 0000 00000003 0001 01 06'), 276)).toEqual(['sll', '_failure']);
    expect(layersOf(fromHex('86dd 0000 00000003 0001 01'), 276)).toEqual(['_failure']);
  });

  it('reads a protocol value of 0x0600 as a Linux protocol and 0x0601 as an EtherType, as tshark does', () => {
    expect(fieldsOf(sll('0001', '0006', '0200000000010000', '0600', IP), 113, ['sll.etype', 'sll.ltype'])).toEqual({ 'sll.ltype': '0x0600' });
    expect(fieldsOf(sll('0001', '0006', '0200000000010000', '0601', IP), 113, ['sll.etype', 'sll.ltype'])).toEqual({ 'sll.etype': '0x0601' });
  });
});
