/**
 * Offline sessions on corrupt and truncated files: the packets before the damage, then an
 * `error` event and `complete`; never an uncaught exception. The files come from
 * tools/fixtures/damaged-captures.mjs (cuts and damaged lengths of every fixture, as pcap and
 * as pcapng) and from the corpus. Sessions read through libpcap, so the error text is libpcap's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cutAt, damagedCaptures, damageFound, damageOf, layout, type DamagedCapture } from '../../../tools/fixtures/damaged-captures.mjs';
import { captureFiles, corpusDir, fixturesDir } from './test/captures';

const require = createRequire(import.meta.url);
type Any = any;
const pcap = require('@pcap/compat');

const dir = mkdtempSync(join(tmpdir(), 'compat-corrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

interface Run {
  /** The error `createOfflineSession` threw, when it did. */
  openError?: Any;
  packets: Buffer[];
  events: string[];
  errors: Any[];
}

/** Runs an offline session on `bytes` until `complete`, recording what it emitted. */
function session(bytes: Uint8Array, ext: string): Promise<Run> {
  const file = join(dir, `${written++}.${ext}`);
  writeFileSync(file, bytes);
  return new Promise((resolve) => {
    const run: Run = { packets: [], events: [], errors: [] };
    let s: Any;
    try {
      s = pcap.createOfflineSession(file);
    } catch (e) {
      run.openError = e;
      resolve(run);
      return;
    }
    s.on('packet', (p: Any) => {
      run.events.push('packet');
      run.packets.push(Buffer.from(p.buf.subarray(0, p.header.readUInt32LE(8))));
    });
    s.on('error', (e: Any) => {
      run.events.push('error');
      run.errors.push(e);
    });
    s.on('complete', () => {
      run.events.push('complete');
      // Anything emitted after `complete` would show up here.
      setImmediate(() => resolve(run));
    });
  });
}

/** What libpcap must deliver: the whole packets, then `error` once (for damage), then `complete`. */
function mismatch(c: DamagedCapture, run: Run, whole: Buffer[] | undefined): string {
  if (run.openError) {
    // libpcap reads every header up to the first interface when it opens a file, as v3 did.
    if (c.packets !== 0) return `${c.name}: open failed with ${c.packets} packets before the damage: ${String(run.openError.message)}`;
    if (!(run.openError instanceof Error) || !run.openError.message) return `${c.name}: open threw ${String(run.openError)}`;
    return '';
  }
  const expected = [...Array<string>(c.packets).fill('packet'), ...(c.error ? ['error'] : []), 'complete'];
  if (run.events.join() !== expected.join()) return `${c.name}: events ${run.events.join()} (${run.errors[0]?.message ?? ''}), expected ${expected.join()}`;
  if (whole) {
    for (let i = 0; i < c.packets; i++) if (!run.packets[i]!.equals(whole[i]!)) return `${c.name}: packet ${i + 1} differs`;
  }
  const e = run.errors[0];
  if (e && !(e instanceof Error && e.message.length > 0 && 'code' in e)) return `${c.name}: error without a code or message: ${String(e)}`;
  return '';
}

/** Files libpcap reads when undamaged (it refuses pcapng whose interfaces differ in link type). */
async function readable(files: Array<[string, Uint8Array]>): Promise<Array<[string, Uint8Array, Buffer[]]>> {
  const out: Array<[string, Uint8Array, Buffer[]]> = [];
  for (const [name, bytes] of files) {
    const run = await session(bytes, name.endsWith('.pcapng') ? 'pcapng' : 'pcap');
    if (!run.openError && run.errors.length === 0) out.push([name, bytes, run.packets]);
  }
  return out;
}

const load = (paths: string[]): Array<[string, Uint8Array]> => paths.map((p) => [p, new Uint8Array(readFileSync(p))]);
const fixtureFiles = load(captureFiles(fixturesDir));

