import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import type { IPv4 } from './ipv4.js';
import { fieldsOf, layersOf, testCases, WIRED_FIELDS, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0
    name: 'ip_opts',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000108004800002800060000401154afc0000201c00002020707040000000001940400000001
    000200087bd7`),
    layers: ['eth', 'ip', 'udp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '32', 'ip.dsfield': '0x00', 'ip.len': '40', 'ip.id': '0x0006', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0x54af', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'ip.opt.type': '7,1,148', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0x7bd7'},
    summary: 'IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0',
  },
  {
    // IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0
    name: 'ip_lsrr',
    linkType: 1,
    bytes: fromHex(`
    020000000002020000000001080048000028000700004011fa5ac0000201c0000202830b04c6336401c6336409000001
    00020008139d`),
    layers: ['eth', 'ip', 'udp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '32', 'ip.dsfield': '0x00', 'ip.len': '40', 'ip.id': '0x0007', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0xfa5a', 'ip.src': '192.0.2.1', 'ip.dst': '198.51.100.9', 'ip.opt.type': '131,0', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0x139d'},
    summary: 'IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0',
  },
  {
    // IP 192.0.2.1.1000 > 192.0.2.2.2000: UDP, length 40
    name: 'ip_frag1',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000108004500002c000820004011d6b5c0000201c000020203e807d000300669787878787878
    78787878787878787878`),
    layers: ['eth', 'ip', 'udp', 'data'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '44', 'ip.id': '0x0008', 'ip.flags.df': '0', 'ip.flags.mf': '1', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0xd6b5', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'udp.srcport': '1000', 'udp.dstport': '2000', 'udp.length': '48', 'udp.checksum': '0x0669'},
    summary: 'IP 192.0.2.1.1000 > 192.0.2.2.2000: UDP, length 40',
  },
  {
    // IP 192.0.2.1 > 192.0.2.2: ip-proto-17
    name: 'ip_frag2',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000108004500002c000800034011f6b2c0000201c00002027878787878787878787878787878
    78787878787878787878`),
    layers: ['eth', 'ip', 'data'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '44', 'ip.id': '0x0008', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '3', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0xf6b2', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2'},
    summary: 'IP 192.0.2.1 > 192.0.2.2: ip-proto-17 24 (frag 8:24@24)',
  },
  {
    // IP 192.0.2.1 > 192.0.2.2: IP 10.0.0.1.1234 > 10.0.0.2.80: Flags [S], seq 1, win 1024, length 0
    name: 'ipip',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000108004500003c000900004004f6b1c0000201c000020245000028000a0000400666c40a00
    00010a00000204d2005000000001000000005002040092bd0000`),
    layers: ['eth', 'ip', 'ip', 'tcp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '60', 'ip.id': '0x0009', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '4', 'ip.checksum': '0xf6b1', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'tcp.srcport': '1234', 'tcp.dstport': '80', 'tcp.seq_raw': '1', 'tcp.ack_raw': '0', 'tcp.hdr_len': '20', 'tcp.flags': '0x0002', 'tcp.window_size_value': '1024', 'tcp.checksum': '0x92bd', 'tcp.urgent_pointer': '0', 'tcp.len': '0'},
    summary: 'IP 192.0.2.1 > 192.0.2.2: IP 10.0.0.1.1234 > 10.0.0.2.80: Flags [S], seq 1, win 1024, length 0',
  },
  {
    // IP 192.0.2.1 > 192.0.2.2: IP6 2001:db8::1.5000 > 2001:db8::2.6000: UDP, length 0
    name: 'sixin4',
    linkType: 1,
    bytes: fromHex(`
    020000000002020000000001080045000044000b00004029f682c0000201c0000202600000000008114020010db80000
    0000000000000000000120010db80000000000000000000000021388177000087971`),
    layers: ['eth', 'ip', 'ipv6', 'udp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '68', 'ip.id': '0x000b', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '41', 'ip.checksum': '0xf682', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'ipv6.flow': '0x000000', 'ipv6.plen': '8', 'ipv6.nxt': '17', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2', 'udp.srcport': '5000', 'udp.dstport': '6000', 'udp.length': '8', 'udp.checksum': '0x7971'},
    summary: 'IP 192.0.2.1 > 192.0.2.2: IP6 2001:db8::1.5000 > 2001:db8::2.6000: UDP, length 0',
  },
];

