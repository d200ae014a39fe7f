import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCaptureFile, openOffline, PcapError, type Packet, type Batch } from './index.js';
import { have, tempDir, udpFrame } from './test/helpers.js';

const dir = tempDir();
afterAll(() => spawnSync('rm', ['-rf', dir]));

const BASE_SEC = 1_700_000_000;

/** Writes `n` UDP frames whose payload starts with the packet index. */
function writeFile(name: string, n: number, precision: 'micro' | 'nano' = 'nano', snaplen = 262144): string {
  const path = join(dir, name);
  const w = createCaptureFile(path, { linkType: 1, precision, snaplen });
  for (let i = 0; i < n; i++) {
    const payload = new Uint8Array(8 + (i % 50));
    new DataView(payload.buffer).setUint32(0, i);
    w.writeBytes(udpFrame(payload), BASE_SEC + i, 123_456_789 + i, 42 + payload.length + (i % 3));
  }
  w.close();
  return path;
}

function collect(path: string, options: Parameters<typeof openOffline>[1] = {}): Promise<{ packets: ReturnType<Packet['copy']>[]; batches: number[] }> {
  return new Promise((resolve, reject) => {
    const c = openOffline(path, options);
    const packets: ReturnType<Packet['copy']>[] = [];
    const batches: number[] = [];
    c.on('batch', (b: Batch) => batches.push(b.count));
    c.on('packet', (p) => packets.push(p.copy()));
    c.on('error', reject);
    c.on('end', () => resolve({ packets, batches }));
  });
}

describe('offline reading of files written with the binding', () => {
  it('reads back every packet with bytes, lengths and nanosecond timestamps', async () => {
    const path = writeFile('nano.pcap', 1000);
    const { packets } = await collect(path);
    expect(packets).toHaveLength(1000);
    for (const [i, p] of packets.entries()) {
      expect(p.seconds).toBe(BASE_SEC + i);
      expect(p.nanoseconds).toBe(123_456_789 + i);
      expect(p.caplen).toBe(50 + (i % 50));
      expect(p.length).toBe(p.caplen + (i % 3));
      expect(p.linkType).toBe(1);
      expect(new DataView(p.data.buffer, p.data.byteOffset).getUint32(42)).toBe(i);
    }
    expect(packets[5]!.timestampNs).toBe(BigInt(BASE_SEC + 5) * 1_000_000_000n + 123_456_794n);
  });

  it('a microsecond file keeps microseconds (nanoseconds are a multiple of 1000)', async () => {
    const path = writeFile('micro.pcap', 3, 'micro');
    const { packets } = await collect(path);
    expect(packets.map((p) => p.nanoseconds)).toEqual([123_456_000, 123_456_000, 123_456_000]);
    expect(packets[0]!.timestampUs).toBe((BASE_SEC) * 1_000_000 + 123_456);
  });

  it('delivers bounded batches: never more than batchSize packets per call', async () => {
    const path = writeFile('batches.pcap', 1000);
    const { batches } = await collect(path, { batchSize: 64 });
    expect(Math.max(...batches)).toBe(64);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(batches.length).toBe(Math.ceil(1000 / 64));
  });

  it('a small batch buffer splits batches by bytes without losing packets', async () => {
    // The buffer always fits one snaplen-sized packet, so use a small snaplen.
    const path = writeFile('bytes.pcap', 500, 'nano', 256);
    const { packets, batches } = await collect(path, { batchSize: 1000, batchBytes: 4096 });
    expect(packets).toHaveLength(500);
    expect(batches.length).toBeGreaterThan(10);
    expect(packets.map((p) => new DataView(p.data.buffer, p.data.byteOffset).getUint32(42))).toEqual([...Array(500).keys()]);
  });

  it('timers run between batches of a large file (one batch per turn of the loop)', async () => {
    const path = writeFile('turns.pcap', 5000);
    const c = openOffline(path, { batchSize: 100 });
    // Counted per turn of the loop, not by a timer: the whole file can be read in less than
    // the millisecond a timer waits at the least.
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    let batchesSeen = 0;
    c.on('batch', () => batchesSeen++);
    await new Promise<void>((r) => c.on('end', () => r()));
    spinning = false;
    expect(batchesSeen).toBe(50);
    // Read in one go, the batches would leave the loop no turn between them.
    expect(turns).toBeGreaterThanOrEqual(batchesSeen / 2);
  });

  it('applies a BPF filter to a file', async () => {
    const path = writeFile('filter.pcap', 200);
    // Payload starts at byte 42; keep packets whose index (u32 at 42) is below 10.
    const { packets } = await collect(path, { filter: 'udp[8:4] < 10' });
    expect(packets).toHaveLength(10);
  });

  it('for await yields every packet and ends', async () => {
    const path = writeFile('iter.pcap', 300);
    let n = 0;
    let sum = 0;
    for await (const p of openOffline(path, { batchSize: 7 })) {
      sum += p.borrowedData[45]!;
      n++;
    }
    expect(n).toBe(300);
    expect(sum).toBe([...Array(300).keys()].reduce((a, i) => a + (i & 0xff), 0));
  });

  it('borrowedData expires with its batch; copy() and data do not', async () => {
    const path = writeFile('borrow.pcap', 20);
    const c = openOffline(path, { batchSize: 5 });
    const kept: Packet[] = [];
    const owned: Uint8Array[] = [];
    c.on('packet', (p) => {
      kept.push(p);
      if (kept.length === 1) owned.push(p.data);
    });
    await new Promise<void>((r) => c.on('end', () => r()));
    expect(() => kept[0]!.borrowedData).toThrow(PcapError);
    try {
      void kept[0]!.borrowedData;
    } catch (e) {
      expect((e as PcapError).code).toBe('BORROW_EXPIRED');
    }
    expect(owned[0]![45]).toBe(0);
    expect(kept[0]!.caplen).toBe(50);
  });

  it('reads times from 2038 on as they were written, up to 2106 (seconds are unsigned in a file)', async () => {
    const path = join(dir, 'after-2038.pcap');
    const times = [0x7fffffff, 0x80000000, 0x90000000, 0xffffffff];
    const w = createCaptureFile(path, { linkType: 1, precision: 'nano' });
    for (const s of times) w.writeBytes(udpFrame(new Uint8Array(8)), s, 7);
    w.close();
    const { packets } = await collect(path);
    expect(packets.map((p) => p.seconds)).toEqual(times);
    expect(packets[3]!.timestampNs).toBe(BigInt(0xffffffff) * 1_000_000_000n + 7n);
  });

  it('reads pcapng through libpcap', async (ctx) => {
    if (!have('editcap')) return ctx.skip();
    const path = writeFile('for-ng.pcap', 25);
    const ng = join(dir, 'converted.pcapng');
    expect(spawnSync('editcap', ['-F', 'pcapng', path, ng]).status).toBe(0);
    const { packets } = await collect(ng);
    expect(packets).toHaveLength(25);
    expect(packets[24]!.nanoseconds).toBe(123_456_789 + 24);
  });

  it('what the binding writes, tcpdump reads', (ctx) => {
    if (!have('tcpdump')) return ctx.skip();
    const path = writeFile('tcpdump.pcap', 5, 'micro');
    const out = spawnSync('tcpdump', ['-nn', '-r', path], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/10\.0\.0\.1\.40000 > 10\.0\.0\.2\.40001: UDP, length 8/);
  });
});