describe('offline sessions on corrupt and truncated files', () => {
  it('every fixture cut every 7 bytes of its first three records and damaged every way, as pcap and as pcapng', async () => {
    const sources = await readable(fixtureFiles.filter(([n, b]) => !damageFound(n, b)));
    expect(sources.length).toBeGreaterThanOrEqual(20);
    const whole = new Map(sources.map(([n, , p]) => [n, p]));
    const cases = damagedCaptures(
      sources.map(([n, b]) => [n, b] as const),
      { every: 7 },
    );
    const failures: string[] = [];
    let errors = 0;
    for (const c of cases) {
      const run = await session(c.bytes, c.name.includes('pcapng') ? 'pcapng' : 'pcap');
      const source = c.name.replace(/( as pcapng)?(:| cut at).*$/, '');
      const m = mismatch(c, run, whole.get(source));
      if (m) failures.push(m);
      errors += run.errors.length;
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(errors).toBeGreaterThan(cases.length / 2);
    console.log(`corrupt files: ${cases.length} offline sessions on damaged fixtures, ${errors} error events`);
  });

  it('fixtures/cut-mid-record.pcap: 58 packets, then error naming the truncated dump file, then complete', async () => {
    const run = await session(readFileSync(join(fixturesDir, 'cut-mid-record.pcap')), 'pcap');
    expect(run.packets).toHaveLength(58);
    expect(run.events.slice(-2)).toEqual(['error', 'complete']);
    expect(run.errors[0]).toMatchObject({ code: 'READ_ERROR' });
    expect(run.errors[0].message).toMatch(/truncated dump file/);
  });

  const present = existsSync(corpusDir);
  if (!present) console.log(`skipping the corpus's damaged files: ${corpusDir} is absent`);
  it.skipIf(!present)('every damaged corpus file, and every corpus file cut and damaged', async () => {
    const corpus = load(captureFiles(corpusDir));
    const found = corpus.map(([n, b]) => damageFound(n, b)).filter((c) => c !== undefined);
    const sources = await readable(corpus.filter(([n, b]) => !damageFound(n, b)));
    const cases = [...found];
    for (const [name, bytes] of sources) {
      const l = layout(bytes)!;
      const packets = l.spans.filter((s) => s.packet);
      if (packets.length < 2) continue;
      cases.push(...[10, packets[1]!.start + 5, packets[1]!.end - 3].map((k) => cutAt(name, bytes, l, k)), ...damageOf(name, bytes));
    }
    const failures: string[] = [];
    for (const c of cases) {
      const m = mismatch(c, await session(c.bytes, c.name.includes('pcapng') ? 'pcapng' : 'pcap'), undefined);
      if (m) failures.push(m);
    }
    expect(failures.slice(0, 10)).toEqual([]);
    console.log(`corrupt files: ${cases.length} offline sessions on the corpus (${found.length} found damaged, ${sources.length} readable sources)`);
  });

  it('without an error listener the read error goes to warningHandler and the process carries on', () => {
    const cut = join(dir, 'no-listener.pcap');
    const bytes = readFileSync(join(fixturesDir, 'dns.pcap'));
    const l = layout(bytes)!;
    writeFileSync(cut, bytes.subarray(0, l.spans[3]!.end - 3));
    const script = `
      const pcap = require(${JSON.stringify(require.resolve('@pcap/compat'))});
      const out = [];
      pcap.warningHandler = (m) => out.push('warning ' + m);
      const s = pcap.createOfflineSession(${JSON.stringify(cut)});
      s.on('packet', () => out.push('packet'));
      s.on('complete', () => out.push('complete'));
      process.on('exit', () => console.log(JSON.stringify(out)));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as string[];
    expect(out.slice(0, 2)).toEqual(['packet', 'packet']);
    expect(out[2]).toMatch(/^warning .*truncated dump file/);
    expect(out[3]).toBe('complete');
    expect(out).toHaveLength(4);
  });
});
