import { fromSeeds, fuzzAsync, growthDuring, growthDuringAsync, join, noise, runsFor, STALL_MS, timeoutFor, Watchdog, type FuzzInput } from '@pcap/fuzz';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureFileError } from '../capture/errors.js';
import { concat, epb, idb, opb, pcapFile, shb, spb } from '../capture/fixture-bytes.js';
import { parseCapture, readCapture } from '../capture/read.js';
import { PcapWriter } from '../capture/write-pcap.js';
import { PcapngWriter } from '../capture/write-pcapng.js';
import { fromHex } from '../test/hex.js';
import { SEED_DIRS } from './settings.js';
import { loadSeeds, type SeedFile } from './sources.js';
import { HAND_MADE } from './seeds.js';

// Never crash, capture files: damaged pcap and pcapng files may only end in a CaptureFileError
// (after their whole packets), never in another exception, a hang, records out of
// proportion to the file, or memory sized by a length field; the streaming reader, fed odd
// chunk sizes, ends exactly as the in-memory one.

const FILE = 'packages/decode/src/fuzz/capture.test.ts';
/** Seed files larger than this are not mutated whole (each run would copy them). */
const MAX_MUTATED_FILE = 64 * 1024;
/** Bytes at the head of a seed file that mutations change (where the headers are). */
const HEAD = 1024;
/** Memory an input may leave allocated beyond a small multiple of its length; a 100 MB buffer is far above it. */
const GROWTH_ALLOWANCE = 24 * 1024 * 1024;

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

/** How reading a file ended: records seen, their bytes, and the error's code and message. */
interface Outcome {
  records: number;
  bytes: number;
  error?: string;
}

/** Reads in memory; throws on anything but a CaptureFileError, or records that do not add up. */
function readSync(file: Uint8Array): Outcome {
  let records = 0;
  let bytes = 0;
  try {
    for (const r of parseCapture(file)) {
      records++;
      bytes += r.data.length;
      if (r.number !== records) throw new Error(`record ${records} is numbered ${r.number}`);
      if (r.data.length !== r.capturedLength) throw new Error(`record ${records} holds ${r.data.length} bytes but claims ${r.capturedLength}`);
      // Output in proportion to the input: every record costs header bytes and carries its own data.
      if (records * 12 > file.length || bytes > file.length) throw new Error(`${records} records of ${bytes} bytes from a ${file.length}-byte file`);
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    if (e.packetsRead !== records) throw new Error(`error says ${e.packetsRead} packets were read, ${records} were`);
    if (!(e.offset >= 0 && e.offset <= file.length)) throw new Error(`error offset ${e.offset} outside the ${file.length}-byte file`);
    return { records, bytes, error: `${e.code}: ${e.message}` };
  }
  return { records, bytes };
}

/** Reads as a stream whose chunks have the given sizes, in turn. */
async function readStreamed(file: Uint8Array, sizes: readonly number[]): Promise<Outcome> {
  async function* pieces() {
    for (let i = 0, k = 0; i < file.length; k++) {
      const n = sizes[k % sizes.length]!;
      yield file.slice(i, i + n);
      i += n;
    }
  }
  let records = 0;
  let bytes = 0;
  try {
    for await (const r of readCapture(pieces())) {
      records++;
      bytes += r.data.length;
      if (bytes > file.length) throw new Error(`streamed ${bytes} record bytes from a ${file.length}-byte file`);
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    return { records, bytes, error: `${e.code}: ${e.message}` };
  }
  return { records, bytes };
}

/** Odd chunk sizes: single bytes, primes, sizes around headers and records. */
const chunkSizes = fc.array(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 4096 })), { minLength: 1, maxLength: 6 });

