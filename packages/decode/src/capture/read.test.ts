import v8 from 'node:v8';
import vm from 'node:vm';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex } from '../test/hex.js';
import { CaptureFileError } from './errors.js';
import { concat, epb, idb, pcapFile, shb, spb } from './fixture-bytes.js';
import { parseCapture, readCapture, type CaptureSource, type FileReadOptions } from './read.js';
import type { CaptureRecord } from './record.js';
import { removeTempFiles, tempFile } from './tool-readers.js';

afterAll(removeTempFiles);

// 13:48:01.133938 IP 127.0.0.1.1 > 127.0.0.1.57608: Flags [R.], seq 0, ack 3624408344, win 0, length 0
const RST = fromHex(`
  000000000000 000000000000 0800
  450000280000400040063cce7f0000017f000001
  0001e10800000000d808151850140000e3a30000`);

const NG = concat(
  shb('le', [[4, 'fixture']]),
  idb('le', 1, 0, [[2, 'lo']]),
  epb('le', 0, 1_700_000_000_000_001n, RST, RST.length, [[1, 'a comment']]),
  spb('le', RST.length, RST),
  shb('be'),
  idb('be', 1, 0, [[9, [9]]]),
  epb('be', 0, 1_700_000_000_000_000_123n, RST),
);
const PCAP = pcapFile('be', 0xa1b23c4d, 1, [0, 1, 2, 3].map((i) => ({ sec: 1_700_000_000 + i, frac: i * 1000, data: RST })));

async function collect(source: CaptureSource, options?: FileReadOptions): Promise<{ records: CaptureRecord[]; info: unknown }> {
  const reader = readCapture(source, options);
  const records: CaptureRecord[] = [];
  for await (const r of reader) records.push(r);
  return { records, info: reader.info };
}

function syncCollect(bytes: Uint8Array): { records: CaptureRecord[]; info: unknown } {
  const gen = parseCapture(bytes);
  const records: CaptureRecord[] = [];
  for (let n = gen.next(); ; n = gen.next()) {
    if (n.done) return { records, info: n.value };
    records.push(n.value);
  }
}

/** The bytes in chunks of irregular sizes (1 to 37 bytes), as a slow pipe delivers them. */
function pieces(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, n = 1; i < bytes.length; i += n, n = (n * 7 + 3) % 37 || 1) out.push(bytes.slice(i, i + n));
  return out;
}

function webStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

