import { describe, expect, it } from 'vitest';
import { decodePacket } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex } from '../test/hex.js';
import { fieldsOf, layersOf, testCases, type WiredCase } from '../test/wired.js';
import type { Ipv6Options } from './ipv6-options.js';

// Packets made with scapy; each comment is `tcpdump -nn -r`'s line for it, and `fields`
// is what tshark 4.0.17 prints for them (tools/tshark-fields.sh).
const CASES: WiredCase[] = [
  {
    // IP6 2001:db8::1 > 2001:db8::2: HBH 1 > 2: UDP, length 0
    name: 'hbh_udp',
    linkType: 1,
    bytes: fromHex(`
    02000000000202000000000186dd600000000010004020010db800000000000000000000000120010db8000000000000
    0000000000021100050200000100000100020008a466`),
    layers: ['eth', 'ipv6', 'ipv6.hopopts', 'udp'],
    fields: {'eth.dst': '02:00:00:00:00:02', 'eth.src': '02:00:00:00:00:01', 'eth.type': '0x86dd', 'ip.version': '6', 'ipv6.flow': '0x000000', 'ipv6.plen': '16', 'ipv6.nxt': '0', 'ipv6.hlim': '64', 'ipv6.src': '2001:db8::1', 'ipv6.dst': '2001:db8::2', 'ipv6.opt.type': '0x05,0x01', 'udp.srcport': '1', 'udp.dstport': '2', 'udp.length': '8', 'udp.checksum': '0xa466'},
    summary: 'IP6 2001:db8::1 > 2001:db8::2: HBH 1 > 2: UDP, length 0',
  },
];

describe('ipv6.hopopts and ipv6.dstopts', () => {
  testCases(CASES, (b, lt) => summarize(decodePacket(b, lt)));

  const A = '00'.repeat(15) + '01';
  const v6 = (plen: string, nxt: string, rest: string) => fromHex(`020000000002 020000000001 86dd 60000000 ${plen} ${nxt} 40 ${A} ${A} ${rest}`);
  const types = (b: Uint8Array) => fieldsOf(b, 1, ['ipv6.opt.type'])['ipv6.opt.type'];

  it('lists every option type, Pad1 and PadN included', () => {
    expect(types(v6('0010', '00', '11000000 00000000 0001000200080000'))).toBe('0x00,0x00,0x00,0x00,0x00,0x00');
    expect(types(v6('0010', '3c', '11000104 00000000 0001000200080000'))).toBe('0x01');
  });

  it('shows an option that overruns the header and then stops, as tshark does', () => {
    const b = v6('0010', '00', '11000130 00000000 0001000200080000');
    expect(types(b)).toBe('0x01');
    expect(layersOf(b, 1)).toEqual(['eth', 'ipv6', 'ipv6.hopopts', '_failure']);
  });

  it('needs the byte after an option captured to show it (even after a Pad1)', () => {
    expect(types(v6('0018', '00', '11010502000001020000 0000'))).toBe('0x05,0x01,0x00');
    expect(types(v6('0008', '00', '11000100 00000000'))).toBe('0x01,0x00,0x00,0x00');
  });

  it('moves past a CALIPSO option by its compartment count, as tshark does', () => {
    const b = v6('0010', '00', '11010704 00000000 f1060000 00000000 0001000200080000');
    expect(types(b)).toBe('0x07');
  });

  it('goes on after an option that overruns the header but not the captured bytes', () => {
    const ah = '11040000 00000100 00000007 ' + '00'.repeat(12);
    const b = v6('0028', '3c', `3300011e 00000000 ${ah} 0001000200080000`);
    expect(layersOf(b, 1)).toEqual(['eth', 'ipv6', 'ipv6.dstopts', 'ah', 'udp']);
    // The overrunning option is listed with its data clamped to the header.
    const l = decodePacket(b, 1).layer<Ipv6Options>('ipv6.dstopts')!;
    expect(l.options.map((o) => [o.type, [...o.data]])).toEqual([[0x01, [0, 0, 0, 0]]]);
    expect([l.offset, l.payloadOffset, l.payloadEnd, l.nextHeader, l.length]).toEqual([54, 62, 94, 0x33, 8]);
  });

  it('keeps the options captured of a header cut short, and stops there', () => {
    const pkt = decodePacket(v6('0010', '00', '11010502 0000'), 1);
    const l = pkt.layer<Ipv6Options>('ipv6.hopopts')!;
    expect(l.truncated).toBe(true);
    expect([...l.header]).toEqual([0x11, 0x01, 0x05, 0x02, 0, 0]);
    expect(l.payload.length).toBe(0);
    expect(l.options.map((o) => [o.type, [...o.data]])).toEqual([[0x05, [0, 0]]]);
    expect(pkt.failure?.message).toBe('ipv6.hopopts at offset 54: Hdr Ext Len field needs 16 bytes, 6 available');
  });
});
