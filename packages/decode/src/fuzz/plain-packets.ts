/** Packets of the common shape (see packet-shape.ts) for the tests that hold the direct readers to the decoders. */
import { captureFiles, SEED_DIRS } from '@pcap/fuzz';
import { readFileSync } from 'node:fs';
import { parseCapture } from '../capture/read.js';
import type { CaptureRecord } from '../capture/record.js';

/** A capture record of `data`. */
export function record(data: Uint8Array, linkType = 1, originalLength = data.length, number = 1): CaptureRecord {
  return { seconds: 1_700_000_000, nanoseconds: 123_456_789, capturedLength: data.length, originalLength, linkType, interfaceId: undefined, data, number };
}

/** Writes `v` big-endian at `o`. */
export const be16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v >>> 8;
  b[o + 1] = v & 0xff;
};

/**
 * Ethernet, IPv4 or IPv6, then TCP or UDP with `payload` bytes: a packet of the common shape.
 * For ICMP (1) and ICMPv6 (58), an 8-byte header whose first bytes are the "ports".
 */
export function plain(v6: boolean, transport: 6 | 17 | 1 | 58, sport: number, dport: number, payload: number, fill: number): Uint8Array {
  const l4 = transport === 6 ? 20 : 8;
  const ip = v6 ? 40 : 20;
  const b = new Uint8Array(14 + ip + l4 + payload).fill(fill);
  b.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], 0);
  be16(b, 12, v6 ? 0x86dd : 0x0800);
  if (v6) {
    b[14] = 0x60;
    b[15] = 0;
    be16(b, 18, l4 + payload);
    b[20] = transport;
  } else {
    b[14] = 0x45;
    be16(b, 16, 20 + l4 + payload);
    be16(b, 20, 0x4000);
    b[23] = transport;
  }
  const t = 14 + ip;
  be16(b, t, sport);
  be16(b, t + 2, dport);
  if (transport === 6) b[t + 12] = 0x50;
  else if (transport === 17) be16(b, t + 4, l4 + payload);
  return b;
}

/**
 * `b` (an untagged Ethernet frame with an IPv6 header) with IPv6 option headers inserted
 * after the IPv6 header: for each one its next-header value (0 Hop-by-Hop, 60 Destination
 * Options), its Hdr Ext Len, and the byte its options are filled with (0: Pad1s; 1: one
 * PadN; any other: that byte throughout, which may not walk).
 */
export function withOptionHeaders(b: Uint8Array, headers: ReadonlyArray<{ kind: number; units: number; fill: number }>): Uint8Array {
  const at = 14 + 40;
  const total = headers.reduce((n, h) => n + (h.units + 1) * 8, 0);
  const out = new Uint8Array(b.length + total);
  out.set(b.subarray(0, at));
  out.set(b.subarray(at), at + total);
  let o = at;
  let next = b[20]!;
  out[20] = headers[0]?.kind ?? next;
  headers.forEach((h, k) => {
    const length = (h.units + 1) * 8;
    out[o] = headers[k + 1]?.kind ?? next;
    out[o + 1] = h.units;
    if (h.fill === 1) {
      out[o + 2] = 1;
      out[o + 3] = length - 4;
    } else out.fill(h.fill, o + 2, o + length);
    o += length;
  });
  be16(out, 18, ((b[18]! << 8) | b[19]!) + total);
  return out;
}

/** `b` with an 802.1Q-style tag (TPID `tpid`, VLAN 5) inserted before its EtherType. */
export function withTag(b: Uint8Array, tpid: number): Uint8Array {
  const tagged = new Uint8Array(b.length + 4);
  tagged.set(b.subarray(0, 12));
  be16(tagged, 12, tpid);
  be16(tagged, 14, 5);
  tagged.set(b.subarray(12), 16);
  return tagged;
}

/**
 * The records of every capture file of the fixtures and the corpus, a file at a time (a
 * damaged file gives the records before its damage).
 */
export function* seedCaptures(): Generator<{ file: string; records: CaptureRecord[] }> {
  for (const dir of SEED_DIRS) {
    for (const file of captureFiles(dir)) {
      const records: CaptureRecord[] = [];
      try {
        for (const rec of parseCapture(new Uint8Array(readFileSync(file)))) records.push(rec);
      } catch (e) {
        if (!(e instanceof Error) || e.name !== 'CaptureFileError') throw e;
      }
      yield { file, records };
    }
  }
}
