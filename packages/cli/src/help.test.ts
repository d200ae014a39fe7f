import { describe, expect, it } from 'vitest';
import { pcap } from './test/run-cli.js';

const SUBCOMMANDS = ['devices', 'read', 'capture', 'follow', 'http', 'tcp', 'stats', 'serve'];

describe('pcap --help', () => {
  it('lists every subcommand', () => {
    const r = pcap(['--help']);
    expect(r.status).toBe(0);
    for (const s of SUBCOMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${s} `, 'm'));
  });

  for (const s of SUBCOMMANDS) {
    it(`pcap ${s} --help shows usage and runnable examples`, () => {
      const r = pcap([s, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: pcap ${s} `));
      const examples = r.stdout.slice(r.stdout.indexOf('Examples:\n'));
      expect(examples.split('\n').filter((l) => l.startsWith(`  pcap ${s}`)).length).toBeGreaterThanOrEqual(2);
    });
  }

  it('an unknown subcommand is a usage error', () => {
    const r = pcap(['sniff']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'sniff'/);
  });
});
