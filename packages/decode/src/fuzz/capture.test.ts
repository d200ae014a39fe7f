import { afterAll, describe, expect, it } from 'vitest';
import { CaptureFileError } from '../capture/errors.js';
import { concat, epb, idb, opb, pcapFile, shb, spb } from '../capture/fixture-bytes.js';
import { parseCapture, readCapture } from '../capture/read.js';
import { PcapWriter } from '../capture/write-pcap.js';
import { PcapngWriter } from '../capture/write-pcapng.js';
import { fromHex } from '../test/hex.js';
import { mutate } from './mutate.js';
import { Prng } from './prng.js';
import { ITERATIONS, MAX_REPORTED, SEED, SEED_DIRS, STALL_MS, TEST_TIMEOUT_MS } from './settings.js';
import { loadSeeds, type SeedFile } from './sources.js';
import { HAND_MADE } from './seeds.js';
import { Watchdog } from './watchdog.js';

// Never crash, capture files: damaged pcap and pcapng files may only end in a CaptureFileError
// (after their whole packets), never in another exception, a hang or unbounded records; the
// streaming reader, fed odd chunk sizes, ends exactly as the in-memory one.

const FILE_ITERATIONS = Math.max(100, Math.floor(ITERATIONS / 5));
/** Seed files larger than this are not mutated whole (each run would copy them). */
const MAX_MUTATED_FILE = 64 * 1024;

function generatedFiles(): SeedFile[] {
  const packets = HAND_MADE.slice(0, 8).map((s) => fromHex(s.hex));
  const ng = new PcapngWriter({ application: 'fuzz', comments: ['section'] });
  ng.addInterface({ name: 'eth0', tsresol: 9, snaplen: 128 });
  ng.addInterface({ name: 'eth1', description: 'two', tsresol: 0x80 | 20, tsoffset: 100 });
  packets.forEach((p, i) => ng.write({ interfaceId: i % 2, seconds: 1000 + i, nanoseconds: i * 7, data: p, comments: i % 3 ? [] : ['c'] }));
  const pcap = new PcapWriter({ precision: 'nano', bigEndian: true });
  packets.forEach((p, i) => pcap.write({ seconds: i, nanoseconds: i, data: p }));
  const p0 = packets[0]!;
  return [
    { origin: 'generated pcapng', bytes: ng.bytes() },
    { origin: 'generated pcap', bytes: pcap.bytes() },
    {
      origin: 'generated pcapng, every block kind, two sections',
      bytes: concat(shb('be'), idb('be', 1, 64), epb('be', 0, 5n, p0), spb('be', p0.length, p0.subarray(0, 64)), opb('be', 0, 1, 7n, p0), shb('le'), idb('le', 101, 0), epb('le', 0, 1n, p0)),
    },
    { origin: 'generated modified pcap', bytes: pcapFile('le', 0xa1b2cd34, 1, packets.map((data, i) => ({ sec: i, frac: i, data }))) },
  ];
}

const watchdog = new Watchdog(STALL_MS);
afterAll(() => watchdog.stop());

/** How reading a file ended: records seen and the error's code and message, or a finding. */
interface Outcome {
  records: number;
  error?: string;
}

function readSync(bytes: Uint8Array, problems: string[]): Outcome {
  let records = 0;
  try {
    for (const r of parseCapture(bytes)) {
      records++;
      if (r.number !== records) problems.push(`record ${records} is numbered ${r.number}`);
      if (r.data.length !== r.capturedLength) problems.push(`record ${records} holds ${r.data.length} bytes but claims ${r.capturedLength}`);
      if (records * 12 > bytes.length) problems.push(`${records} records from ${bytes.length} bytes`);
      if (problems.length) break;
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) {
      problems.push(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      return { records };
    }
    if (e.packetsRead !== records) problems.push(`error says ${e.packetsRead} packets were read, ${records} were`);
    if (!(e.offset >= 0 && e.offset <= bytes.length)) problems.push(`error offset ${e.offset} outside the ${bytes.length}-byte file`);
    return { records, error: `${e.code}: ${e.message}` };
  }
  return { records };
}

async function readStreamed(bytes: Uint8Array, chunk: number): Promise<Outcome> {
  async function* pieces() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.slice(i, i + chunk);
  }
  let records = 0;
  try {
    for await (const _ of readCapture(pieces())) records++;
  } catch (e) {
    if (!(e instanceof CaptureFileError)) return { records, error: `threw ${String(e)}` };
    return { records, error: `${e.code}: ${e.message}` };
  }
  return { records };
}

describe('never crash: capture file readers', () => {
  const { files } = loadSeeds(SEED_DIRS, 0);
  const seedFiles = [...generatedFiles(), ...files.filter((f) => f.bytes.length <= MAX_MUTATED_FILE)];

  it('read every seed file whole, as the streaming reader does', async () => {
    for (const f of seedFiles) {
      const problems: string[] = [];
      const sync = readSync(f.bytes, problems);
      expect(problems, f.origin).toEqual([]);
      expect(await readStreamed(f.bytes, 1000), f.origin).toEqual(sync);
    }
  });

  it(`only ever throw CaptureFileError on ${FILE_ITERATIONS} damaged files (seed ${SEED})`, async () => {
    const rng = new Prng(SEED ^ 0xf11e);
    const donors = seedFiles.map((f) => f.bytes.subarray(0, 512));
    const findings: string[] = [];
    const codes = new Map<string, number>();
    for (let i = 0; i < FILE_ITERATIONS && findings.length < MAX_REPORTED; i++) {
      const from = rng.pick(seedFiles);
      // Damage concentrates where the headers are: in the first few hundred bytes, or anywhere.
      const head = rng.chance(0.5) ? Math.min(from.bytes.length, 256 + rng.below(768)) : from.bytes.length;
      const damaged = concat(mutate(rng, from.bytes.subarray(0, head), donors, head + 64), from.bytes.subarray(head));
      watchdog.enter(damaged, -1, i);
      const problems: string[] = [];
      const sync = readSync(damaged, problems);
      const code = sync.error?.split(':')[0] ?? 'OK';
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (i % 4 === 0 && problems.length === 0) {
        const streamed = await readStreamed(damaged, 1 + rng.below(3000));
        if (streamed.records !== sync.records || streamed.error !== sync.error) {
          problems.push(`streaming read ${streamed.records} records and ended "${streamed.error}", in memory ${sync.records} and "${sync.error}"`);
        }
      }
      if (problems.length) {
        findings.push(`iteration ${i} (seed ${SEED}, from ${from.origin}): ${problems.join('; ')} — file: ${Buffer.from(damaged.subarray(0, 2048)).toString('hex')}`);
      }
    }
    console.log(`fuzz: ${FILE_ITERATIONS} damaged capture files from ${seedFiles.length} seeds; endings: ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}`);
    expect(findings).toEqual([]);
  }, TEST_TIMEOUT_MS);
});
