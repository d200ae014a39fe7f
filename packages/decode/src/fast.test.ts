import { describe, expect, it } from 'vitest';
import { CaptureFileError } from './capture/errors.js';
import { FlowTuple, readFlowTuple, scanCapture } from './fast.js';
import { fromHex, prefixes } from './test/hex.js';

// 13:48:01.133843 IP 127.0.0.1.57608 > 127.0.0.1.1: Flags [S], seq 3624408343, win 65495, length 0
const SYN = fromHex(`
  000000000000 000000000000 0800
  4500003ce6344000400656857f0000017f000001
  e1080001d808151700000000a002ffd7fe300000 0204ffd7 0402 080a21a8bbcf00000000 01 03030a`);

// IP6 2001:db8::1.5353 > ff02::fb.5353: UDP behind a hop-by-hop header (router alert) and a QinQ pair of tags.
const V6 = fromHex(`
  333300000001 020000000001 88a8 0064 8100 00c8 86dd
  6000000000180001 20010db8000000000000000000000001 ff0200000000000000000000000000fb
  11 00 05020000 0100
  14e914e900080000`);

function pcap(records: Uint8Array[]): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number): void => void parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  u32(0xa1b2c3d4);
  parts.push(2, 0, 4, 0);
  u32(0);
  u32(0);
  u32(65535);
  u32(1);
  records.forEach((r, i) => {
    u32(100 + i);
    u32(7);
    u32(r.length);
    u32(r.length);
    parts.push(...r);
  });
  return Uint8Array.from(parts);
}

describe('fast path', () => {
  it('reads the 5-tuple of an IPv4 TCP packet', () => {
    const t = new FlowTuple();
    expect(readFlowTuple(SYN, 1, t)).toBe(true);
    expect([t.ipVersion, t.protocol, t.src, t.srcPort, t.dst, t.dstPort]).toEqual([4, 6, '127.0.0.1', 57608, '127.0.0.1', 1]);
    expect([t.networkOffset, t.transportOffset]).toEqual([14, 34]);
  });

  it('walks stacked VLAN tags and IPv6 extension headers', () => {
    const t = new FlowTuple();
    expect(readFlowTuple(V6, 1, t)).toBe(true);
    expect([t.ipVersion, t.protocol, t.src, t.srcPort, t.dst, t.dstPort]).toEqual([6, 17, '2001:db8::1', 5353, 'ff02::fb', 5353]);
  });

  it('gives no ports for a later IPv4 fragment', () => {
    const frag = SYN.slice();
    frag[14 + 7] = 0x10; // fragment offset 16 × 8 bytes
    const t = new FlowTuple();
    expect(readFlowTuple(frag, 1, t)).toBe(false);
    expect([t.ipVersion, t.protocol, t.srcPort]).toEqual([4, 6, -1]);
  });

  it('never throws and never reads past the end on any truncation', () => {
    const t = new FlowTuple();
    for (const cut of [...prefixes(SYN), ...prefixes(V6)]) {
      const got = readFlowTuple(cut, 1, t);
      if (got) expect(t.transportOffset + 4).toBeLessThanOrEqual(cut.length);
    }
    expect(readFlowTuple(SYN, 1, t, 0, 37)).toBe(false);
  });

  it('visits every record of a pcap without objects, with times and offsets', () => {
    const seen: Array<[number, number, number, number, number]> = [];
    const n = scanCapture(pcap([SYN, V6]), (_b, s, e, lt, sec, ns) => seen.push([s, e - s, lt, sec, ns]));
    expect(n).toBe(2);
    expect(seen).toEqual([
      [40, SYN.length, 1, 100, 7000],
      [40 + SYN.length + 16, V6.length, 1, 101, 7000],
    ]);
  });

  it('throws the reader error for a file cut mid-record, after visiting the whole records', () => {
    const file = pcap([SYN, V6]);
    let visited = 0;
    expect(() => scanCapture(file.subarray(0, file.length - 3), () => visited++)).toThrow(CaptureFileError);
    expect(visited).toBe(1);
  });
});
