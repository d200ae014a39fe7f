import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pcap } from './test/run-cli.js';

const tcpdumpD = spawnSync('tcpdump', ['-D'], { encoding: 'utf8' });
const haveTcpdump = tcpdumpD.status === 0;

describe('pcap devices', () => {
  const r = pcap(['devices']);

  it('lists lo as a loopback device with its addresses', () => {
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    const lo = lines.findIndex((l) => /^\d+\.lo /.test(l));
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(lines[lo]).toMatch(/^\d+\.lo \[Up, Running, Loopback\]$/);
    const addresses = [];
    for (let i = lo + 1; i < lines.length && lines[i]!.startsWith(' '); i++) addresses.push(lines[i]!.trim());
    expect(addresses).toContain('inet  127.0.0.1/8');
  });

  it.skipIf(!haveTcpdump)('names devices, descriptions and flags exactly as tcpdump -D does', () => {
    const ours = r.stdout.split('\n').filter((l) => /^\d+\./.test(l));
    expect(ours).toEqual(tcpdumpD.stdout.split('\n').filter(Boolean));
  });

  it('--json prints one object per device with addresses and flags', () => {
    const j = pcap(['devices', '--json']);
    expect(j.status).toBe(0);
    const devices = j.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const lo = devices.find((d) => d.name === 'lo');
    expect(lo).toMatchObject({ loopback: true, up: true, running: true });
    expect(lo.addresses).toContainEqual({ family: 'inet', addr: '127.0.0.1', netmask: '255.0.0.0', broadaddr: null, dstaddr: null });
    expect(devices.length).toBe(r.stdout.split('\n').filter((l) => /^\d+\./.test(l)).length);
  });

  it('has --help with examples', () => {
    const h = pcap(['devices', '--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/Examples:\n  pcap devices\n/);
  });
});
