import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveTcpdump, pcap, pcapFile, REPO, tcpdump, tmpFile } from './test/run-cli.js';

const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Ethernet + IPv4 + TCP (PSH|ACK unless `flags` says) carrying `data`; checksums are not printed, so left 0. */
function segment(sport: number, dport: number, data: Uint8Array, flags = 0x18): Uint8Array {
  const f = new Uint8Array(14 + 20 + 20 + data.length);
  const v = new DataView(f.buffer);
  f.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]);
  v.setUint8(14, 0x45);
  v.setUint16(16, 40 + data.length);
  v.setUint8(22, 64);
  v.setUint8(23, 6);
  f.set([10, 0, 0, 1, 10, 0, 0, 2], 26);
  v.setUint16(34, sport);
  v.setUint16(36, dport);
  v.setUint32(38, 1);
  v.setUint32(42, 1);
  v.setUint8(46, 0x50);
  v.setUint8(47, flags);
  v.setUint16(48, 502);
  f.set(data, 54);
  return f;
}

/** The end of each TCP line, from its length on: where tcpdump names what the segment carries. */
function tails(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.includes(': Flags ['))
    .map((l) => l.slice(l.lastIndexOf(', length ')));
}

describe.skipIf(!haveTcpdump)('pcap read: HTTP lines after TCP, as tcpdump prints them', () => {
  it('names requests and responses on ports 80 and 8080 exactly as tcpdump -nn does', () => {
    const GET = enc('GET /x HTTP/1.1\r\nHost: a\r\n\r\n');
    const frames = [
      ...[80, 8080, 443, 3128].map((port) => segment(40000, port, GET)),
      segment(80, 40000, enc('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')),
      segment(80, 40000, enc('HTTP/1.1 20x OK\r\n')),
      segment(8080, 80, enc('HTTP/1.0 404 Not Found\n')),
      segment(80, 40000, enc('hello world\r\n')),
      segment(80, 40000, enc('GET /no-end HTTP/1.1')),
      segment(80, 40000, enc('get /lower HTTP/1.1\r\n')),
      segment(80, 40000, enc('PROPFIND /d HTTP/1.1\r\n')),
      segment(80, 40000, enc('GET\r\n')),
      segment(80, 40000, enc('GET /a\rb HTTP/1.1\r\n')),
      segment(80, 40000, enc('GET\t/tab HTTP/1.1\r\n')),
      segment(80, 40000, enc('  GET /indented HTTP/1.1\r\n')),
      segment(80, 40000, enc('GET /\x01 HTTP/1.1\r\n')),
      segment(80, 40000, enc('GET /\xff HTTP/1.1\r\n')),
      segment(80, 40000, enc('GET / HTTP/1.1\r\n'), 0x04),
    ];
    const packets: Parameters<typeof pcapFile>[0] = frames.map((data, i) => ({ data, seconds: 1_700_000_000, micros: i }));
    // Two more cut by the snapshot length: inside the first word, and inside the line.
    for (const keep of [57, 62]) packets.push({ data: frames[0]!.subarray(0, keep), seconds: 1_700_000_000, micros: 99, orig: frames[0]!.length });
    const file = tmpFile('http-lines.pcap', pcapFile(packets));
    const theirs = tails(tcpdump(file));
    const r = pcap(['read', file]);
    expect(r.status).toBe(0);
    expect(tails(r.stdout)).toEqual(theirs);
    // What the cases are about, so that tcpdump's own change would not go unnoticed.
    expect(theirs.slice(0, 5)).toEqual([
      ', length 28: HTTP: GET /x HTTP/1.1',
      ', length 28: HTTP: GET /x HTTP/1.1',
      ', length 28',
      ', length 28',
      ', length 38: HTTP: HTTP/1.1 200 OK',
    ]);
    expect(theirs.at(-1)).toBe(', length 28: HTTP [|http]');
  });

  it('matches tcpdump on the HTTP fixtures', () => {
    for (const name of ['http-keepalive', 'http-variants']) {
      const file = join(REPO, 'fixtures', `${name}.pcap`);
      const theirs = tails(tcpdump(file));
      expect(theirs.some((t) => t.includes(': HTTP: '))).toBe(true);
      expect(tails(pcap(['read', file]).stdout), name).toEqual(theirs);
    }
  });
});