describe('never crash: capture file readers', () => {
  const { files } = loadSeeds(SEED_DIRS, 0);
  const seedFiles = [...generatedFiles(), ...files.filter((f) => f.bytes.length <= MAX_MUTATED_FILE)];

  it('read every seed file whole, as the streaming reader does', async () => {
    for (const f of seedFiles) {
      const sync = readSync(f.bytes);
      expect(await readStreamed(f.bytes, [1000]), f.origin).toEqual(sync);
      expect(await readStreamed(f.bytes, [1, 7, 13]), f.origin).toEqual(sync);
    }
  });

  const runs = runsFor(0.2);
  const name = `only ever throw CaptureFileError on ${runs} damaged files, in memory and streamed`;
  it(
    name,
    async () => {
      const heads = seedFiles.map((f) => ({ origin: f.origin, bytes: f.bytes.subarray(0, HEAD) }));
      // Damage lands in the head; the rest of the file follows it unchanged, or not at all.
      const arbitrary = fc.tuple(fromSeeds(heads, { maxLength: HEAD + 256, maxRandom: 512 }), fc.boolean(), chunkSizes).map(([head, whole, sizes]): [FuzzInput, Uint8Array, number[]] => {
        const rest = whole && head.seed >= 0 ? seedFiles[head.seed]!.bytes.subarray(HEAD) : new Uint8Array(0);
        return [head, rest.length ? join(head.bytes, rest) : head.bytes, sizes];
      });
      const endings = new Map<string, number>();
      await fuzzAsync({ name, file: FILE, arbitrary, runs, watch: ([, file, sizes]) => ({ bytes: file, tag: sizes[0]! }) }, watchdog, async ([, file, sizes]) => {
        const sync = readSync(file);
        const code = sync.error?.split(':')[0] ?? 'OK';
        endings.set(code, (endings.get(code) ?? 0) + 1);
        const streamed = await readStreamed(file, sizes);
        if (streamed.records !== sync.records || streamed.error !== sync.error) {
          throw new Error(`streaming read ${streamed.records} records and ended "${streamed.error}", in memory ${sync.records} and "${sync.error}"`);
        }
      });
      console.log(`fuzz: capture endings ${[...endings].map(([c, n]) => `${c} ${n}`).join(', ')}`);
      expect(endings.get('OK') ?? 0).toBeGreaterThan(0);
    },
    timeoutFor(runs),
  );

  const lengthRuns = runsFor(0.02, 300);
  const lengthName = `allocate in proportion to the file, not to its length fields (${lengthRuns} files with absurd lengths)`;
  it(
    lengthName,
    async () => {
      const huge = fc.constantFrom(0xffffffff, 0xfffffffc, 0x7fffffff, 0x80000000, 0x10000000, 0x08000000, 0x08020000, 0x06400000, 0x00ffffff, 0x00040001);
      const length = fc.oneof({ weight: 3, arbitrary: huge }, { weight: 1, arbitrary: fc.nat(0xffff) });
      const body = fc.tuple(fc.nat(256), fc.integer()).map(([n, s]) => noise(n, s));
      const pcap = fc
        .tuple(fc.constantFrom(0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34), fc.boolean(), length, fc.array(fc.tuple(length, length, body), { minLength: 1, maxLength: 3 }))
        .map(([magic, be, snaplen, records]) => {
          const file = pcapFile(be ? 'be' : 'le', magic, 1, records.map(([, orig, data]) => ({ sec: 1, frac: 2, data, orig })), snaplen);
          // Each record's captured length says what the arbitrary chose, not what follows it.
          const dv = new DataView(file.buffer);
          let at = 24;
          for (const [caplen, , data] of records) {
            dv.setUint32(at + 8, caplen, !be);
            at += 16 + (magic === 0xa1b2cd34 ? 8 : 0) + data.length;
          }
          return file;
        });
      // pcapng length fields: [block start, offset in it] of SHB total and section length, IDB total and snaplen, EPB total, captured and original length, trailing totals.
      const pcapng = fc
        .tuple(fc.boolean(), body, fc.array(fc.tuple(fc.nat(8), length), { minLength: 1, maxLength: 3 }), fc.nat())
        .map(([be, data, changes, cut]) => {
          const e = be ? 'be' : 'le';
          const s = shb(e);
          const i = idb(e, 1, 65535);
          const p = epb(e, 0, 1n, data);
          const file = concat(s, i, p, epb(e, 0, 2n, data));
          const at = [4, 16, s.length - 4, s.length + 4, s.length + 12, s.length + i.length + 4, s.length + i.length + 20, s.length + i.length + 24, s.length + i.length + p.length - 4];
          const dv = new DataView(file.buffer);
          for (const [k, v] of changes) dv.setUint32(at[k]!, v, !be);
          return file.subarray(0, file.length - (cut % 64));
        });
      const arbitrary = fc.tuple(fc.oneof(pcap, pcapng), chunkSizes);
      await fuzzAsync({ name: lengthName, file: FILE, arbitrary, runs: lengthRuns, watch: ([file, sizes]) => ({ bytes: file, tag: sizes[0]! }) }, watchdog, async ([file, sizes]) => {
        const limit = GROWTH_ALLOWANCE + 64 * file.length;
        const inMemory = growthDuring(() => void readSync(file));
        if (inMemory > limit) throw new Error(`reading ${file.length} bytes in memory allocated ${inMemory} bytes`);
        const streamed = await growthDuringAsync(async () => void (await readStreamed(file, sizes)));
        if (streamed > limit) throw new Error(`streaming ${file.length} bytes allocated ${streamed} bytes`);
      });
    },
    timeoutFor(lengthRuns),
  );
});
