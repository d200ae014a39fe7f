// Failure modes of a capture's life, exercised on files so they need no privileges;
// lifecycle.live.test.ts repeats the ones that differ for live captures.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCaptureFile, openOffline, libraryInfo, PcapError } from './index.js';
import { distMissing, runNode, tempDir, udpFrame } from './test/helpers.js';

const dir = tempDir();
afterAll(() => spawnSync('rm', ['-rf', dir]));

function writeFile(name: string, n: number): string {
  const path = join(dir, name);
  const w = createCaptureFile(path);
  for (let i = 0; i < n; i++) w.writeBytes(udpFrame(new Uint8Array([i & 0xff, 1, 2, 3])), 1_700_000_000 + i);
  w.close();
  return path;
}

const file = writeFile('life.pcap', 1000);

describe('capture lifecycle', () => {
  it('close inside a packet handler: no later packet is delivered, end and close follow once', async () => {
    const c = openOffline(file, { batchSize: 100 });
    let seen = 0;
    const events: string[] = [];
    c.on('packet', () => {
      seen++;
      if (seen === 3) c.close();
    });
    c.on('end', () => events.push('end'));
    c.on('close', () => events.push('close'));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toBe(3);
    expect(events).toEqual(['end', 'close']);
    expect(c.closed).toBe(true);
  });

  it('close while a batch is pending (read but not yet consumed by for await)', async () => {
    const c = openOffline(file, { batchSize: 100 });
    const it = c[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    const kept = first.value!;
    c.close();
    expect((await it.next()).done).toBe(true);
    expect(() => kept.borrowedData).toThrow(expect.objectContaining({ code: 'BORROW_EXPIRED' }));
    expect(kept.seconds).toBe(1_700_000_000);
  });

  it('double close is harmless, and methods after close say CLOSED', () => {
    const c = openOffline(file);
    c.close();
    c.close();
    expect(() => c.setFilter('udp')).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => c.dump(join(dir, 'x.pcap'))).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('reopen: open, read and close the same file many times', async () => {
    for (let round = 0; round < 20; round++) {
      let n = 0;
      for await (const _ of openOffline(file, { batchSize: 500 })) n++;
      expect(n).toBe(1000);
    }
  });

  it('breaking out of for await closes the capture', async () => {
    const c = openOffline(file);
    let n = 0;
    for await (const _ of c) if (++n === 10) break;
    expect(c.closed).toBe(true);
  });

  it('breakLoop inside a handler stops delivery; resume continues with the rest of the batch', async () => {
    const c = openOffline(file, { batchSize: 100 });
    const got: number[] = [];
    c.on('packet', (p) => {
      got.push(p.borrowedData[42]!);
      if (got.length === 10) c.breakLoop();
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(got).toHaveLength(10);
    expect(c.paused).toBe(true);
    c.resume();
    await new Promise<void>((r) => c.on('end', () => r()));
    expect(got).toHaveLength(1000);
    expect(got.slice(8, 12)).toEqual([8, 9, 10, 11]);
  });

  it('an exception thrown by a handler reaches the caller, not a crash', async () => {
    const r = await runNode(
      `const { openOffline } = await import(PCAP);
       process.on('uncaughtException', (e) => { console.log('caught', e.message); process.exit(0); });
       openOffline(${JSON.stringify(file)}).on('packet', () => { throw new Error('boom'); });`,
    );
    expect(r.stdout.trim()).toBe('caught boom');
  });

  it('GC of unclosed captures releases their files (--expose-gc)', async (ctx) => {
    const missing = distMissing();
    if (missing) return ctx.skip(missing);
    const r = await runNode(
      `const { openOffline } = await import(PCAP);
       import { readdirSync } from 'node:fs';
       const fds = () => readdirSync('/proc/self/fd').length;
       const before = fds();
       (() => { for (let i = 0; i < 200; i++) openOffline(${JSON.stringify(file)}); })();
       const opened = fds();
       for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setImmediate(r)); }
       console.log(JSON.stringify({ before, opened, after: fds() }));`,
      { args: ['--expose-gc'] },
    );
    expect(r.code, r.stderr).toBe(0);
    const { before, opened, after } = JSON.parse(r.stdout) as { before: number; opened: number; after: number };
    expect(opened - before).toBeGreaterThanOrEqual(200);
    expect(after - before).toBeLessThan(10);
  });

  it('worker threads: several read at once, and a worker terminated mid-read tears down cleanly', async (ctx) => {
    const missing = distMissing();
    if (missing) return ctx.skip(missing);
    const r = await runNode(
      `import { Worker } from 'node:worker_threads';
       const src = \`
         const { parentPort, workerData } = require('node:worker_threads');
         const { openOffline } = require(workerData.cjs);
         let n = 0;
         const c = openOffline(workerData.file, { batchSize: 10 });
         c.on('packet', () => { n++; });
         c.on('end', () => parentPort.postMessage(n));\`;
       const cjs = PCAP.replace(/index\\.js$/, 'index.cjs');
       const file = ${JSON.stringify(file)};
       const counts = await Promise.all([0, 1, 2].map(() => new Promise((res, rej) => {
         const w = new Worker(src, { eval: true, execArgv: [], workerData: { cjs, file } });
         w.on('message', res); w.on('error', rej);
       })));
       // Kept alive by a timer, so that however fast it reads, terminate() is what ends it.
       const killed = new Worker(src.replace("on('end'", "on('batch'") + '; setInterval(() => {}, 1000);', { eval: true, execArgv: [], workerData: { cjs, file } });
       await new Promise((res) => killed.once('message', res));
       const code = await killed.terminate();
       console.log(JSON.stringify({ counts, code }));`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ counts: [1000, 1000, 1000], code: 1 });
  });
});

describe('loading', () => {
  it('reports the libpcap that was loaded', () => {
    const info = libraryInfo();
    expect(info.loaded).toBe(true);
    expect(info.library).toMatch(/libpcap/);
    expect(info.version).toMatch(/^libpcap version \d+\.\d+/);
  });

  it('without libpcap the package still loads, and using it names the package to install', async (ctx) => {
    const missing = distMissing();
    if (missing) return ctx.skip(missing);
    const r = await runNode(
      `const m = await import(PCAP);
       console.log(JSON.stringify({ loaded: m.libraryInfo().loaded }));
       try { m.listDevices(); } catch (e) { console.log(JSON.stringify({ code: e.code, name: e.name, message: e.message })); }
       try { m.openOffline('/nonexistent.pcap'); } catch (e) { console.log(JSON.stringify({ code: e.code })); }`,
      { env: { ...process.env, PCAP_NATIVE_LIBPCAP: '/nonexistent/libpcap.so.1' } },
    );
    expect(r.code, r.stderr).toBe(0);
    const [info, err, offline] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(info).toEqual({ loaded: false });
    expect(err!.code).toBe('LIBPCAP_MISSING');
    expect(err!.name).toBe('PcapError');
    expect(err!.message).toContain('libpcap0.8');
    expect(err!.message).toContain('/nonexistent/libpcap.so.1');
    expect(offline).toEqual({ code: 'LIBPCAP_MISSING' });
  });

  it('PcapError is an Error with a code', () => {
    const e = new PcapError('ENODEV', 'x');
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('ENODEV');
  });
});
