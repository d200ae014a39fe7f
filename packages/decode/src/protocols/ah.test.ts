import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP6 2001:db8::1 > 2001:db8::2: DSTOPT AH(spi=0x00000100,seq=0x7,icv=0x000000000000000000000000): 1 > 2: Flags [S], seq 0, win 8192, length 0
    name: 'dst_ah_tcp',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000186dd6000000000343c4020010db800000000000000000000000120010db8000000000000
    000000000002330001040000000006040000000001000000000700000000000000000000000000010002000000000000
    00005002200000000000`),
    layers: ['eth', 'ipv6', 'ipv6.dstopts', 'ah', 'tcp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x86dd', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '52', 'ipv6.nxt': '60', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2', 'ipv6.opt.type': '0x01', 'tcp.srcport': '1', 'tcp.dstport': '2', 'tcp.seq_raw': '0', 'tcp.ack_raw': '0', 'tcp.hdr_len': '20', 'tcp.flags': '0x0002', 'tcp.window_size_value': '8192', 'tcp.checksum': '0x0000', 'tcp.urgent_pointer': '0', 'tcp.len': '0'},
    summary: 'IP6 2001:db8::1 > 2001:db8::2: DSTOPT AH 1 > 2: Flags [S], seq 0, win 8192, length 0',
  },
];

describe('ah (IPsec Authentication Header)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const A = '00'.repeat(15) + '01';
  const v6 = (rest: string) => fromHex(`020000000002 020000000001 86dd 60000000 0020 33 40 ${A} ${A} ${rest}`);

  it('continues to what AH protects, and reads SPI and sequence number', () => {
    const b = v6(`11040000 00000100 00000007 ${'00'.repeat(12)} 0001000200080000`);
    expect(layersOf(b, 1)).toEqual(['eth', 'ipv6', 'ah', 'udp']);
    expect(fieldsOf(b, 1, ['ah.spi', 'ah.sequence'])).toEqual({ 'ah.spi': '0x00000100', 'ah.sequence': '7' });
  });

  it('rejects a length field below the fixed header instead of reading backwards', () => {
    expect(layersOf(v6(`11000000 00000100 00000007`), 1)).toEqual(['eth', 'ipv6', '_failure']);
  });
});