describe('readCapture sources', () => {
  for (const [name, bytes] of [
    ['pcapng', NG],
    ['pcap', PCAP],
  ] as const) {
    const expected = syncCollect(bytes);

    it(`reads ${name} from a path, bytes, a Node stream and a web stream alike`, async () => {
      expect(expected.records.length).toBe(name === 'pcapng' ? 3 : 4);
      const path = tempFile(`sources.${name}`, bytes);
      const sources: [string, () => CaptureSource][] = [
        ['path', () => path],
        ['Uint8Array', () => bytes],
        ['Buffer', () => Buffer.from(bytes)],
        ['Node file stream', () => createReadStream(path, { highWaterMark: 16 })],
        ['Node stream of odd pieces', () => Readable.from(pieces(bytes))],
        ['web ReadableStream', () => webStream(pieces(bytes))],
      ];
      for (const [label, source] of sources) {
        const got = await collect(source());
        expect(got.records, label).toEqual(expected.records);
        expect(got.info, label).toEqual(expected.info);
      }
      // Reads of any size, down to a few bytes that split every record, give the same records.
      for (const chunkSize of [7, 100, 1 << 17]) {
        const got = await collect(path, { chunkSize });
        expect(got.records, `chunkSize ${chunkSize}`).toEqual(expected.records);
      }
    });
  }

  it('keeps the pcapng comments, flags and timeless simple packets through every source', async () => {
    const { records } = await collect(webStream(pieces(NG)));
    expect(records.map((r) => [r.interfaceId, r.comments, r.noTimestamp, r.seconds, r.nanoseconds])).toEqual([
      [0, ['a comment'], undefined, 1_700_000_000, 1000],
      [0, undefined, true, 0, 0],
      [1, undefined, undefined, 1_700_000_000, 123],
    ]);
  });

  it('reads a path that is a FIFO (a shell\'s <(...), /dev/stdin), which cannot be read at an offset', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'pcap-fifo-')), 'capture');
    execFileSync('mkfifo', [fifo]);
    try {
      // Written in odd pieces, so that reads return less than asked for.
      const writing = (async () => {
        const w = createWriteStream(fifo);
        for (const piece of pieces(NG)) if (!w.write(piece)) await once(w, 'drain');
        w.end();
        await once(w, 'close');
      })();
      const got = await collect(fifo);
      await writing;
      expect(got.records).toEqual(syncCollect(NG).records);
    } finally {
      rmSync(dirname(fifo), { recursive: true, force: true });
    }
  });

  it('lets timers run while a loop that never awaits reads a regular file', async () => {
    // Many small reads, and a loop that takes its time over each record without awaiting anything.
    const records = Array.from({ length: 150 }, (_, i) => ({ sec: 1_700_000_000 + i, frac: 0, data: RST }));
    const path = tempFile('turns.pcap', pcapFile('le', 0xa1b2c3d4, 1, records));
    let fired = 0;
    const timer = setInterval(() => fired++, 1);
    let firedBeforeEnd = 0;
    try {
      let n = 0;
      for await (const rec of readCapture(path, { chunkSize: 512 })) {
        const until = Date.now() + 0.2;
        while (Date.now() < until);
        if (++n === records.length) firedBeforeEnd = fired;
        expect(rec.capturedLength).toBe(RST.length);
      }
      expect(n).toBe(records.length);
    } finally {
      clearInterval(timer);
    }
    // The loop takes some 150 ms: a timer every millisecond gets many turns on the way.
    expect(firedBeforeEnd).toBeGreaterThan(2);
  });

  it('refuses a chunk size that is not a positive integer', async () => {
    const path = tempFile('chunk.pcap', PCAP);
    await expect(collect(path, { chunkSize: 0 })).rejects.toThrow(RangeError);
    await expect(collect(path, { chunkSize: 1.5 })).rejects.toThrow(RangeError);
  });

  it('reports a missing path as the file system error, not as a capture error', async () => {
    await expect(collect('/nonexistent/x.pcap')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('names what a non-capture file is', async () => {
    await expect(collect(new TextEncoder().encode('GET / HTTP/1.1\r\n'))).rejects.toThrow(
      'not a pcap or pcapng file: it starts with text ("GET / HTTP/1.1")',
    );
    await expect(collect(Readable.from([]))).rejects.toThrow('not a capture file: the file is empty');
  });

  it('names a non-capture file the same way whatever the chunks it arrives in', async () => {
    // Found by the fuzz suite: text in the first 4 bytes, binary after them. Read in memory
    // the first 16 bytes are judged; streamed, the first chunk alone was.
    const file = fromHex('6478616d706c6503636f6d00000100d4c3b2a102000400');
    const whole = 'not a pcap or pcapng file: its first bytes are 64 78 61 6d, which is no pcap or pcapng magic number';
    expect(() => [...parseCapture(file)]).toThrow(whole);
    for (const n of [1, 4, 5, 15, 16]) {
      const chunks = Array.from({ length: Math.ceil(file.length / n) }, (_, i) => file.slice(i * n, i * n + n));
      await expect(collect(Readable.from(chunks)), `${n}-byte chunks`).rejects.toThrow(whole);
    }
  });

  it('throws TRUNCATED with the packets before it yielded, from a stream too', async () => {
    const cut = NG.subarray(0, NG.length - 3);
    const got: CaptureRecord[] = [];
    const err = await (async () => {
      try {
        for await (const r of readCapture(Readable.from(pieces(cut)))) got.push(r);
      } catch (e) {
        return e as CaptureFileError;
      }
    })();
    expect(got.length).toBe(2);
    expect(err).toBeInstanceOf(CaptureFileError);
    expect(err!.code).toBe('TRUNCATED');
    expect(err!.offset).toBe(NG.length - epb('be', 0, 0n, RST).length);
  });

  it('hands out records in order when next() is called again before the last call settles', async () => {
    const it = readCapture(Readable.from(pieces(PCAP)))[Symbol.asyncIterator]();
    const results = await Promise.all(Array.from({ length: 6 }, () => it.next()));
    expect(results.map((r) => (r.done ? 'done' : (r.value as CaptureRecord).number))).toEqual([1, 2, 3, 4, 'done', 'done']);
  });

  it('closes the file whether the loop ends, breaks or meets damage', async () => {
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const whole = tempFile('whole.pcap', PCAP);
    const damaged = tempFile('damaged.pcap', concat(PCAP, new Uint8Array(16).fill(0xff)));
    const before = openFiles();
    await collect(whole);
    for await (const _ of readCapture(whole)) break;
    for await (const _ of readCapture(whole).batches()) break;
    await expect(collect(damaged)).rejects.toThrow(CaptureFileError);
    await expect(async () => {
      for await (const _ of readCapture(damaged).batches());
    }).rejects.toThrow(CaptureFileError);
    const it = readCapture(damaged)[Symbol.asyncIterator]();
    await it.next();
    await it.return?.();
    expect(openFiles()).toBe(before);
  });

  it('is iterable once', async () => {
    const reader = readCapture(PCAP);
    for await (const _ of reader) break;
    await expect(async () => {
      for await (const _ of reader) break;
    }).rejects.toThrow(/iterated once/);
  });
});

/** A pcap stream of `count` 1000-byte packets produced on demand in 64 KiB chunks that split records anywhere. */
function generated(count: number): { stream: Readable; produced: () => number } {
  const data = new Uint8Array(1000);
  data.set(RST);
  const period = pcapFile('le', 0xa1b2c3d4, 1, Array.from({ length: 1000 }, (_, i) => ({ sec: i, frac: 0, data }))).subarray(24);
  const twice = concat(period, period);
  const total = 24 + count * (16 + data.length);
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= total) return void this.push(null);
      let chunk: Uint8Array;
      if (produced === 0) chunk = pcapFile('le', 0xa1b2c3d4, 1, []);
      else {
        const at = (produced - 24) % period.length;
        chunk = twice.slice(at, at + Math.min(65536, total - produced));
      }
      produced += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, produced: () => produced };
}