describe('ip (IPv4: options, fragments, tunnels)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  // Ethernet + IPv4 with IHL `ihl` and options `opts` (total length = header + 8-byte UDP).
  const H = '0001000040110000c0000201c0000202';
  const ipWith = (ihl: number, opts: string, rest = '0001000200080000') => {
    const total = (ihl * 4 + rest.length / 2).toString(16).padStart(4, '0');
    return fromHex(`020000000002 020000000001 0800 4${ihl.toString(16)}00${total} ${H} ${opts} ${rest}`);
  };

  it('lists option types as tshark does: EOL ends the list, unknown kinds are skipped, bad lengths stop it', () => {
    const types = (ihl: number, opts: string) => fieldsOf(ipWith(ihl, opts), 1, ['ip.opt.type'])['ip.opt.type'];
    expect(types(6, '01010100')).toBe('1,1,1,0');
    expect(types(6, '94040000')).toBe('148');
    expect(types(6, '94030000')).toBe('148'); // router alert of the wrong length: shown, then the walk stops
    expect(types(7, '99040000 07040000')).toBe('7'); // unknown 0x99 skipped by its length
    expect(types(6, '07000101')).toBeUndefined(); // zero length: nothing shown
    expect(types(6, '99060000')).toBeUndefined(); // runs past the header
  });

  it('shows the final hop of an unfinished source route as ip.dst', () => {
    expect(fieldsOf(ipWith(7, '83070408080808 00'), 1, ['ip.dst'])).toEqual({ 'ip.dst': '8.8.8.8' });
    expect(fieldsOf(ipWith(7, '83070808080808 00'), 1, ['ip.dst'])).toEqual({ 'ip.dst': '192.0.2.2' });
  });

  it('keeps only ip.version for a wrong version, and hands version 6 to IPv6', () => {
    const bad = ipWith(5, '');
    bad[14] = 0x55;
    expect(layersOf(bad, 1)).toEqual(['eth', 'ip', '_failure']);
    expect(fieldsOf(bad, 1, WIRED_FIELDS)).toMatchObject({ 'ip.version': '5' });
    expect(fieldsOf(bad, 1, ['ip.hdr_len', 'ip.src'])).toEqual({});
    const v6 = ipWith(5, '');
    v6[14] = 0x60;
    expect(layersOf(v6, 1)[1]).toBe('ipv6');
  });

  it('keeps the version and header length of an IHL below 5, and the first four bytes of a total length below it', () => {
    const ihl4 = ipWith(5, '');
    ihl4[14] = 0x44;
    expect(fieldsOf(ihl4, 1, ['ip.version', 'ip.hdr_len', 'ip.len'])).toEqual({ 'ip.version': '4', 'ip.hdr_len': '16' });
    const short = ipWith(5, '');
    short[17] = 10;
    expect(fieldsOf(short, 1, ['ip.len', 'ip.id', 'ip.src'])).toEqual({ 'ip.len': '10' });
    expect(layersOf(short, 1)).toEqual(['eth', 'ip', '_failure']);
  });

  it('takes a total length of 0 (segmentation offload) as the captured length', () => {
    const tso = ipWith(5, '');
    tso[16] = 0;
    tso[17] = 0;
    expect(fieldsOf(tso, 1, ['ip.len', 'udp.srcport'])).toEqual({ 'ip.len': '28', 'udp.srcport': '1' });
  });

  it('does not decode a later fragment as UDP', () => {
    const frag = ipWith(5, '');
    frag[20] = 0x00;
    frag[21] = 0x03;
    expect(layersOf(frag, 1)).toEqual(['eth', 'ip', 'data']);
  });

  it('stops after a known option of the wrong length, but not after an unknown one', () => {
    expect(layersOf(ipWith(6, '94030000'), 1)).toEqual(['eth', 'ip', '_failure']);
    expect(layersOf(ipWith(6, '99010101'), 1)).toEqual(['eth', 'ip', 'udp']);
  });

  it('bounds the missing bytes by the wire length when the caller gives it', () => {
    const b = ipWith(5, '').subarray(0, 38);
    expect(decodePacket(b, 1).layer<IPv4>('ip')!.missing).toBe(4);
    expect(decodePacket(b, 1, { originalLength: 38 }).layer<IPv4>('ip')!.missing).toBe(0);
    expect(decodePacket(b, 1, { originalLength: 40 }).layer<IPv4>('ip')!.missing).toBe(2);
  });
});
