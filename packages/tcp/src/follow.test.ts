import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCapture } from '@pcap/decode';
import { describe, expect, it } from 'vitest';
import { compareStreams, haveTshark, storedFollow, trackFile, tsharkFollow } from './test/follow.js';
import { TcpTracker } from './tracker.js';

// Reassembled bytes of every stream must equal Wireshark's Follow TCP Stream
// (`tshark -q -z follow,tcp,raw,N`), both directions, gaps excepted and reported.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const corpus = resolve(root, '../shared/corpus');
const fixtures = join(root, 'fixtures');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Corpus captures whose stored tshark fields show TCP (column tcp.srcport non-empty). */
function corpusTcpCaptures(): string[] {
  if (!existsSync(corpus)) return [];
  const names = readFileSync(join(corpus, 'fields.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t')[0]);
  const col = names.indexOf('tcp.srcport');
  return walk(corpus)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .filter((f) => {
      const golden = f.replace(/\.pcap(ng)?$/, '.fields.tsv');
      if (!existsSync(golden)) return false;
      return readFileSync(golden, 'utf8')
        .split('\n')
        .some((l) => (l.split('\t')[col] ?? '') !== '');
    })
    .sort();
}

const tcpFiles = corpusTcpCaptures();
const tshark = haveTshark();

describe('reassembly equals tshark follow,tcp,raw on the corpus', () => {
  if (!existsSync(corpus)) {
    it.skip(`corpus absent (${corpus})`, () => {});
    console.log(`skipping corpus comparison: ${corpus} is absent`);
    return;
  }
  if (!tshark) {
    it.skip('tshark absent', () => {});
    console.log('skipping corpus comparison: tshark is not installed');
    return;
  }
  it('finds TCP captures in the corpus', () => {
    expect(tcpFiles.length).toBeGreaterThan(5);
  });
  for (const file of tcpFiles) {
    const name = file.slice(corpus.length + 1);
    it(name, async () => {
      const ours = await trackFile(file);
      if (typeof ours === 'string') {
        console.log(`skipping ${name}: ${ours}`);
        return;
      }
      const theirs = tsharkFollow(file, ours.length);
      expect(compareStreams(ours, theirs)).toEqual([]);
    });
  }
});

const followDirs = existsSync(fixtures) ? readdirSync(fixtures).filter((d) => d.endsWith('.follow') && existsSync(join(fixtures, d.replace(/\.follow$/, '.pcap')))) : [];

describe('reassembly equals the stored follow goldens of fixtures/', () => {
  if (followDirs.length === 0) {
    it.skip('no fixtures/*.follow yet', () => {});
    console.log('skipping fixture comparison: no fixtures/NAME.follow directories');
    return;
  }
  for (const dir of followDirs) {
    it(dir.replace(/\.follow$/, '.pcap'), async () => {
      const ours = await trackFile(join(fixtures, dir.replace(/\.follow$/, '.pcap')));
      if (typeof ours === 'string') throw new Error(ours);
      const theirs = storedFollow(join(fixtures, dir));
      expect(theirs.length).toBeGreaterThan(0);
      expect(compareStreams(ours, theirs)).toEqual([]);
    });
  }
});

describe('fixtures/tcp-reassembly.pcap events', () => {
  const file = join(fixtures, 'tcp-reassembly.pcap');
  if (!existsSync(file)) {
    it.skip('fixtures/tcp-reassembly.pcap absent', () => {});
    console.log('skipping tcp-reassembly event checks: fixtures/tcp-reassembly.pcap is absent');
    return;
  }
  it('reports the overlap with different bytes, the lost segment, the wrap and the resets', async () => {
    const tracker = new TcpTracker();
    const log: string[] = [];
    tracker.on('overlap', (s, o) => log.push(`overlap ${s.id} ${o.side}`));
    tracker.on('gap', (s, g) => log.push(`gap ${s.id} ${g.side} ${g.size} ${g.reason}`));
    tracker.on('close', (s, reason) => log.push(`close ${s.id} ${reason} ${s.family}`));
    for await (const rec of readCapture(file)) tracker.addRecord(rec);
    tracker.end();
    expect(log).toContain('overlap 2 client');
    expect(log).toContain('gap 3 client 300 acked');
    expect(log).toContain('close 2 reset 4');
    expect(log).toContain('close 5 reset 4');
    expect(log).toContain('close 6 fin 6');
    expect(log.filter((l) => l.startsWith('close'))).toHaveLength(7);
  });
});
