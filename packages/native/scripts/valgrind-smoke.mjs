#!/usr/bin/env node
// Drives every native path once, for running under valgrind:
//   pnpm --filter @pcap/native valgrind
// (valgrind --error-exitcode=1 --undef-value-errors=no node scripts/valgrind-smoke.mjs)
// Live parts need root and are skipped otherwise.
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as pcap from '../dist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pcap-valgrind-'));
const file = join(dir, 'v.pcap');
const log = (...a) => console.log('valgrind-smoke:', ...a);

log(pcap.libVersion(), pcap.compileFilter('tcp port 80').length, 'BPF instructions');
try {
  pcap.compileFilter('tcp port');
} catch (e) {
  log('bad filter ->', e.code);
}

const w = pcap.createCaptureFile(file, { precision: 'nano', snaplen: 128 });
for (let i = 0; i < 2000; i++) w.writeBytes(new Uint8Array(60 + (i % 200)).fill(i & 0xff), 1_700_000_000 + i, i);
w.close();

let n = 0;
for await (const p of pcap.openOffline(file, { batchSize: 33, batchBytes: 2048 })) n += p.borrowedData.length > 0 ? 1 : 0;
log('offline packets', n);

const c = pcap.openOffline(file, { batchSize: 10 });
await new Promise((resolve) => {
  c.on('packet', () => c.close());
  c.on('close', resolve);
});

await new Promise((resolve, reject) => {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const { openOffline } = require(workerData.cjs);
     let n = 0;
     openOffline(workerData.file).on('packet', () => n++).on('end', () => parentPort.postMessage(n));`,
    { eval: true, execArgv: [], workerData: { cjs: new URL('../dist/index.cjs', import.meta.url).pathname, file } },
  );
  worker.on('message', (m) => {
    log('worker packets', m);
    worker.terminate().then(resolve);
  });
  worker.on('error', reject);
});

if (process.getuid?.() === 0) {
  log('devices', pcap.listDevices().length);
  const live = pcap.openLive('lo', { immediate: true, bufferSize: 16 << 20, filter: 'udp dst port 49999' });
  const out = live.dump(join(dir, 'live.pcap'));
  let got = 0;
  live.on('packet', (p) => {
    out.write(p);
    if (++got === 20) live.close();
  });
  const s = dgram.createSocket('udp4');
  for (let i = 0; i < 40; i++) s.send(Buffer.alloc(32), 49999, '127.0.0.1');
  await new Promise((r) => live.on('close', r));
  out.close();
  s.close();
  log('live packets', got);
  // The same through a waiting thread, closed from the handler.
  const threaded = pcap.openLive('lo', { immediate: true, wait: 'thread', filter: 'udp dst port 49998' });
  let viaThread = 0;
  threaded.on('packet', () => {
    if (++viaThread === 10) threaded.close();
  });
  const t = dgram.createSocket('udp4');
  const sending = setInterval(() => t.send(Buffer.alloc(32), 49998, '127.0.0.1'), 5);
  await new Promise((r) => threaded.on('close', r));
  clearInterval(sending);
  t.close();
  log('live packets through a waiting thread', viaThread);
  pcap.openLive('lo', { wait: 'thread' }).on('packet', () => {}).pause();
  const inj = pcap.openLive('lo');
  log('injected', inj.inject(new Uint8Array(60)), 'bytes; stats', JSON.stringify(inj.stats()));
  inj.close();
  // Dropped without close: freed by the garbage collector or at exit.
  pcap.openLive('lo').on('packet', () => {}).pause();
}
rmSync(dir, { recursive: true, force: true });
log('done');
