import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveTcpdump, pcap, REPO, tcpdump, tmpFile } from './test/run-cli.js';

const fixtures = join(REPO, 'fixtures');

/** Columns of a fixture's tshark golden, by field name. */
function golden(name: string): { rows: string[][]; col: (field: string) => number } {
  const fields = readFileSync(join(fixtures, 'fields.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t')[0]!);
  const rows = readFileSync(join(fixtures, `${name}.fields.tsv`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
  return { rows, col: (f) => fields.indexOf(f) };
}

describe('pcap read -f (BPF on files, through libpcap)', () => {
  it('keeps exactly the packets tshark shows with the matching protocol', () => {
    for (const [file, filter, field] of [
      ['dns', 'tcp', 'tcp.srcport'],
      ['dns', 'udp', 'udp.srcport'],
      ['linux-sll', 'ip6', 'ipv6.src'],
      ['raw-ip', 'ip6', 'ipv6.src'],
      ['arp-icmp', 'arp', 'arp.opcode'],
    ] as const) {
      const g = golden(file);
      const want = g.rows.filter((r) => r[g.col(field)] !== '').map((r) => r[g.col('frame.time_epoch')]);
      const r = pcap(['read', '-f', filter, '--fields', 'frame.time_epoch', join(fixtures, `${file}.pcap`)]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(want.length, `${file} ${filter}`).toBeGreaterThan(0);
      expect(r.stdout.trimEnd().split('\n'), `${file}.pcap -f '${filter}'`).toEqual(want);
    }
  });

  it.skipIf(!haveTcpdump)('selects the same packets as tcpdump -r with the same filter', () => {
    for (const filter of ['udp port 53', 'tcp[tcpflags] & tcp-syn != 0', 'icmp or icmp6', 'net 198.51.100.0/24 and not port 80']) {
      for (const name of ['dns.pcap', 'ipv6.pcap', 'arp-icmp.pcap', 'http-variants.pcap']) {
        const file = join(fixtures, name);
        const theirs = tcpdump(file, filter).split('\n').filter(Boolean).map((l) => l.slice(0, 15));
        const r = pcap(['read', '-f', filter, file]);
        expect(r.status).toBe(0);
        const ours = r.stdout.split('\n').filter(Boolean).map((l) => l.slice(0, 15));
        expect(ours, `${name} -f '${filter}'`).toEqual(theirs);
      }
    }
  });

  it('works on standard input', () => {
    const r = pcap(['read', '-f', 'udp port 53', '-c', '2', '-'], readFileSync(join(fixtures, 'dns.pcap')));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      '03:04:05.001000 IP 192.0.2.30.53001 > 198.51.100.53.53: 6657+ [1au] A? www.example.com. (56)\n' +
        '03:04:05.002000 IP 198.51.100.53.53 > 192.0.2.30.53001: 6657 3/2/3 CNAME web.cdn.example.com., A 203.0.113.10, A 203.0.113.11 (178)\n',
    );
  });

  it("reports a filter libpcap cannot compile as a usage error with libpcap's message", () => {
    const r = pcap(['read', '-f', 'tcp prot 80', join(fixtures, 'dns.pcap')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('pcap: invalid filter "tcp prot 80": can\'t parse filter expression: syntax error\n');
  });

  it('prints every matching packet before the damage of a truncated file, then one error line and status 1', () => {
    const r = pcap(['read', '-f', 'tcp', join(fixtures, 'cut-mid-record.pcap')]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').length).toBeGreaterThan(50);
    expect(r.stderr).toMatch(/^pcap: .*cut-mid-record\.pcap: truncated dump file; tried to read \d+ captured bytes, only got \d+\n$/);
  });

  it('says a file that is not a capture is not one, in one line with status 1', () => {
    const r = pcap(['read', '-f', 'tcp', tmpFile('notes.txt', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^pcap: .*notes\.txt: not a capture file libpcap can read: unknown file format\n$/);
  });

  it('says a corrupt record header is damage, after the packets before it', () => {
    const good = readFileSync(join(fixtures, 'dns.pcap'));
    // Packet 3's record header claims a 16 MiB capture: libpcap refuses it.
    let at = 24;
    for (let i = 0; i < 2; i++) at += 16 + good.readUInt32LE(at + 8);
    const bad = Buffer.from(good);
    bad.writeUInt32LE(0x01000000, at + 8);
    const r = pcap(['read', '-f', 'udp', tmpFile('corrupt.pcap', bad)]);
    expect(r.status).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^pcap: .*corrupt\.pcap: .*\n$/);
  });

  it('reports a missing file in one line', () => {
    const r = pcap(['read', '-f', 'tcp', '/nonexistent/x.pcap']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('pcap: /nonexistent/x.pcap: no such file\n');
  });
});
