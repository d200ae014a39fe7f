/**
 * `pcap read` on corrupt and truncated files: every packet before the damage on stdout (the
 * same lines as for the undamaged file), then one line on stderr and exit status 1, in each
 * output mode. The cases come from tools/fixtures/damaged-captures.mjs, which the library's
 * corrupt-file suite runs at every cut byte; here each kind of damage runs once per format.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutAt, damageFound, damageOf, layout, pcapToPcapng, type DamagedCapture } from '../../../tools/fixtures/damaged-captures.mjs';
import { pcap, REPO, tmpFile, type CliResult } from './test/run-cli.js';

const fixtures = join(REPO, 'fixtures');
const corpus = join(REPO, '..', 'shared', 'corpus');

/** Cut points that land in each part of a file: its magic, its file header, a record header, a packet's data. */
function cuts(name: string, bytes: Uint8Array): DamagedCapture[] {
  const l = layout(bytes)!;
  const second = l.spans.filter((s) => s.packet)[1]!;
  return [2, 10, second.start + 5, second.end - 3].map((k) => cutAt(name, bytes, l, k));
}

function sources(): Array<[string, Uint8Array]> {
  const dns = new Uint8Array(readFileSync(join(fixtures, 'dns.pcap')));
  return [
    ['dns.pcap', dns],
    ['dns.pcapng', pcapToPcapng(dns)],
    ['two-interfaces.pcapng', new Uint8Array(readFileSync(join(fixtures, 'two-interfaces.pcapng')))],
  ];
}

/** The single stderr line, checked to be one clear line without a stack trace. */
function oneLine(r: CliResult): string {
  expect(r.stderr).toMatch(/^pcap: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(/node:internal|^\s+at |Error:/m);
  return r.stderr;
}

function check(c: DamagedCapture, file: string, r: CliResult, expected: string[]): void {
  const lines = r.stdout.split('\n').filter(Boolean);
  expect(lines, c.name).toEqual(expected.slice(0, c.packets));
  if (c.error === null) {
    expect(r.stderr, c.name).toBe('');
    expect(r.status, c.name).toBe(0);
    return;
  }
  expect(r.status, c.name).toBe(1);
  const err = oneLine(r);
  expect(err, c.name).toContain(file);
  if (c.error.offset > 0) expect(err, c.name).toContain(`byte ${c.error.offset}`);
}

describe('pcap read on corrupt and truncated files', () => {
  for (const [name, bytes] of sources()) {
    const whole = tmpFile(name, bytes);
    const modes: Array<[string, string[]]> = [
      ['text', []],
      ['--json', ['--json']],
      ['--fields', ['--fields', 'frame.number,frame.len,ip.src']],
    ];
    const expected = new Map(modes.map(([m, args]) => [m, pcap(['read', ...args, whole]).stdout.split('\n').filter(Boolean)]));
    const cases = [...cuts(name, bytes), ...damageOf(name, bytes)];

    it(`${name}: ${cases.length} cases (cuts and every kind of damage), plain lines`, () => {
      expect(expected.get('text')!.length).toBeGreaterThan(3);
      for (const c of cases) {
        const file = tmpFile(name, c.bytes);
        check(c, file, pcap(['read', file]), expected.get('text')!);
      }
    });

    it(`${name}: the same cases with --json and --fields`, () => {
      for (const c of cases.filter((x) => x.kind !== 'bad-magic')) {
        const file = tmpFile(name, c.bytes);
        for (const [mode, args] of modes.slice(1)) {
          const r = pcap(['read', ...args, file]);
          check(c, file, r, expected.get(mode)!);
          if (mode === '--json') for (const l of r.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(l)).not.toThrow();
        }
      }
    });

    it(`${name}: standard input and a libpcap filter (-f) stop at the damage too`, () => {
      // libpcap reads no pcapng file whose interfaces differ in link type, damaged or not.
      const libpcapReads = pcap(['read', '-f', 'len >= 0', whole]).status === 0;
      for (const c of cuts(name, bytes).slice(1)) {
        const file = tmpFile(name, c.bytes);
        const stdin = pcap(['read', '-'], c.bytes);
        expect(stdin.stdout.split('\n').filter(Boolean), c.name).toEqual(expected.get('text')!.slice(0, c.packets));
        if (c.error) expect(oneLine(stdin)).toMatch(/^pcap: standard input: /);
        expect(stdin.status).toBe(c.error ? 1 : 0);
        if (!libpcapReads) continue;
        // With -f libpcap reads the file; its message differs, the packets and status do not.
        const filtered = pcap(['read', '-f', 'len >= 0', file]);
        expect(filtered.stdout.split('\n').filter(Boolean), c.name).toEqual(expected.get('text')!.slice(0, c.packets));
        expect(filtered.status, c.name).toBe(c.error ? 1 : 0);
        if (c.error) expect(oneLine(filtered)).toContain(file);
      }
    });
  }

  it('fixtures/cut-mid-record.pcap and every damaged corpus file', () => {
    const found: Array<[DamagedCapture, string]> = [];
    const add = (dir: string, name: string): void => {
      const c = damageFound(name, new Uint8Array(readFileSync(join(dir, name))));
      if (c) found.push([c, join(dir, name)]);
    };
    add(fixtures, 'cut-mid-record.pcap');
    if (existsSync(corpus)) {
      for (const f of readdirSync(corpus, { recursive: true, encoding: 'utf8' }).filter((n) => /\.(pcap|pcapng|cap)$/.test(n))) add(corpus, f);
    } else {
      console.log(`skipping the corpus's damaged files: ${corpus} is absent`);
    }
    expect(found.length).toBeGreaterThanOrEqual(1);
    for (const [c, file] of found) {
      const r = pcap(['read', '--fields', 'frame.number', file]);
      expect(r.stdout.split('\n').filter(Boolean).length, c.name).toBe(c.packets);
      expect(r.status, c.name).toBe(1);
      expect(oneLine(r)).toContain(`byte ${c.error!.offset}`);
    }
  });
});
