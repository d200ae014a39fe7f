#!/usr/bin/env node
// Live soak: captures on `lo` with a BPF filter while a separate process sends UDP to
// loopback at a bounded rate, decodes every packet with @pcap/decode, samples memory every
// few seconds and fails when resident memory keeps growing.
//   pnpm --filter @pcap/native soak                     10 minutes (needs root or CAP_NET_RAW)
//   node scripts/soak.mjs --minutes 2 --rate 1000       shorter / gentler
//   node scripts/soak.mjs --json samples.json           also write every sample
// Options: --minutes (10), --rate packets per second (2000), --sample seconds (5),
// --timeout the capture's buffer timeout in ms (50; it sets how many batches a second),
// --max-growth-mb (8): the allowed difference between the mean RSS of the last window and of
// the second window (a window is a minute, or a fifth of a shorter run; the first is warm-up).
// The generator stops after minutes × 60 × rate packets, so the traffic is bounded in total.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: process.env.SOAK_MINUTES ?? '10' },
    rate: { type: 'string', default: '2000' },
    sample: { type: 'string', default: '5' },
    'max-growth-mb': { type: 'string', default: '8' },
    port: { type: 'string', default: String(41000 + (process.pid % 1000)) },
    timeout: { type: 'string', default: '50' },
    json: { type: 'string' },
    generate: { type: 'boolean', default: false },
  },
});

const minutes = Number(values.minutes);
const rate = Math.floor(Number(values.rate));
const port = Number(values.port);
if (!(minutes > 0) || !(rate > 0 && rate <= 100_000) || !(port > 0 && port < 65536)) {
  console.error('soak: --minutes must be > 0, --rate between 1 and 100000, --port a UDP port');
  process.exit(2);
}

if (values.generate) {
  await generate();
} else {
  await soak();
}

/** The traffic: `rate` datagrams a second in 10 ms ticks, sizes cycling 16–1216 bytes, then stop. */
async function generate() {
  const total = Math.round(minutes * 60 * rate);
  const socket = dgram.createSocket('udp4');
  const perTick = rate / 100;
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 10 + 1) * perTick));
    while (sent < due) {
      const size = 16 + ((sent * 37) % 1200);
      const b = Buffer.alloc(size);
      b.write('soak', 0, 'latin1');
      b.writeUInt32BE(sent >>> 0, 4);
      socket.send(b, port, '127.0.0.1');
      sent++;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 50));
  socket.close();
  process.stdout.write(`${JSON.stringify({ sent })}\n`);
}

async function soak() {
  if (process.getuid?.() !== 0) console.warn('soak: not root; opening lo needs CAP_NET_RAW and CAP_NET_ADMIN');
  const { openLive } = await import('../dist/index.js');
  let decode;
  try {
    decode = await import('@pcap/decode');
  } catch (err) {
    console.error(`soak: @pcap/decode is not built (pnpm --filter @pcap/decode build): ${err.message}`);
    process.exit(1);
  }
  const durationMs = minutes * 60_000;
  const sampleMs = Number(values.sample) * 1000;
  const capture = openLive('lo', { filter: `udp dst port ${port} and src host 127.0.0.1`, bufferSize: 16 << 20, timeout: Number(values.timeout) });
  let captured = 0;
  let batches = 0;
  let wrong = 0;
  let payloadBytes = 0;
  capture.on('batch', () => batches++);
  capture.on('packet', (p) => {
    captured++;
    const pkt = decode.decodePacket(p.borrowedData, capture.linkType, { originalLength: p.length });
    const udp = pkt.layer('udp');
    if (!udp || udp.dstport !== port || pkt.failure) wrong++;
    else payloadBytes += udp.payload?.length ?? 0;
  });
  capture.on('error', (e) => {
    console.error(`soak: capture error ${e.code}: ${e.message}`);
    process.exitCode = 1;
  });

  const samples = [];
  const started = performance.now();
  const take = () => {
    const m = process.memoryUsage();
    const s = capture.closed ? { recv: 0, drop: 0 } : capture.stats();
    samples.push({
      t: Math.round((performance.now() - started) / 1000),
      rssMb: +(m.rss / 2 ** 20).toFixed(2),
      heapMb: +(m.heapUsed / 2 ** 20).toFixed(2),
      externalMb: +(m.external / 2 ** 20).toFixed(2),
      captured,
      drop: s.drop,
    });
  };
  take();
  const sampler = setInterval(take, sampleMs);

  const generator = spawn(process.execPath, [fileURLToPath(import.meta.url), '--generate', '--minutes', String(minutes), '--rate', String(rate), '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let generatorOut = '';
  generator.stdout.on('data', (d) => (generatorOut += d));
  const generatorDone = new Promise((r) => generator.on('close', r));

  await new Promise((r) => setTimeout(r, durationMs));
  await generatorDone;
  await new Promise((r) => setTimeout(r, 500));
  take();
  clearInterval(sampler);
  const stats = capture.stats();
  capture.close();
  const sent = JSON.parse(generatorOut || '{"sent":0}').sent;

  // Windows: a minute each (a fifth of a run shorter than five minutes); the first one is warm-up.
  const windowS = Math.min(60, (minutes * 60) / 5);
  const endS = samples.at(-1).t;
  const mean = (from, to, key) => {
    const xs = samples.filter((x) => x.t >= from && x.t < to).map((x) => x[key]);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
  };
  const baseline = mean(windowS, 2 * windowS, 'rssMb');
  const last = mean(endS - windowS, endS + 1, 'rssMb');
  const growth = last - baseline;
  const maxGrowth = Number(values['max-growth-mb']);
  const perWindow = [];
  for (let from = 0; from < endS; from += windowS) {
    perWindow.push({
      from,
      rssMb: +mean(from, from + windowS, 'rssMb').toFixed(1),
      heapMb: +mean(from, from + windowS, 'heapMb').toFixed(1),
    });
  }
  const rss = samples.map((x) => x.rssMb);
  const summary = {
    minutes,
    rate,
    sent,
    captured,
    batches,
    wrongOrUndecodable: wrong,
    payloadMb: +(payloadBytes / 2 ** 20).toFixed(1),
    stats,
    samples: samples.length,
    rssMinMb: Math.min(...rss),
    rssMaxMb: Math.max(...rss),
    rssBaselineMb: +baseline.toFixed(2),
    rssLastMb: +last.toFixed(2),
    rssGrowthMb: +growth.toFixed(2),
    maxGrowthMb: maxGrowth,
    heapBaselineMb: +mean(windowS, 2 * windowS, 'heapMb').toFixed(2),
    heapLastMb: +mean(endS - windowS, endS + 1, 'heapMb').toFixed(2),
    perWindow,
  };
  if (values.json) writeFileSync(values.json, JSON.stringify({ summary, samples }, null, 1));
  const { perWindow: windows, ...totals } = summary;
  console.log(JSON.stringify(totals, null, 1));
  for (const w of windows) console.log(`from ${w.from}s: mean RSS ${w.rssMb} MB, heap ${w.heapMb} MB`);
  const ok = Number.isFinite(growth) && growth <= maxGrowth && wrong === 0 && captured > 0 && sent > 0;
  console.log(
    ok
      ? `soak: PASS, RSS flat (${growth.toFixed(2)} MB between the second and the last window, limit ${maxGrowth} MB)`
      : `soak: FAIL (RSS growth ${growth.toFixed(2)} MB, limit ${maxGrowth} MB; ${wrong} wrong or undecodable packets; ${captured} captured of ${sent} sent)`,
  );
  process.exitCode = ok ? process.exitCode ?? 0 : 1;
}