describe('offline errors', () => {
  it('a missing file is ENOENT', () => {
    expect(() => openOffline(join(dir, 'nope.pcap'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('a file that is not a capture is BAD_FILE with libpcap reason', () => {
    const path = join(dir, 'text.pcap');
    writeFileSync(path, 'hello, this is not a capture file at all\n');
    try {
      openOffline(path);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PcapError);
      expect((e as PcapError).code).toBe('BAD_FILE');
      expect((e as PcapError).message).toContain(path);
      expect((e as PcapError).pcapMessage).toMatch(/format/);
    }
  });

  it('a bad filter on a file is BAD_FILTER and the handle is released', () => {
    const path = writeFile('badfilter.pcap', 1);
    expect(() => openOffline(path, { filter: 'port' })).toThrow(expect.objectContaining({ code: 'BAD_FILTER', filter: 'port' }));
  });

  it('bad options are refused before libpcap sees them', () => {
    const path = writeFile('opts.pcap', 1);
    expect(() => openOffline(path, { batchSize: 0 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });

  it('stats() on a file reports NOT_SUPPORTED; inject() too', () => {
    const path = writeFile('stats.pcap', 1);
    const c = openOffline(path);
    expect(() => c.stats()).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }));
    expect(() => c.inject(new Uint8Array(60))).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }));
    c.close();
    expect(() => c.stats()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });
});

describe('read errors', () => {
  it('a file cut in the middle of a record: the whole packets, then an error event with READ_ERROR', async () => {
    const path = writeFile('cut.pcap', 10);
    const whole = readFileSync(path);
    const cut = join(dir, 'cut-short.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 20));
    const c = openOffline(cut);
    let n = 0;
    c.on('packet', () => n++);
    const err = await new Promise<PcapError>((resolve) => c.on('error', resolve));
    expect(n).toBe(9);
    expect(err.code).toBe('READ_ERROR');
    expect(err.pcapMessage).toMatch(/truncated/);
    expect(err.path).toBe(cut);
    expect(c.closed).toBe(true);
  });

  it('for await rejects with the read error after the whole packets', async () => {
    const path = writeFile('cut2.pcap', 5);
    const whole = readFileSync(path);
    const cut = join(dir, 'cut2-short.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 3));
    let n = 0;
    await expect(
      (async () => {
        for await (const _ of openOffline(cut)) n++;
      })(),
    ).rejects.toMatchObject({ code: 'READ_ERROR' });
    expect(n).toBe(4);
  });
});

describe('writing capture files', () => {
  it('dump() from a capture copies its link type and precision; append adds to the file', async () => {
    const src = writeFile('src.pcap', 10);
    const out = join(dir, 'copy.pcap');
    const c = openOffline(src);
    const w = c.dump(out);
    c.on('packet', (p) => w.write(p));
    await new Promise<void>((r) => c.on('end', () => r()));
    w.flush();
    w.close();
    w.close();
    const again = openOffline(src);
    const w2 = again.dump(out, { append: true });
    again.on('packet', (p) => w2.write(p));
    await new Promise<void>((r) => again.on('end', () => r()));
    w2.close();
    const { packets } = await collect(out);
    expect(packets).toHaveLength(20);
    expect(packets[10]!.nanoseconds).toBe(123_456_789);
    expect(() => w.writeBytes(new Uint8Array(1), 0)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('packets longer than the snaplen are cut to it, keeping the wire length', async () => {
    const path = join(dir, 'snap.pcap');
    const w = createCaptureFile(path, { snaplen: 64 });
    w.writeBytes(new Uint8Array(200).fill(7), BASE_SEC);
    w.close();
    const { packets } = await collect(path);
    expect(packets[0]!.caplen).toBe(64);
    expect(packets[0]!.length).toBe(200);
    expect(packets[0]!.truncated).toBe(true);
  });
});
