import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePacket, summarize } from '@pcap/decode';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_MESSAGE, exampleFrame, type Carrier } from './frame.js';

const CARRIERS: Carrier[] = [
  { table: 'udp.port', key: 9999 },
  { table: 'udp.port', key: 40000 },
  { table: 'tcp.port', key: 7777 },
  { table: 'ip.proto', key: 253 },
  { table: 'ethertype', key: 0x88b5 },
];

/** The one's-complement sum of 16-bit words: 0xffff over a region whose checksum is right. */
function onesSum(bytes: Uint8Array | number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function hasTcpdump(): boolean {
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const TCPDUMP = hasTcpdump();
if (!TCPDUMP) console.warn('frame.test.ts: tcpdump is not installed; the tcpdump line of the example frames is not checked');

describe('exampleFrame', () => {
  it('lays out the frame one header a line and ends with the example message', () => {
    for (const c of CARRIERS) {
      const f = exampleFrame(c);
      expect(f.hexLines.join('').replace(/ /g, '')).toBe(Buffer.from(f.bytes).toString('hex'));
      expect([...f.bytes.subarray(f.headerOffset)]).toEqual([...EXAMPLE_MESSAGE]);
      expect(f.hexLines.at(-1)).toBe('0001 0008 70696e67');
    }
    expect(exampleFrame({ table: 'udp.port', key: 9999 }).hexLines).toEqual([
      '020000000002 020000000001 0800',
      '45000024 00014000 4011b6c4 c0000201 c0000202',
      '9c40 270f 0010 d9a0',
      '0001 0008 70696e67',
    ]);
  });

  it('carries correct IPv4, UDP and TCP checksums', () => {
    for (const c of CARRIERS.filter((x) => x.table !== 'ethertype')) {
      const b = exampleFrame(c).bytes;
      expect(onesSum(b.subarray(14, 34)), c.table).toBe(0xffff);
      if (c.table === 'udp.port' || c.table === 'tcp.port') {
        const segment = b.subarray(34);
        const pseudo = [...b.subarray(26, 34), 0, b[23]!, segment.length >> 8, segment.length & 0xff];
        expect(onesSum([...pseudo, ...segment]), c.table).toBe(0xffff);
      }
    }
  });

  it('names the layers below the message as @pcap/decode decodes them, and the start of their summary', () => {
    for (const c of CARRIERS) {
      const f = exampleFrame(c);
      const pkt = decodePacket(f.bytes.subarray(0, f.headerOffset + 1), 1);
      // One byte past the lower layers: the table row is consulted, and finds nothing yet.
      expect(pkt.layers.map((l) => l.protocol), c.table).toEqual([...f.lower, 'data']);
      // The built-in summary of the carrier starts with the same addresses and ports.
      expect(summarize(decodePacket(f.bytes, 1)).startsWith(f.summaryPrefix), c.table).toBe(true);
    }
  });

  it.skipIf(!TCPDUMP)('gives the line tcpdump prints for the frame', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scaffold-frame-'));
    try {
      for (const c of CARRIERS) {
        const f = exampleFrame(c);
        const header = Buffer.alloc(24);
        header.writeUInt32LE(0xa1b2c3d4, 0);
        header.writeUInt16LE(2, 4);
        header.writeUInt16LE(4, 6);
        header.writeUInt32LE(65535, 16);
        header.writeUInt32LE(1, 20);
        const record = Buffer.alloc(16);
        record.writeUInt32LE(f.bytes.length, 8);
        record.writeUInt32LE(f.bytes.length, 12);
        const file = join(dir, `${c.table}-${c.key}.pcap`);
        writeFileSync(file, Buffer.concat([header, record, f.bytes]));
        const text = execFileSync('tcpdump', ['-nn', '-t', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        expect(text.split('\n')[0]!.trimEnd(), `${c.table} ${c.key}`).toBe(f.tcpdump);
        const verbose = execFileSync('tcpdump', ['-nn', '-t', '-vv', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        expect(verbose).not.toMatch(/bad|incorrect/i);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
