import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pcap, pcapFile } from './test/run-cli.js';

const hex = (s: string): Uint8Array => Buffer.from(s.replace(/\s+/g, ''), 'hex');
// 13:48:01.102706 IP 127.0.0.1.43219 > 127.0.0.1.9999: UDP, length 5
const UDP = hex('000000000000 000000000000 0800 45000021372f40004011059b7f0000017f000001 a8d3270f000dfe20 68656c6c6f');
const dir = mkdtempSync(join(tmpdir(), 'pcap-modes-'));
const FILE = join(dir, 'udp.pcap');
writeFileSync(
  FILE,
  pcapFile([
    { data: UDP, seconds: 1795700881, micros: 102706 },
    { data: UDP.subarray(0, 40), seconds: 1795700882, micros: 5, orig: UDP.length },
  ]),
);

describe('pcap read output modes', () => {
  it('--json prints one object per packet with stable keys for every layer', () => {
    const r = pcap(['read', '--json', FILE]);
    expect(r.status).toBe(0);
    const [a, b] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(a.frame).toEqual({ number: 1, time_epoch: '1795700881.102706000', len: 47, cap_len: 47, link_type: 1 });
    expect(a.layers.map((l: { protocol: string }) => l.protocol)).toEqual(['eth', 'ip', 'udp', 'data']);
    expect(a.layers[2]).toMatchObject({ protocol: 'udp', offset: 34, fields: { 'udp.srcport': '43219', 'udp.dstport': '9999', 'udp.length': '13' } });
    // The second packet was cut by the snaplen inside the UDP header: the fields that were
    // captured are kept (as tshark keeps them), then the failure says what was missing.
    expect(b.layers.map((l: { protocol: string }) => l.protocol)).toEqual(['eth', 'ip', 'udp', '_failure']);
    expect(b.layers[1].truncated).toBe(true);
    expect(b.layers[2]).toMatchObject({ truncated: true, fields: { 'udp.srcport': '43219', 'udp.dstport': '9999', 'udp.length': '13' } });
    expect(b.layers[2].fields['udp.checksum']).toBeUndefined();
    expect(b.layers[3].error).toEqual({ layer: 'udp', reason: 'minimum header', required: 8, actual: 6 });
  });

  it('-v adds the layer tree and -x the hex dump', () => {
    const r = pcap(['read', '-v', '-x', '-c', '1', FILE]);
    expect(r.stdout.split('\n')).toEqual([
      '13:48:01.102706 IP 127.0.0.1.43219 > 127.0.0.1.9999: UDP, length 5',
      '    eth eth.dst=00:00:00:00:00:00 eth.src=00:00:00:00:00:00 eth.type=0x0800',
      '    ip ip.version=4 ip.hdr_len=20 ip.dsfield=0x00 ip.len=33 ip.id=0x372f ip.flags.df=1 ip.flags.mf=0 ip.frag_offset=0 ip.ttl=64 ip.proto=17 ip.checksum=0x059b ip.src=127.0.0.1 ip.dst=127.0.0.1',
      '    udp udp.srcport=43219 udp.dstport=9999 udp.port=43219,9999 udp.length=13 udp.checksum=0xfe20',
      expect.stringMatching(/^    data /),
      '\t0x0000:  0000 0000 0000 0000 0000 0000 0800 4500',
      '\t0x0010:  0021 372f 4000 4011 059b 7f00 0001 7f00',
      '\t0x0020:  0001 a8d3 270f 000d fe20 6865 6c6c 6f',
      '',
    ]);
  });

  it('never colours output into a pipe', () => {
    const r = pcap(['read', FILE]);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('rejects --json with --fields as a usage error', () => {
    const r = pcap(['read', '--json', '--fields', 'ip.src', FILE]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('pcap: --fields and --json cannot be used together\n');
  });
});

describe('pcap stats', () => {
  it('counts packets, bytes, time span, the protocol hierarchy and conversations', () => {
    const r = pcap(['stats', '--json', FILE]);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      packets: 2,
      bytesOnWire: 94,
      bytesCaptured: 87,
      truncatedPackets: 1,
      malformedPackets: 1,
      firstTime: '2026-11-26T13:48:01.102706000Z',
      durationSeconds: 0.897299,
      linkTypes: { 'ETHERNET (1)': 2 },
    });
    expect(s.hierarchy.slice(0, 3)).toEqual([
      { path: 'eth', depth: 0, packets: 2, bytes: 94 },
      { path: 'ip', depth: 1, packets: 2, bytes: 94 },
      { path: 'udp', depth: 2, packets: 2, bytes: 94 },
    ]);
    expect(s.conversations[0]).toEqual({ kind: 'UDP', a: '127.0.0.1:43219', b: '127.0.0.1:9999', packets: 2, bytes: 94 });
  });

  it('reports a damaged file after the statistics of what came before, with status 1', () => {
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, pcapFile([{ data: UDP, seconds: 1, micros: 0 }]).subarray(0, 50));
    const r = pcap(['stats', cut]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^Packets: +0$/m);
    expect(r.stderr).toMatch(/file ends inside packet 1's data/);
  });
});
