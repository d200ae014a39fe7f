#!/usr/bin/env node
// Offline read speed: packets per second through the binding compared with a plain C
// pcap_next_ex loop on the same file (same run, reported as ratios; no pass/fail).
//   node bench/offline-count.mjs [--packets 1000000]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCaptureFile, openOffline } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { packets: { type: 'string', default: '1000000' } } });
const total = Number(values.packets);
const work = join(tmpdir(), `pcap-native-bench-${process.pid}`);
mkdirSync(work, { recursive: true });
const file = join(work, 'bench.pcap');

// Mixed sizes like real traffic: mostly small, some full-size.
const w = createCaptureFile(file, { precision: 'nano' });
const sizes = [60, 60, 66, 74, 120, 590, 1514];
const frames = sizes.map((s) => new Uint8Array(s).map((_, i) => i & 0xff));
for (let i = 0; i < total; i++) w.writeBytes(frames[i % frames.length], 1_700_000_000 + (i >>> 10), i % 1e9);
w.close();

// Best of several runs: the machine is shared, and the minimum is the least disturbed.
const RUNS = 5;

function time(fn) {
  let best = { out: undefined, ms: Infinity };
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const out = fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms < best.ms) best = { out, ms };
  }
  return best;
}

async function timeAsync(fn) {
  let best = { out: undefined, ms: Infinity };
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const out = await fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms < best.ms) best = { out, ms };
  }
  return best;
}

const results = [];
const bin = join(work, 'pcap-count');
const cc = spawnSync('cc', ['-O2', '-o', bin, join(here, 'pcap-count.c'), '-lpcap']);
if (cc.status === 0 && existsSync(bin)) {
  const c = time(() => spawnSync(bin, [file], { encoding: 'utf8' }).stdout.trim());
  results.push({ name: 'C pcap_next_ex loop', ms: c.ms, packets: Number(c.out.split(' ')[0]) });
} else {
  console.log('C baseline skipped: cc or libpcap headers missing');
}

const batch = await timeAsync(
  () =>
    new Promise((resolve) => {
      let n = 0;
      const cap = openOffline(file, { batchSize: 1024 });
      cap.on('batch', (b) => (n += b.count));
      cap.on('end', () => resolve(n));
    }),
);
results.push({ name: "@pcap/native 'batch' events", ms: batch.ms, packets: batch.out });

const perPacket = await timeAsync(
  () =>
    new Promise((resolve) => {
      let n = 0;
      let sum = 0;
      const cap = openOffline(file, { batchSize: 1024 });
      cap.on('packet', (p) => {
        n++;
        sum += p.borrowedData[p.caplen - 1];
      });
      cap.on('end', () => resolve(n + sum * 0));
    }),
);
results.push({ name: "@pcap/native 'packet' events + byte read", ms: perPacket.ms, packets: perPacket.out });

const iter = await timeAsync(async () => {
  let n = 0;
  for await (const _ of openOffline(file, { batchSize: 1024 })) n++;
  return n;
});
results.push({ name: '@pcap/native for await', ms: iter.ms, packets: iter.out });

const base = results[0];
console.log(`offline read of ${total} packets, best of ${RUNS} runs each`);
for (const r of results) {
  const rate = (r.packets / r.ms) * 1000;
  const ratio = base && r !== base ? `  ${(base.ms / r.ms).toFixed(2)}× the C loop's speed` : '';
  console.log(`${r.name.padEnd(44)} ${r.ms.toFixed(0).padStart(7)} ms  ${(rate / 1e6).toFixed(2)} Mpkt/s${ratio}`);
}
rmSync(work, { recursive: true, force: true });
