import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../capture/record.js';
import { FieldSelector } from '../fields.js';
import { decodePacket, type Packet } from '../packet.js';
import { summarize } from '../summary.js';
import { fromHex, prefixes } from '../test/hex.js';
import type { Igmp } from './igmp.js';

// 14:20:06.672991 IP 10.9.0.1 > 239.1.2.3: igmp v2 report 239.1.2.3
const V2_REPORT = fromHex(`
  01005e010203 9e67d20e537b 0800
  46c00020000040000102e9090a090001ef010203 94040000
  1600f8faef010203`);

// 14:20:07.162881 IP 10.9.0.1 > 224.0.0.2: igmp leave 239.1.2.3
const LEAVE = fromHex(`
  01005e000002 9e67d20e537b 0800
  46c00020000040000102fa0b0a090001e0000002 94040000
  1700f7faef010203`);

// 14:20:07.564967 IP 10.9.0.1 > 224.0.0.22: igmp v3 report, 1 group record(s)
const V3_REPORT = fromHex(`
  01005e000016 9e67d20e537b 0800
  46c00028000040000102f9ef0a090001e0000016 94040000
  2200e5f300000001 04000000ef040506`);

const record = (data: Uint8Array): CaptureRecord => ({ data }) as unknown as CaptureRecord;
const fields = (names: string[], pkt: Packet): string[] => new FieldSelector(names).values(record(pkt.data), pkt);

/** The v2 report with another type byte (the checksum is not checked, as in tshark). */
function withType(type: number, maxResp = 0): Uint8Array {
  const b = V2_REPORT.slice();
  b[38] = type;
  b[39] = maxResp;
  return b;
}

describe('igmp', () => {
  it('decodes a v2 report and a leave', () => {
    const pkt = decodePacket(V2_REPORT, 1);
    expect(pkt.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'igmp']);
    const l = pkt.layer<Igmp>('igmp')!;
    expect([l.type, l.version, l.group, l.checksum]).toEqual([0x16, 2, '239.1.2.3', 0xf8fa]);
    expect(fields(['igmp.type', 'igmp.maddr'], pkt)).toEqual(['0x16', '239.1.2.3']);
    expect(summarize(pkt)).toBe('IP 10.9.0.1 > 239.1.2.3: igmp v2 report 239.1.2.3');
    expect(summarize(decodePacket(LEAVE, 1))).toBe('IP 10.9.0.1 > 224.0.0.2: igmp leave 239.1.2.3');
  });

  it('reads the group records of a v3 report', () => {
    const pkt = decodePacket(V3_REPORT, 1);
    const l = pkt.layer<Igmp>('igmp')!;
    expect([l.version, l.recordCount]).toEqual([3, 1]);
    expect(l.records).toEqual([{ type: 4, group: '239.4.5.6', sources: [], auxData: new Uint8Array(0) }]);
    // The whole message is the header.
    expect(l.header).toEqual(V3_REPORT.subarray(38));
    expect(l.payload).toHaveLength(0);
    expect(fields(['igmp.type', 'igmp.maddr'], pkt)).toEqual(['0x22', '239.4.5.6']);
    expect(summarize(pkt)).toBe('IP 10.9.0.1 > 224.0.0.22: igmp v3 report, 1 group record(s)');
  });

  it('tells query versions apart as tshark does', () => {
    expect(decodePacket(withType(0x11, 0), 1).layer<Igmp>('igmp')!.version).toBe(1);
    const v2 = decodePacket(withType(0x11, 100), 1);
    expect(v2.layer<Igmp>('igmp')!.version).toBe(2);
    // tcpdump leaves the default 10 s out.
    expect(summarize(v2)).toBe('IP 10.9.0.1 > 239.1.2.3: igmp query v2 [gaddr 239.1.2.3]');
    expect(summarize(decodePacket(withType(0x11, 50), 1))).toBe('IP 10.9.0.1 > 239.1.2.3: igmp query v2 [max resp time 50] [gaddr 239.1.2.3]');
    // Twelve bytes or more make a v3 query; its max response code 0xfe is 3072 s.
    const v3 = V3_REPORT.slice();
    v3.set([0x11, 0xfe], 38);
    const q3 = decodePacket(v3, 1);
    expect(q3.layer<Igmp>('igmp')!.version).toBe(3);
    expect(summarize(q3)).toBe('IP 10.9.0.1 > 224.0.0.22: igmp query v3 [max resp time 51m12s] [gaddr 0.0.0.1]');
  });

  it('leaves DVMRP, PIMv1 and IGAP to other protocols, and gives mtrace a group', () => {
    for (const t of [0x13, 0x14, 0x40]) expect(fields(['igmp.type', 'igmp.maddr'], decodePacket(withType(t), 1))).toEqual(['', '']);
    expect(fields(['igmp.type', 'igmp.maddr'], decodePacket(withType(0x1f), 1))).toEqual(['0x1f', '239.1.2.3']);
    expect(fields(['igmp.type', 'igmp.maddr'], decodePacket(withType(0x99), 1))).toEqual(['0x99', '']);
  });

  it('shows what was captured of a cut message and never throws', () => {
    for (const cut of prefixes(V3_REPORT)) {
      if (cut.length < 38) continue;
      const pkt = decodePacket(cut, 1);
      const n = cut.length - 38;
      const [type, maddr] = fields(['igmp.type', 'igmp.maddr'], pkt);
      expect(type).toBe(n >= 1 ? '0x22' : '');
      expect(maddr).toBe(n >= 16 ? '239.4.5.6' : '');
      if (n >= 1 && n < 8) expect(pkt.failure?.layer).toBe('igmp');
    }
  });

  it('bounds the record walk by the bytes, whatever the count says', () => {
    const b = V3_REPORT.slice();
    b[45] = 0xff; // 255 records announced, one present
    b[44] = 0xff;
    expect(decodePacket(b, 1).layer<Igmp>('igmp')!.records).toHaveLength(1);
  });
});