describe('readCapture backpressure and memory', () => {
  it('reads the source only as fast as records are consumed', async () => {
    const { stream, produced } = generated(10_000_000); // 10 GB if it were read ahead
    const it = readCapture(stream)[Symbol.asyncIterator]();
    for (let i = 0; i < 100; i++) await it.next();
    for (let i = 0; i < 20; i++) await tick();
    const after100 = produced();
    expect(after100).toBeLessThan(512 * 1024);
    for (let i = 0; i < 1000; i++) await it.next();
    for (let i = 0; i < 20; i++) await tick();
    expect(produced()).toBeGreaterThan(after100);
    expect(produced()).toBeLessThan(1016 * 1100 + 512 * 1024);
    await it.return?.();
    stream.destroy();
  });

  it('reads a web stream only as fast as records are consumed', async () => {
    let pulls = 0;
    const chunk = pcapFile('le', 0xa1b2c3d4, 1, [{ sec: 1, frac: 0, data: RST }]).subarray(24);
    const web = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(pulls++ === 0 ? pcapFile('le', 0xa1b2c3d4, 1, []) : chunk.slice());
      },
    });
    const it = readCapture(web)[Symbol.asyncIterator]();
    for (let i = 0; i < 50; i++) await it.next();
    for (let i = 0; i < 20; i++) await tick();
    expect(pulls).toBeLessThanOrEqual(53);
    await it.return?.();
  });

  it('lets go of a record once it is handed out, even while the rest of its batch waits', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    // One chunk of 100 records: parsed as one batch, handed out one at a time.
    const file = pcapFile('le', 0xa1b2c3d4, 1, Array.from({ length: 100 }, (_, i) => ({ sec: i, frac: 0, data: RST })));
    const it = readCapture(file)[Symbol.asyncIterator]();
    const first = new WeakRef((await it.next()).value as CaptureRecord);
    const second = (await it.next()).value as CaptureRecord;
    gc();
    await tick();
    gc();
    // The reader still holds the 98 records to come, but not the one the caller dropped.
    expect(first.deref()).toBeUndefined();
    expect(second.seconds).toBe(1);
    let rest = 0;
    for (let r = await it.next(); !r.done; r = await it.next()) rest++;
    expect(rest).toBe(98);
  });

  it(
    'reads a record as large as libpcap allows from a stream of one-byte chunks without stalling',
    async () => {
      // 262,144 chunks wait for the record to be whole. Taking them off the front of an array
      // one shift at a time moved every waiting chunk each time: minutes for this file.
      const big = new Uint8Array(262_144).fill(0xab);
      big.set(RST, 0);
      const file = pcapFile('le', 0xa1b2c3d4, 1, [{ sec: 1, frac: 0, data: big }, { sec: 2, frac: 0, data: RST }], 262_144);
      async function* bytes(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < file.length; i++) yield file.subarray(i, i + 1);
      }
      const got = await collect(bytes());
      expect(got.records.map((r) => r.capturedLength)).toEqual([262_144, RST.length]);
      expect(got.records[0]!.data).toEqual(big);
    },
    // The fuzz suite's bound for one input: a stall, not a measure of speed.
    30_000,
  );

  it('keeps memory flat over 200,000 packets (200 MB) from a stream', async () => {
    const count = 200_000;
    const { stream } = generated(count);
    // Garbage comes and goes with the collector's timing; what must stay flat is what survives a
    // full collection, so sample after one.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const retained = async () => {
      // Freed array buffers are released by a background sweeper; collect, let it run, collect.
      gc();
      await tick();
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    let base = 0;
    let peak = 0;
    let n = 0;
    let bytes = 0;
    for await (const r of readCapture(stream)) {
      n++;
      bytes += r.capturedLength;
      // The first sample is the baseline: by then code is compiled and buffers are at size.
      if (n === 20_000) base = await retained();
      else if (n % 20_000 === 0) peak = Math.max(peak, (await retained()) - base);
    }
    expect(n).toBe(count);
    expect(bytes).toBe(count * 1000);
    // Holding the packets would retain 200 MB; streaming retains a few chunks.
    console.log(`peak retained growth over the last ${count - 20_000} packets: ${(peak / 1048576).toFixed(1)} MB`);
    expect(peak).toBeLessThan(8 * 1024 * 1024);
  });
});
