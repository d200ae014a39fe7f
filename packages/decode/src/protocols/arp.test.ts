import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, type WiredCase } from '../test/wired.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 28
    name: 'arp_req',
    linkType: 1,
    bytes: fromHex(`
    ffffffffffff02000000000108060001080006040001020000000001c0000201000000000000c0000202`),
    layers: ['eth', 'arp'],
    fields: {'eth.dst': 'ff:ff:ff:ff:ff:ff', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0806', 'arp.opcode': '1', 'arp.src.hw_mac': '02:00:00:00:00:01', 'arp.src.proto_ipv4': '192.0.2.1', 'arp.dst.proto_ipv4': '192.0.2.2'},
    summary: 'ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 28',
  },
  {
    // ARP, Reply 192.0.2.1 is-at 02:00:00:00:00:01, length 28
    name: 'arp_rep',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000108060001080006040002020000000001c0000201020000000002c0000202`),
    layers: ['eth', 'arp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x0806', 'arp.opcode': '2', 'arp.src.hw_mac': '02:00:00:00:00:01', 'arp.src.proto_ipv4': '192.0.2.1', 'arp.dst.proto_ipv4': '192.0.2.2'},
    summary: 'ARP, Reply 192.0.2.1 is-at 02:00:00:00:00:01, length 28',
  },
  {
    // ARP, Reverse Request who-is 02:00:00:00:00:01 tell 02:00:00:00:00:01, length 28
    name: 'rarp',
    linkType: 1,
    bytes: fromHex(`
    ffffffffffff020000000001803500010800060400030200000000010000000002000000000100000000`),
    layers: ['eth', 'arp'],
    fields: {'eth.dst': 'ff:ff:ff:ff:ff:ff', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x8035', 'arp.opcode': '3', 'arp.src.hw_mac': '02:00:00:00:00:01', 'arp.src.proto_ipv4': '0.0.0.0', 'arp.dst.proto_ipv4': '0.0.0.0'},
    summary: 'ARP, Reverse Request who-is 02:00:00:00:00:01 tell 02:00:00:00:00:01, length 28',
  },
];

describe('arp (ARP and RARP)', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const arp = (body: string) => fromHex(`ffffffffffff 020000000001 0806 ${body}`);

  it('shows no MAC fields for non-Ethernet hardware and no IPv4 fields for other protocols', () => {
    const b = arp('0001 0800 0e 04 0001 3030303030303030303030303030 0a000001 3030303030303030303030303030 0a000002');
    expect(fieldsOf(b, 1, ['arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4'])).toEqual({
      'arp.opcode': '1',
      'arp.src.proto_ipv4': '10.0.0.1',
      'arp.dst.proto_ipv4': '10.0.0.2',
    });
    expect(fieldsOf(arp('0001 86dd 06 04 0001 020000000001 0a000001 000000000000 0a000002'), 1, ['arp.src.hw_mac', 'arp.src.proto_ipv4'])).toEqual({
      'arp.src.hw_mac': '02:00:00:00:00:01',
    });
  });

  it('keeps only the opcode of a request cut inside its addresses, as tshark does', () => {
    const b = arp('0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a00');
    expect(layersOf(b, 1)).toEqual(['eth', 'arp', '_failure']);
    expect(fieldsOf(b, 1, ['arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4'])).toEqual({ 'arp.opcode': '1' });
    expect(layersOf(arp('0001 0800 06 04 00'), 1)).toEqual(['eth', '_failure']);
  });

  it('treats Ethernet padding after the addresses as padding, not payload', () => {
    const b = arp('0001 0800 06 04 0002 020000000001 0a000001 020000000002 0a000002 000000000000000000000000000000000000');
    expect(layersOf(b, 1)).toEqual(['eth', 'arp']);
  });

  it('shows the addresses of a cut packet once those its operation names were captured', () => {
    const op = (code: string, bytes: number) => fieldsOf(arp(`0001 0800 06 04 ${code} 020000000001 0a000001 020000000002 0a000002`).subarray(0, 14 + bytes), 1, ['arp.src.hw_mac', 'arp.src.proto_ipv4']);
    expect(op('0003', 20)).toEqual({});
    expect(op('0003', 24)).toEqual({ 'arp.src.hw_mac': '02:00:00:00:00:01', 'arp.src.proto_ipv4': '10.0.0.1' });
    expect(op('0009', 18)).toEqual({ 'arp.src.hw_mac': '02:00:00:00:00:01', 'arp.src.proto_ipv4': '10.0.0.1' });
    expect(op('000a', 14)).toEqual({ 'arp.src.hw_mac': '02:00:00:00:00:01' });
  });
});
