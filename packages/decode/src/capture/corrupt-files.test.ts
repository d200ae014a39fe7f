/**
 * Corrupt and truncated files: every fixture cut at every byte of its first records (as pcap
 * and rewritten as pcapng), its headers and blocks damaged in each way a length can lie, and
 * every damaged file found in fixtures/ and the corpus. Each yields exactly the whole packets
 * before the damage, then a CaptureFileError naming the byte.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { damagedCaptures, damageFound, layout, type DamagedCapture } from '../../../../tools/fixtures/damaged-captures.mjs';
import { CaptureFileError } from './errors.js';
import { parseCapture, readCapture } from './read.js';
import type { CaptureRecord } from './record.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixtures = join(repo, 'fixtures');
const corpus = resolve(repo, '../shared/corpus');

function captures(dir: string): Array<[string, Uint8Array]> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(pcap|pcapng|cap)$/.test(f))
    .sort()
    .map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]);
}

interface Outcome {
  records: CaptureRecord[];
  error: unknown;
}

function parseAll(bytes: Uint8Array): Outcome {
  const records: CaptureRecord[] = [];
  try {
    for (const r of parseCapture(bytes)) records.push(r);
    return { records, error: null };
  } catch (error) {
    return { records, error };
  }
}

/** The bytes in chunks of 1 to 97 bytes, as a pipe delivers them. */
async function* pieces(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0, n = 1; i < bytes.length; i += n, n = (n * 13 + 5) % 97 || 1) yield bytes.slice(i, i + n);
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Outcome> {
  const records: CaptureRecord[] = [];
  try {
    for await (const r of readCapture(source)) records.push(r);
    return { records, error: null };
  } catch (error) {
    return { records, error };
  }
}

/** Checks one outcome against the case; returns a description of the first difference, or ''. */
function mismatch(c: DamagedCapture, got: Outcome, whole: readonly CaptureRecord[] | undefined): string {
  if (got.records.length !== c.packets) return `${c.name}: ${got.records.length} packets, expected ${c.packets}`;
  if (whole) {
    for (let i = 0; i < c.packets; i++) {
      if (Buffer.compare(got.records[i]!.data, whole[i]!.data) !== 0) return `${c.name}: packet ${i + 1} differs from the undamaged file's`;
    }
  }
  if (c.error === null) return got.error === null ? '' : `${c.name}: unexpected ${String(got.error)}`;
  const e = got.error;
  if (!(e instanceof CaptureFileError)) return `${c.name}: expected a CaptureFileError, got ${String(e)}`;
  if (c.error.code && e.code !== c.error.code) return `${c.name}: code ${e.code}, expected ${c.error.code} (${e.message})`;
  if (e.offset !== c.error.offset) return `${c.name}: offset ${e.offset}, expected ${c.error.offset} (${e.message})`;
  if (e.packetsRead !== c.packets) return `${c.name}: packetsRead ${e.packetsRead}, expected ${c.packets}`;
  // The message names the byte (beyond the file header) and what was wrong there.
  if (e.offset > 0 && !e.message.includes(`byte ${e.offset}`)) return `${c.name}: message does not name byte ${e.offset}: ${e.message}`;
  if (e.message.length < 20 || e.message.includes('\n')) return `${c.name}: unclear message: ${e.message}`;
  return '';
}

const fixtureFiles = captures(fixtures);
const undamaged = fixtureFiles.filter(([n, b]) => !damageFound(n, b));
const generated = damagedCaptures(undamaged);
/** The packets of each undamaged source, to compare the packets read before the damage with. */
const wholeOf = new Map<string, CaptureRecord[]>();
for (const [name, bytes] of undamaged) wholeOf.set(name, [...parseCapture(bytes)]);
const sourceOf = (c: DamagedCapture): CaptureRecord[] | undefined => wholeOf.get(c.name.replace(/( as pcapng)?(:| cut at).*$/, ''));

