import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 2, seq 1, length 8
    name: 'dot1ad',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000188a80064810000c808004500001c000400004001f6d9c0000201c00002020800f7fc0002
    0001`),
    layers: ['eth', 'ieee8021ad', 'vlan', 'ip', 'icmp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x88a8', 'ieee8021ad.id': '100', 'vlan.id': '200', 'vlan.etype': '0x0800', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '28', 'ip.id': '0x0004', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '1', 'ip.checksum': '0xf6d9', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2'},
  },
  {
    // IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 3, seq 1, length 8
    name: 'dot1ad_pair',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000188a8006488a800c808004500001c000500004001f6d8c0000201c00002020800f7fb0003
    0001`),
    layers: ['eth', 'ieee8021ad', 'ip', 'icmp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x88a8', 'ip.version': '4', 'ip.hdr_len': '20', 'ip.dsfield': '0x00', 'ip.len': '28', 'ip.id': '0x0005', 'ip.flags.df': '0', 'ip.flags.mf': '0', 'ip.frag_offset': '0', 'ip.ttl': '64', 'ip.proto': '1', 'ip.checksum': '0xf6d8', 'ip.src': '192.0.2.1', 'ip.dst': '192.0.2.2'},
  },
];

describe('ieee8021ad (802.1ad S-tags)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const stag = (after: string) => fromHex(`ffffffffffff 020000000001 88a8 ${after}`);

  it('shows an S-tag followed by a C-tag as ieee8021ad.id, the C-tag as vlan.*', () => {
    expect(fieldsOf(stag('00c8 8100 07d1 0806'), 1, ['ieee8021ad.id', 'vlan.id', 'vlan.etype'])).toEqual({
      'ieee8021ad.id': '200',
      'vlan.id': '2001',
      'vlan.etype': '0x0806',
    });
  });

  it('reads two S-tags in a row as one S-VID/C-VID pair, with no ieee8021ad.id, as tshark does', () => {
    const b = stag('0064 88a8 00c8 88a8 012c 0800');
    expect(layersOf(b, 1)).toEqual(['eth', 'ieee8021ad', 'ieee8021ad']);
    expect(fieldsOf(b, 1, ['ieee8021ad.id', 'ieee8021ad.svid', 'ieee8021ad.cvid'])).toEqual({
      'ieee8021ad.id': '300',
      'ieee8021ad.svid': '100',
      'ieee8021ad.cvid': '200',
    });
  });

  it('shows nothing of an S-tag cut before the next type, and keeps a pair cut before its EtherType', () => {
    expect(layersOf(stag('0064'), 1)).toEqual(['eth', '_failure']);
    expect(layersOf(stag('0064 88a8'), 1)).toEqual(['eth', '_failure']);
    expect(fieldsOf(stag('0064 88a8 00c8'), 1, ['ieee8021ad.svid', 'ieee8021ad.cvid'])).toEqual({ 'ieee8021ad.svid': '100', 'ieee8021ad.cvid': '200' });
  });
});
