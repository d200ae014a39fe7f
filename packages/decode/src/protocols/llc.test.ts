import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { defaultRegistry } from './index.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, WIRED_FIELDS, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // STP 802.1d, Config, Flags [none], bridge-id 8000.02:00:00:00:00:01.8001, length 35
    name: 'llc_stp',
    linkType: 1,
    bytes: fromHex(`
    0180c2000000020000000001002642420300000000008000020000000001000000008000020000000001800101001400
    02000f00`),
    layers: ['eth', 'llc', 'data'],
    fields: {'eth.dst': '01:80:c2:00:00:00', 'eth.src': '02:00:00:00:00:01', 'llc.dsap': '0x42', 'llc.ssap': '0x42'},
    summary: 'LLC, dsap 0x42, ssap 0x42, ctrl 0x03, length 38',
  },
  {
    // IP 192.0.2.1.1024 > 192.0.2.2.9: UDP, length 2
    name: 'snap_ip',
    linkType: 1,
    bytes: fromHex(`
    0200000000020200000000010026aaaa0300000008004500001e000100004011f6cac0000201c000020204000009000a
    0f646869`),
    layers: ['eth', 'llc', 'ip', 'udp', 'data'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'llc.dsap': '0xaa', 'llc.ssap': '0xaa', 'llc.oui': '0', 'llc.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '30', 'ip.id': '0x0001', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0xf6ca', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'udp.srcport': '1024', 'udp.dstport': '9', 'udp.length': '10', 'udp.checksum': '0x0f64'},
    summary: 'IP 192.0.2.1.1024 > 192.0.2.2.9: UDP, length 2',
  },
  {
    // CDPv2, ttl: 180s, length 4
    name: 'snap_cdp',
    linkType: 1,
    bytes: fromHex(`
    01000ccccccc020000000001000caaaa0300000c200002b40000`),
    layers: ['eth', 'llc', 'data'],
    fields: {'eth.dst': '01:00:0c:cc:cc:cc', 'eth.src': '02:00:00:00:00:01', 'llc.dsap': '0xaa', 'llc.ssap': '0xaa', 'llc.oui': '12'},
    summary: 'LLC/SNAP, oui 0x00000c, pid 0x2000, length 12',
  },
  {
    // IP 192.0.2.1.1024 > 192.0.2.2.9: UDP, length 2
    name: 'jumbo_llc_snap_ip',
    linkType: 1,
    bytes: fromHex(`
    0200000000020200000000018870aaaa0300000008004500001e000100004011f6cac0000201c000020204000009000a
    0f646869`),
    layers: ['eth', 'llc', 'ip', 'udp', 'data'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x8870', 'llc.dsap': '0xaa', 'llc.ssap': '0xaa', 'llc.oui': '0', 'llc.type': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '30', 'ip.id': '0x0001', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0xf6ca', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'udp.srcport': '1024', 'udp.dstport': '9', 'udp.length': '10', 'udp.checksum': '0x0f64'},
    summary: 'IP 192.0.2.1.1024 > 192.0.2.2.9: UDP, length 2',
  },
];

describe('llc (802.3 LLC and SNAP)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  // Bytes after the 14-byte Ethernet header of 802.3 frames, cut as tshark was shown them.
  const eth3 = (llc: string) => fromHex(`ffffffffffff 020000000001 0026 ${llc}`);

  it('keeps the SAPs of a SNAP header cut before its protocol id, as tshark does', () => {
    const b = eth3('aaaa03 000000 08');
    expect(layersOf(b, 1)).toEqual(['eth', 'llc', '_failure']);
    expect(fieldsOf(b, 1, WIRED_FIELDS)).toMatchObject({ 'llc.dsap': '0xaa', 'llc.ssap': '0xaa' });
    expect(fieldsOf(b, 1, ['llc.oui', 'llc.type'])).toEqual({});
  });

  it('reads a two-byte control field for I-format frames, and no EtherType after it', () => {
    const b = eth3('aaaa 0100 000000 0800');
    expect(fieldsOf(b, 1, ['llc.dsap', 'llc.control', 'llc.oui', 'llc.type'])).toEqual({ 'llc.dsap': '0xaa', 'llc.control': '0x0001', 'llc.oui': '0' });
  });

  it('prints the SNAP OUI in decimal and the protocol id as llc.pid for non-EtherType OUIs', () => {
    const b = eth3('aaaa03 00000c 2000 02b40000');
    expect(fieldsOf(b, 1, ['llc.oui', 'llc.type', 'llc.pid'])).toEqual({ 'llc.oui': '12', 'llc.pid': '0x2000' });
  });

  it('leaves Novell raw 802.3 (payload starting 0xFFFF) undecoded instead of calling it LLC', () => {
    expect(layersOf(eth3('ffff 0000 0011'), 1)).toEqual(['eth', 'data']);
  });

  it('is registered at llc key 0, where 802.11 data frames and cooked captures send their payload', () => {
    expect(defaultRegistry().lookup('llc', 0)?.name).toBe('llc');
    expect(defaultRegistry().lookup('ethertype', 0x8870)?.name).toBe('llc');
  });

  it('decodes only I and UI frames further: no EtherType for other control fields', () => {
    expect(fieldsOf(eth3('aaaa 13 000000 0800 4500'), 1, ['llc.oui', 'llc.type'])).toEqual({ 'llc.oui': '0' });
    expect(fieldsOf(eth3('aaaa 0200 000000 0800'), 1, ['llc.type'])).toEqual({ 'llc.type': '0x0800' });
  });

  it('decodes DSAP 0x06 as IPv4', () => {
    expect(layersOf(eth3('0606 03 450000140001000040ff00007f0000017f000001'), 1)).toEqual(['eth', 'llc', 'ip']);
  });

  it('takes an Ethernet type field between 1501 and 1535 as neither a length nor an EtherType', () => {
    const b = fromHex('ffffffffffff 020000000001 05dd 424203000000');
    expect(layersOf(b, 1)).toEqual(['eth', 'data']);
    expect(fieldsOf(b, 1, ['eth.type', 'eth.len'])).toEqual({});
  });
});