describe('generated corrupt and truncated files', () => {
  it('cover every fixture cut at every byte of its first three records, as pcap and as pcapng, and every kind of damage', () => {
    expect(undamaged.length).toBeGreaterThanOrEqual(20);
    const kinds = new Set(generated.map((c) => c.kind));
    for (const k of ['cut', 'bad-magic', 'absurd-snaplen', 'caplen-over-snaplen', 'caplen-over-256MiB', 'caplen-past-end']) expect(kinds).toContain(k);
    for (const k of ['bad-byte-order-magic', 'length-mismatch', 'length-not-multiple-of-4', 'length-past-end', 'length-absurd', 'zero-length', 'unknown-interface']) {
      expect(kinds).toContain(k);
    }
    expect(generated.filter((c) => c.name.includes('pcapng') && c.kind === 'cut').length).toBeGreaterThan(5000);
    console.log(`corrupt files: ${generated.length} generated cases from ${undamaged.length} fixtures`);
  });

  it('parseCapture yields exactly the whole packets before the damage, then a CaptureFileError at the damaged byte', () => {
    const failures = generated.map((c) => mismatch(c, parseAll(c.bytes), sourceOf(c))).filter(Boolean);
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('readCapture does the same from a stream of small chunks', async () => {
    const failures: string[] = [];
    for (const c of generated) {
      const m = mismatch(c, await readAll(pieces(c.bytes)), sourceOf(c));
      if (m) failures.push(m);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('a damaged length never makes the reader wait for or buffer more than the file holds', async () => {
    // 256 MiB claimed by one record of a 300-byte file: refused at once, from a stream too.
    const big = generated.filter((c) => c.kind === 'caplen-over-256MiB' || c.kind === 'length-absurd');
    expect(big.length).toBeGreaterThan(10);
    const before = process.memoryUsage().arrayBuffers;
    for (const c of big) expect((await readAll(pieces(c.bytes))).error).toMatchObject({ code: 'CORRUPT' });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
  });
});

describe('damaged files found in fixtures/ and the corpus', () => {
  const found = fixtureFiles.map(([n, b]) => damageFound(`fixtures/${n}`, b)).filter((c) => c !== undefined);

  it('fixtures/cut-mid-record.pcap: the whole packets, then TRUNCATED at the start of the cut record', () => {
    const cut = found.find((c) => c.name === 'fixtures/cut-mid-record.pcap');
    expect(cut).toBeDefined();
    const got = parseAll(cut!.bytes);
    expect(mismatch(cut!, got, undefined)).toBe('');
    expect(got.error).toMatchObject({ code: 'TRUNCATED', offset: cut!.error!.offset });
    expect(got.records).toHaveLength(58);
  });

  const present = existsSync(corpus);
  if (!present) console.log(`skipping the corpus's damaged files: ${corpus} is absent`);
  it.skipIf(!present)('every corpus file tcpdump or our layout walk finds damaged gives its whole packets, then a CaptureFileError', () => {
    const files = captures(corpus);
    const tcpdump = spawnSync('tcpdump', ['--version']).error === undefined;
    const damaged: DamagedCapture[] = [];
    for (const [name, bytes] of files) {
      let c = damageFound(name, bytes);
      if (!c && tcpdump) {
        const r = spawnSync('tcpdump', ['-nn', '-r', join(corpus, name)], { encoding: 'utf8', maxBuffer: 1 << 28 });
        // Only tcpdump's own complaints, not the "reading from file NAME" line (names say "truncated" too).
        if (/^tcpdump: .*(truncated|damaged|bogus|invalid|larger than)/im.test(r.stderr)) {
          c = { name, bytes, packets: r.stdout.split('\n').filter(Boolean).length, kind: 'found', error: { offset: layout(bytes)?.end ?? 0 } };
        }
      }
      if (c) damaged.push(c);
    }
    const failures = damaged.map((c) => mismatch(c, parseAll(c.bytes), undefined)).filter(Boolean);
    expect(failures).toEqual([]);
    console.log(`corrupt files: ${files.length} corpus captures scanned (tcpdump ${tcpdump ? 'and' : 'absent, only'} our walk), ${damaged.length} damaged`);
  });

  it.skipIf(!present)('every corpus file cut inside its first records and damaged like the fixtures', () => {
    const files = captures(corpus).filter(([n, b]) => !damageFound(n, b));
    const cases = damagedCaptures(files, { records: 3, every: 5 });
    const failures = cases.map((c) => mismatch(c, parseAll(c.bytes), undefined)).filter(Boolean);
    expect(failures.slice(0, 10)).toEqual([]);
    console.log(`corrupt files: ${cases.length} cases from ${files.length} corpus captures`);
  });
});
