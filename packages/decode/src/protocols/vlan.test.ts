import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP 192.0.2.1.1024 > 192.0.2.2.53: domain [length 0 < 12] (invalid)
    name: 'qinq',
    linkType: 1,
    bytes: fromHex(`
    0200000000020200000000018100a00a8100001408004500001c000200004011f6cbc0000201c0000202040000350008
    77a5`),
    layers: ['eth', 'vlan', 'vlan', 'ip', 'udp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x8100', 'vlan.id': '10,20', 'vlan.etype': '0x8100,0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '28', 'ip.id': '0x0002', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '17', 'ip.checksum': '0xf6cb', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2', 'udp.srcport': '1024', 'udp.dstport': '53', 'udp.length': '8', 'udp.checksum': '0x77a5'},
    summary: 'IP 192.0.2.1.1024 > 192.0.2.2.53: UDP, length 0',
  },
  {
    // IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 1, seq 1, length 8
    name: 'q9100',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000191000064810000c808004500001c000300004001f6dac0000201c00002020800f7fd0001
    0001`),
    layers: ['eth', 'vlan', 'vlan', 'ip', 'icmp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x9100', 'vlan.id': '100,200', 'vlan.etype': '0x8100,0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '28', 'ip.id': '0x0003', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '1', 'ip.checksum': '0xf6da', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2'},
  },
  {
    // STP 802.1d, Config, Flags [none], bridge-id 0000.00:00:00:00:00:00.0000, length 35
    name: 'vlan_llc',
    linkType: 1,
    bytes: fromHex(`
    020000000002020000000001810000050026424203000000000000000000000000000000000000000000000000000000
    0100140002000f00`),
    layers: ['eth', 'vlan', 'llc', 'data'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x8100', 'vlan.id': '5', 'llc.dsap': '0x42', 'llc.ssap': '0x42'},
    summary: 'LLC, dsap 0x42, ssap 0x42, ctrl 0x03, length 38',
  },
];

describe('vlan (802.1Q tags, stacked)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const tagged = (after: string) => fromHex(`ffffffffffff 020000000001 8100 ${after}`);

  it('keeps the VLAN ID of a tag cut after its TCI, and stops there', () => {
    expect(layersOf(tagged('0064'), 1)).toEqual(['eth', 'vlan', '_failure']);
    expect(fieldsOf(tagged('0064'), 1, ['vlan.id', 'vlan.etype'])).toEqual({ 'vlan.id': '100' });
    expect(layersOf(tagged('00'), 1)).toEqual(['eth', '_failure']);
  });

  it('reads priority and DEI from the TCI', () => {
    expect(fieldsOf(tagged('b0c8 0800'), 1, ['vlan.priority', 'vlan.dei', 'vlan.id'])).toEqual({ 'vlan.priority': '5', 'vlan.dei': '1', 'vlan.id': '200' });
  });

  it('shows an 802.3 length after a tag as vlan.len, not vlan.etype, and hands the payload to LLC', () => {
    const b = tagged('0064 0026 424203000000');
    expect(fieldsOf(b, 1, ['vlan.etype', 'vlan.len', 'llc.dsap'])).toEqual({ 'vlan.len': '38', 'llc.dsap': '0x42' });
  });

  it('stops a crafted run of tags at the layer limit instead of looping', () => {
    const b = tagged('0001 8100 '.repeat(200) + '0001 0800');
    const layers = layersOf(b, 1);
    expect(layers.length).toBeLessThanOrEqual(65);
    expect(layers.slice(0, 3)).toEqual(['eth', 'vlan', 'vlan']);
  });
});
