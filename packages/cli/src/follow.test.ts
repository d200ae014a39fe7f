import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenStreams } from './test/follow-golden.js';
import { pcap, REPO, tmpFile } from './test/run-cli.js';

const fixtures = join(REPO, 'fixtures');
const followDirs = existsSync(fixtures) ? readdirSync(fixtures).filter((d) => d.endsWith('.follow') && existsSync(join(fixtures, d.replace(/\.follow$/, '.pcap')))) : [];

interface Followed {
  stream: number;
  client: string;
  server: string;
  c2s: string;
  s2c: string;
  gaps: Array<{ direction: 'c2s' | 's2c'; offset: number; size: number; reason: string }>;
}

const parse = (stdout: string): Followed[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Followed);

describe('pcap follow --json equals tshark -z follow,tcp,raw on every stream of fixtures/', () => {
  it('has fixtures with follow goldens', () => expect(followDirs.length).toBeGreaterThan(0));
  for (const dir of followDirs) {
    const file = join(fixtures, dir.replace(/\.follow$/, '.pcap'));
    it(dir.replace(/\.follow$/, '.pcap'), () => {
      const golden = goldenStreams(join(fixtures, dir));
      const r = pcap(['follow', '--json', file]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const ours = parse(r.stdout);
      expect(ours.map((s) => s.stream)).toEqual(golden.map((g) => g.stream));
      for (const g of golden) {
        const o = ours[g.stream]!;
        // Node 0 sent the stream's first packet; it is the client unless the SYN says otherwise.
        expect([o.client, o.server], `stream ${g.stream} endpoints`).toEqual(g.nodes);
        expect(o.c2s, `stream ${g.stream} client bytes`).toBe(g.hex[0]);
        expect(o.s2c, `stream ${g.stream} server bytes`).toBe(g.hex[1]);
        const gaps = (d: 'c2s' | 's2c') => o.gaps.filter((x) => x.direction === d).map(({ offset, size }) => ({ offset, size }));
        expect(gaps('c2s'), `stream ${g.stream} client gaps`).toEqual(g.gaps[0]);
        expect(gaps('s2c'), `stream ${g.stream} server gaps`).toEqual(g.gaps[1]);
      }
    });
  }
});

describe('pcap follow', () => {
  const reassembly = join(fixtures, 'tcp-reassembly.pcap');

  it('--stream N prints that stream alone, as in the full listing', () => {
    const all = parse(pcap(['follow', '--json', reassembly]).stdout);
    for (const n of [0, 3, 6]) {
      const r = pcap(['follow', '--json', '--stream', String(n), reassembly]);
      expect(r.status).toBe(0);
      expect(parse(r.stdout)).toEqual([all[n]]);
    }
  });

  it('prints nothing for a stream number the file does not have', () => {
    const r = pcap(['follow', '--stream', '99', reassembly]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('shows a stream as text: client as is, server indented, the lost segment marked', () => {
    const r = pcap(['follow', '--stream', '3', reassembly]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe('Stream 3: 192.0.2.21:40003 (client, 1200 bytes) <-> 203.0.113.5:7000 (server, 9 bytes)');
    expect(lines.slice(3, 5)).toEqual(['gap3 line 0000', 'gap3 line 0001']);
    const client = lines.filter((l) => !l.startsWith('\t'));
    const missing = client.indexOf('[300 bytes missing in capture file]');
    expect(missing).toBeGreaterThan(3);
    // The 600 bytes before the hole end with line 0039; the bytes after it start with line 0060.
    expect(client[missing - 1]).toBe('gap3 line 0039');
    expect(client[missing + 1]).toBe('gap3 line 0060');
    expect(lines.filter((l) => l.startsWith('\t'))).toEqual(['\tgot some']);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('turns bytes that are not printable into dots and keeps line breaks', () => {
    const r = pcap(['follow', '--stream', '0', join(fixtures, 'http-keepalive.pcap')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^GET \/ HTTP\/1\.1$/m);
    expect(r.stdout).toMatch(/^\tHTTP\/1\.1 200 OK$/m);
    expect(r.stdout).not.toMatch(/\r/);
  });

  it('prints the streams before the damage of a truncated file, then one error line and status 1', () => {
    const r = pcap(['follow', '--json', join(fixtures, 'cut-mid-record.pcap')]);
    expect(r.status).toBe(1);
    expect(parse(r.stdout).length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/^pcap: .*cut-mid-record\.pcap: file ends inside packet \d+'s data.*\n$/);
  });

  it('reports a file that is not a capture in one line with status 1', () => {
    const r = pcap(['follow', tmpFile('notes.txt', 'hello world, not a capture\n')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^pcap: .*notes\.txt: not a pcap or pcapng file/);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('reads standard input given -', () => {
    const r = pcap(['follow', '--json', '--stream', '1', '-'], readFileSync(reassembly));
    expect(r.status).toBe(0);
    expect(parse(r.stdout)[0]).toMatchObject({ stream: 1, client: '192.0.2.20:40001', c2s: Buffer.from('GET DATA\n').toString('hex') });
  });

  it('treats a bad stream number as a usage error', () => {
    const r = pcap(['follow', '--stream', 'x', reassembly]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/whole number/);
  });
});
