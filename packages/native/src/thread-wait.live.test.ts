// Live capture with `wait: 'thread'`: a thread waits for packets and wakes the event loop.
// It is the only way on Windows (Npcap has no selectable descriptor); here it runs over the
// same libpcap as the polled captures, so the two can be held to the same results.
// Needs root; each test cleans up after itself.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openLive, PcapError, type OwnedPacket } from './index.js';
import { distMissing, isRoot, runNode, sendUdp, senderScript, seqOf, waitFor } from './test/helpers.js';

if (!isRoot) console.log('thread-wait.live.test.ts: skipped, live capture needs root');

const fds = () => readdirSync('/proc/self/fd').length;
const threads = () => readdirSync('/proc/self/task').length;
let nextPort = 46000 + (process.pid % 500);
const port = () => nextPort++;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!isRoot)("live capture with wait: 'thread'", () => {
  it('sees exactly the packets sent, in order, and stats add up; the thread ends with the capture', async () => {
    const p = port();
    const before = threads();
    const c = openLive('lo', { immediate: true, bufferSize: 16 << 20, wait: 'thread', filter: `udp dst port ${p}` });
    const got: OwnedPacket[] = [];
    c.on('packet', (pkt) => got.push(pkt.copy()));
    await sleep(20);
    expect(threads()).toBe(before + 1);
    const sent = await sendUdp({ port: p, count: 500, size: 100 });
    await waitFor(() => got.length >= sent, 5000);
    await sleep(100);
    const stats = c.stats();
    c.close();
    expect(threads()).toBe(before);
    expect(sent).toBe(500);
    expect(got.map((pkt) => seqOf(pkt.data))).toEqual([...Array(500).keys()]);
    expect(got.every((pkt) => pkt.caplen === 14 + 20 + 8 + 100)).toBe(true);
    expect(stats.drop).toBe(0);
  });

  it('without immediate mode, the buffer timeout still delivers a few packets', async () => {
    const p = port();
    const c = openLive('lo', { timeout: 50, wait: 'thread', filter: `udp dst port ${p}` });
    let n = 0;
    c.on('packet', () => n++);
    await sendUdp({ port: p, count: 3 });
    const delivered = await waitFor(() => n >= 3, 3000);
    c.close();
    expect(delivered).toBe(true);
    expect(n).toBe(3);
  });

  it('close inside a packet handler: nothing after it, end and close once', async () => {
    const p = port();
    const c = openLive('lo', { immediate: true, wait: 'thread', filter: `udp dst port ${p}` });
    let seen = 0;
    const events: string[] = [];
    c.on('packet', () => {
      if (++seen === 5) c.close();
    });
    c.on('end', () => events.push('end'));
    c.on('close', () => events.push('close'));
    await sendUdp({ port: p, count: 100 });
    await sleep(200);
    expect(seen).toBe(5);
    expect(events).toEqual(['end', 'close']);
  });

  it('pause holds packets in the kernel buffer; resume delivers every one', async () => {
    const p = port();
    const c = openLive('lo', { immediate: true, bufferSize: 8 << 20, wait: 'thread', filter: `udp dst port ${p}` });
    let n = 0;
    c.on('packet', () => n++);
    await sleep(20);
    c.pause();
    await sendUdp({ port: p, count: 40 });
    await sleep(150);
    expect(n).toBe(0);
    c.resume();
    await waitFor(() => n >= 40, 3000);
    await sleep(50);
    c.close();
    expect(n).toBe(40);
  });

  it('50 open/start/close rounds leave no descriptor or thread behind', async () => {
    const p = port();
    const before = fds();
    for (let i = 0; i < 50; i++) {
      const c = openLive('lo', { immediate: true, wait: 'thread', filter: `udp dst port ${p}` });
      c.on('packet', () => {});
      await new Promise((r) => setImmediate(r));
      c.close();
    }
    await sleep(50);
    expect(fds() - before).toBeLessThanOrEqual(2);
  });

  it('an unknown wait mode is refused before libpcap sees it', () => {
    expect(() => openLive('lo', { wait: 'spin' as 'poll' })).toThrow(PcapError);
  });

  it('unref() lets the process exit; GC of an unclosed one stops its thread; a worker terminated mid-flood', async (ctx) => {
    const missing = distMissing();
    if (missing) return ctx.skip(missing);
    const t0 = Date.now();
    const unrefd = await runNode(
      `const { openLive } = await import(PCAP);
       const c = openLive('lo', { immediate: true, wait: 'thread' });
       c.on('packet', () => {});
       c.unref();
       for (let i = 0; i < 20; i++) openLive('lo', { wait: 'thread' }).on('packet', () => {}).pause();
       for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }`,
      { args: ['--expose-gc'], timeoutMs: 5000 },
    );
    expect(unrefd.code, unrefd.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(4000);

    const p = port();
    const r = await runNode(
      `const { Worker } = await import('node:worker_threads');
       const { spawn } = await import('node:child_process');
       const cjs = PCAP.replace(/index\\.js$/, 'index.cjs');
       const src = \`
         const { parentPort, workerData } = require('node:worker_threads');
         const { openLive } = require(workerData.cjs);
         const c = openLive('lo', { immediate: true, wait: 'thread', filter: 'udp dst port ' + workerData.port });
         let n = 0;
         c.on('packet', () => { if (++n === 1000) parentPort.postMessage('flowing'); });
         parentPort.postMessage('ready');\`;
       const w = new Worker(src, { eval: true, execArgv: [], workerData: { cjs, port: ${p} } });
       const messages = [];
       const flowing = new Promise((res) => w.on('message', (m) => { messages.push(m); if (m === 'flowing') res(); }));
       await new Promise((res) => w.once('message', res));
       const flood = spawn(process.execPath, [${JSON.stringify(senderScript)}, '--port', '${p}', '--seconds', '1']);
       await flowing;
       const code = await w.terminate();
       await new Promise((r) => flood.on('close', r));
       console.log(JSON.stringify({ code }));`,
      { timeoutMs: 30_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ code: 1 });
  });
});
