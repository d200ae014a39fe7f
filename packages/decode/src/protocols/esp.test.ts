import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, testCases, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP6 2001:db8::1 > 2001:db8::2: ESP(spi=0x00000200,seq=0x9), length 24
    name: 'esp6',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000186dd600000000018324020010db800000000000000000000000120010db8000000000000
    000000000002000002000000000911111111111111111111111111111111`),
    layers: ['eth', 'ipv6', 'esp', 'data'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x86dd', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '24', 'ipv6.nxt': '50', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2'},
    summary: 'IP6 2001:db8::1 > 2001:db8::2: ESP(spi=0x00000200,seq=0x9), length 24',
  },
];

describe('esp (IPsec Encapsulating Security Payload)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  it('stops after the SPI and sequence number: the rest is ciphertext', () => {
    const b = CASES[0]!.bytes;
    expect(fieldsOf(b, 1, ['esp.spi', 'esp.sequence'])).toEqual({ 'esp.spi': '0x00000200', 'esp.sequence': '9' });
  });
});
