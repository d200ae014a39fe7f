import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../capture/record.js';
import { FieldSelector } from '../fields.js';
import { decodePacket, type Packet } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex, prefixes } from '../test/hex.js';
import type { Icmpv6 } from './icmpv6.js';
import type { MldReport } from './mld.js';

// 14:20:22.167237 IP6 ::1 > ::1: ICMP6, echo request, id 4660, seq 1, length 64
const ECHO = fromHex(`
  000000000000 000000000000 86dd
  6004070e00403a40 00000000000000000000000000000001 00000000000000000000000000000001
  8000763b12340001 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637`);

// 14:20:22.568410 IP6 ::1 > ::1: ICMP6, destination unreachable, unreachable port, ::1 udp port 53, length 90
const UNREACH = fromHex(`
  000000000000 000000000000 86dd
  600f8b92005a3a40 00000000000000000000000000000001 00000000000000000000000000000001
  0104ec8b00000000
  600f0b95002a1140 00000000000000000000000000000001 00000000000000000000000000000001
  ce830035002a003d
  12340100000100000000000003777777076578616d706c6504746573740000010001`);

// 14:20:05.576994 IP6 :: > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28
const MLD2 = fromHex(`
  333300000016 9e67d20e537b 86dd
  6000000000240001 00000000000000000000000000000000 ff020000000000000000000000000016
  3a00050200000100
  8f001c0100000001 04000000 ff0200000000000000000001ff0e537b`);

// 14:20:05.448971 IP6 :: > ff02::1:ff2c:6f07: ICMP6, neighbor solicitation, who has fe80::ac66:9cff:fe2c:6f07, length 32
const NS = fromHex(`
  3333ff2c6f07 ae669c2c6f07 86dd
  6000000000203aff 00000000000000000000000000000000 ff0200000000000000000001ff2c6f07
  87004cf500000000 fe80000000000000ac669cfffe2c6f07 0e0182f8e3fb9466`);

const record = (data: Uint8Array): CaptureRecord => ({ data }) as unknown as CaptureRecord;
const fields = (names: string[], pkt: Packet): string[] => new FieldSelector(names).values(record(pkt.data), pkt);

describe('icmpv6', () => {
  it('decodes an echo request', () => {
    const pkt = decodePacket(ECHO, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ipv6', 'icmpv6', 'data']);
    const l = pkt.layer<Icmpv6>('icmpv6')!;
    expect([l.type, l.code, l.checksum, l.identifier, l.sequence]).toEqual([128, 0, 0x763b, 0x1234, 1]);
    expect(fields(['icmpv6.type', 'icmpv6.code', 'icmpv6.echo.identifier'], pkt)).toEqual(['128', '0', '0x1234']);
    expect(summarize(pkt)).toBe('IP6 ::1 > ::1: ICMP6, echo request, id 4660, seq 1, length 64');
  });

  it('decodes the packet a destination unreachable quotes', () => {
    const pkt = decodePacket(UNREACH, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ipv6', 'icmpv6', 'ipv6', 'udp', 'dns']);
    expect(fields(['ipv6.nxt', 'udp.srcport', 'dns.qry.name'], pkt)).toEqual(['58,17', '52867', 'www.example.test']);
    expect(summarize(pkt)).toBe('IP6 ::1 > ::1: ICMP6, destination unreachable, unreachable port, ::1 udp port 53, length 90');
  });

  it('shows type and code from the first byte on, as tshark does, and never throws when cut', () => {
    for (const cut of prefixes(UNREACH)) {
      if (cut.length < 54) continue;
      const pkt = decodePacket(cut, 1);
      const n = cut.length - 54;
      const [type, code] = fields(['icmpv6.type', 'icmpv6.code'], pkt);
      expect(type).toBe(n >= 1 ? '1' : '');
      expect(code).toBe(n >= 2 ? '4' : '');
      if (n >= 1 && n < 8) expect(pkt.failure?.layer).toBe('icmpv6');
      if (n >= 8) expect(pkt.layers[2]!.quotesPacket).toBe(true);
      if (n >= 8 + 40 + 4) expect(fields(['udp.dstport'], pkt)).toEqual(['53']);
    }
  });

  it('reads an MLDv2 report after a hop-by-hop header', () => {
    const pkt = decodePacket(MLD2, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ipv6', 'ipv6.hopopts', 'icmpv6']);
    const m = pkt.layer<Icmpv6>('icmpv6')!.mld as MldReport;
    expect(m.recordCount).toBe(1);
    expect(m.records).toEqual([{ type: 4, group: 'ff02::1:ff0e:537b', sources: [], auxData: new Uint8Array(0) }]);
    expect(summarize(pkt)).toBe('IP6 :: > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28');
  });

  it('reads a neighbor solicitation and its options', () => {
    const pkt = decodePacket(NS, 1);
    const l = pkt.layer<Icmpv6>('icmpv6')!;
    expect(l.target).toBe('fe80::ac66:9cff:fe2c:6f07');
    expect(l.options.map((o) => [o.type, o.length])).toEqual([[14, 8]]);
    // Neighbor discovery is all header: nothing is carried.
    expect(l.header).toEqual(NS.subarray(54, 62));
    expect(l.message).toEqual(NS.subarray(54));
    expect(l.payload).toHaveLength(0);
    expect(summarize(pkt)).toBe('IP6 :: > ff02::1:ff2c:6f07: ICMP6, neighbor solicitation, who has fe80::ac66:9cff:fe2c:6f07, length 32');
  });

  it('stops the option walk at a zero length instead of looping', () => {
    const bad = NS.slice();
    bad[bad.length - 7] = 0;
    expect(decodePacket(bad, 1).layer<Icmpv6>('icmpv6')!.options).toEqual([]);
  });

  it('decodes the packet a redirect quotes in its Redirected Header option', () => {
    // The unreachable's quote (48 bytes) carried in a redirect: target, destination, option 4.
    const quote = UNREACH.subarray(62, 110);
    const body = fromHex(`
      89000000 00000000 fe800000000000000000000000000009 00000000000000000000000000000001
      0407000000000000`);
    const ip = fromHex('6000000000603aff 00000000000000000000000000000001 00000000000000000000000000000001');
    const pkt = decodePacket(new Uint8Array([...ECHO.subarray(0, 14), ...ip, ...body, ...quote]), 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ipv6', 'icmpv6', 'ipv6', 'udp']);
    const l = pkt.layer<Icmpv6>('icmpv6')!;
    expect(l.target).toBe('fe80::9');
    // The quote starts after the option's type, length and 6 reserved bytes, and ends with the option.
    expect([l.offset, l.payloadOffset, l.payloadEnd]).toEqual([54, 102, 150]);
    expect(l.quoted).toEqual(quote);
    expect(l.message).toHaveLength(96);
    expect(fields(['udp.srcport'], pkt)).toEqual(['52867']);
  });
});
