#!/usr/bin/env node
// Runs every scenario of the lifecycle suites (src/lifecycle*.test.ts, thread-wait.live.test.ts)
// against the addon, `--rounds N` times, for running under a memory checker:
//   pnpm --filter @pcap/native valgrind        scripts/valgrind.mjs: memcheck, N and 10×N rounds
//   pnpm --filter @pcap/native asan            scripts/asan.mjs: AddressSanitizer build
// Each scenario checks its outcome and the script exits 1 on the first wrong one, so a run
// that "passes" under the checker also behaved. Live scenarios need root and are skipped otherwise.
// Run with --expose-gc so the unclosed-capture scenarios are collected.
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import * as pcap from '../dist/index.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '1' },
    quiet: { type: 'boolean', default: false },
    // Only workers load the addon, one after another: each load follows an unload.
    'workers-only': { type: 'boolean', default: false },
  },
});
const rounds = Math.max(1, Number(values.rounds) || 1);
const live = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'pcap-memcheck-'));
const cjs = new URL('../dist/index.cjs', import.meta.url).pathname;
const log = (...a) => {
  if (!values.quiet) console.log('memcheck:', ...a);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const gc = () => globalThis.gc?.();
let failures = 0;

function check(ok, what) {
  if (!ok) {
    failures++;
    console.error(`memcheck: FAILED ${what}`);
    process.exitCode = 1;
  }
}

function throwsCode(fn, code, what) {
  try {
    fn();
    check(false, `${what}: expected ${code}, nothing thrown`);
  } catch (e) {
    check(e?.code === code, `${what}: expected ${code}, got ${e?.code} ${e?.message}`);
  }
}

/** Resolves when `cond()` holds; fails the run after `ms` (slow under a checker, so generous). */
async function until(cond, what, ms = 30_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) {
      check(false, `timed out: ${what}`);
      return false;
    }
    await sleep(5);
  }
  return true;
}

function udpFrame(i, size = 4) {
  const f = new Uint8Array(42 + size);
  f.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0, 0x45], 0);
  f[23] = 17;
  f[42] = i & 0xff;
  return f;
}

function writeFile(name, n, options = {}) {
  const path = join(dir, name);
  const w = pcap.createCaptureFile(path, options);
  for (let i = 0; i < n; i++) w.writeBytes(udpFrame(i, 4 + (i % 300)), 1_700_000_000 + i, i * 1000);
  w.close();
  return path;
}


/** Each round a worker loads the addon, writes, filters and reads a file, and exits. */
async function workersOnly() {
  const src = `const { parentPort, workerData } = require('node:worker_threads');
    const { createCaptureFile, openOffline, compileFilter } = require(workerData.cjs);
    const path = workerData.dir + '/w' + workerData.round + '.pcap';
    const w = createCaptureFile(path);
    for (let i = 0; i < 100; i++) w.writeBytes(new Uint8Array(60 + i), 1_700_000_000 + i);
    w.close();
    let n = compileFilter('udp').length > 0 ? 0 : -1e9;
    openOffline(path, { filter: 'greater 100' }).on('packet', () => n++).on('end', () => parentPort.postMessage(n));`;
  for (let round = 0; round < rounds; round++) {
    const watchdog = setTimeout(() => {
      check(false, `worker ${round} did not finish within 180 s`);
      process.exit(1);
    }, 180_000);
    const worker = new Worker(src, { eval: true, execArgv: [], workerData: { cjs, dir, round } });
    const exited = new Promise((r) => worker.once('exit', r));
    const n = await new Promise((res, rej) => {
      worker.once('message', res);
      worker.once('error', rej);
    });
    await exited;
    clearTimeout(watchdog);
    check(n === 60, `worker ${round} read ${n} packets`);
  }
  const mapped = readFileSync('/proc/self/maps', 'utf8').includes('pcap_native');
  check(!mapped, 'the addon is still mapped after every worker exited: the reload path was not exercised');
  rmSync(dir, { recursive: true, force: true });
  console.log(`memcheck: workers-only × ${rounds} rounds, ${failures} failed`);
}

// Made by allScenarios(), so that the workers-only mode never loads the addon here.
let file;

// On lo in immediate mode, libpcap sizes ring slots by the MTU (64 KiB): with the default
// 2 MiB buffer only 16 looped-back packets fit. Small slots keep the bursts below whole.
const burst = { immediate: true, snaplen: 2048 };
let nextPort = 49000 + (process.pid % 200) * 4;
let sender;
function send(port, count, size = 32) {
  for (let i = 0; i < count; i++) sender.send(Buffer.alloc(size, i & 0xff), port, '127.0.0.1');
}

const offline = {
  async filters() {
    check(pcap.compileFilter('tcp port 80').length > 4, 'compileFilter');
    throwsCode(() => pcap.compileFilter('tcp port'), 'BAD_FILTER', 'bad filter');
    check(!pcap.validateFilter('ether host 1:2:3:4:5:6', { linkType: 101 }).ok, 'validateFilter on raw IP');
    check(pcap.libraryInfo().loaded, 'libraryInfo');
  },

  async writers() {
    const path = join(dir, 'w.pcap');
    const w = pcap.createCaptureFile(path, { precision: 'nano', snaplen: 128 });
    for (let i = 0; i < 500; i++) w.writeBytes(new Uint8Array(60 + (i % 200)).fill(i & 0xff), 1_700_000_000 + i, i);
    w.flush();
    w.close();
    w.close();
    throwsCode(() => w.writeBytes(new Uint8Array(4), 0), 'CLOSED', 'write after close');
    const a = pcap.createCaptureFile(path, { precision: 'nano', snaplen: 128, append: true });
    a.write({ data: new Uint8Array(300), seconds: 1, nanoseconds: 2 });
    a.close();
    let n = 0;
    let longest = 0;
    for await (const p of pcap.openOffline(path)) {
      n++;
      longest = Math.max(longest, p.caplen);
    }
    check(n === 501 && longest === 128, `writers: read back ${n} packets, longest ${longest}`);
    throwsCode(() => pcap.createCaptureFile(join(dir, 'no', 'such.pcap')), 'ENOENT', 'writer in a missing directory');
  },

  async offlineReads() {
    let n = 0;
    for await (const p of pcap.openOffline(file, { batchSize: 33, batchBytes: 2048 })) n += p.borrowedData.length > 0 ? 1 : 0;
    check(n === 1000, `for await read ${n}`);
    const c = pcap.openOffline(file, { filter: 'udp', batchSize: 100 });
    let batches = 0;
    let packets = 0;
    let kept;
    c.on('batch', (b) => {
      batches++;
      for (const p of b) {
        packets++;
        kept ??= p;
      }
    });
    await new Promise((r) => c.on('end', r));
    check(batches === 10 && packets === 1000, `batch events ${batches}/${packets}`);
    throwsCode(() => kept.borrowedData, 'BORROW_EXPIRED', 'borrowed view after its batch');
    const d = pcap.openOffline(file, { batchSize: 7 });
    d.setFilter('udp and ip[28] = 5');
    let five = 0;
    d.on('packet', (p) => (five += p.copy().data[42] === 5 ? 1 : 0));
    await new Promise((r) => d.on('close', r));
    check(five === 4, `setFilter on a file matched ${five}`);
    throwsCode(() => pcap.openOffline(join(dir, 'missing.pcap')), 'ENOENT', 'missing file');
    throwsCode(() => pcap.openOffline(dir), 'EISDIR', 'directory');
    const junk = join(dir, 'junk.pcap');
    writeFileSync(junk, 'not a capture file at all, just text');
    throwsCode(() => pcap.openOffline(junk), 'BAD_FILE', 'not a capture');
    // Cut in the middle of a record: the whole packets, then READ_ERROR.
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, readFileSync(file).subarray(0, 24 + 5 * (16 + 46) + 10 + 10));
    const e = pcap.openOffline(cut);
    let whole = 0;
    let code;
    e.on('packet', () => whole++);
    e.on('error', (err) => (code = err.code));
    await new Promise((r) => e.on('close', r));
    check(whole === 5 && code === 'READ_ERROR', `cut file: ${whole} packets then ${code}`);
  },

  async openClose() {
    for (let i = 0; i < 20; i++) pcap.openOffline(file).close();
    const c = pcap.openOffline(file);
    c.close();
    c.close();
    throwsCode(() => c.setFilter('udp'), 'CLOSED', 'setFilter after close');
    throwsCode(() => c.stats(), 'CLOSED', 'stats after close');
    throwsCode(() => c.inject(new Uint8Array(60)), 'CLOSED', 'inject after close');
    throwsCode(() => c.dump(join(dir, 'x.pcap')), 'CLOSED', 'dump after close');
    const o = pcap.openOffline(file);
    throwsCode(() => o.stats(), 'NOT_SUPPORTED', 'stats on a file');
    throwsCode(() => o.inject(new Uint8Array(60)), 'NOT_SUPPORTED', 'inject on a file');
    o.close();
  },

  async closeInHandler() {
    const c = pcap.openOffline(file, { batchSize: 100 });
    let seen = 0;
    const events = [];
    c.on('packet', () => {
      if (++seen === 3) c.close();
    });
    c.on('end', () => events.push('end'));
    c.on('close', () => events.push('close'));
    await until(() => events.length === 2, 'close in handler');
    await sleep(20);
    check(seen === 3 && events.join() === 'end,close', `close in handler: ${seen} ${events}`);
  },

  async breakLoop() {
    const c = pcap.openOffline(file, { batchSize: 100 });
    let got = 0;
    c.on('packet', () => {
      if (++got === 10) c.breakLoop();
    });
    await until(() => got >= 10, 'breakLoop');
    await sleep(20);
    check(got === 10 && c.paused, `breakLoop stopped at ${got}`);
    c.resume();
    await new Promise((r) => c.on('end', r));
    check(got === 1000, `resume delivered ${got}`);
  },

  async forAwaitEdges() {
    const c = pcap.openOffline(file, { batchSize: 100 });
    const it = c[Symbol.asyncIterator]();
    const first = await it.next();
    c.close();
    check((await it.next()).done === true, 'iterator ends on close');
    throwsCode(() => first.value.borrowedData, 'BORROW_EXPIRED', 'borrowed view after close');
    const d = pcap.openOffline(file);
    let n = 0;
    for await (const _ of d) if (++n === 10) break;
    check(d.closed, 'break closes');
  },

  async unclosed() {
    (() => {
      for (let i = 0; i < 20; i++) pcap.openOffline(file);
      for (let i = 0; i < 5; i++) pcap.openOffline(file).on('packet', () => {}).pause();
    })();
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(5);
    }
  },

  async workers() {
    const src = `const { parentPort, workerData } = require('node:worker_threads');
      const { openOffline } = require(workerData.cjs);
      let n = 0;
      const c = openOffline(workerData.file, { batchSize: workerData.on === 'end' ? 10 : 1 });
      c.on('packet', () => { n++; });
      c.on(workerData.on, () => parentPort.postMessage(n));
      // The one to be terminated stays alive however fast it reads, so terminate() always ends it.
      if (workerData.on !== 'end') setInterval(() => {}, 1000);`;
    const start = (on) => new Worker(src, { eval: true, execArgv: [], workerData: { cjs, file, on } });
    const counts = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise((res, rej) => {
            const w = start('end');
            w.on('message', res);
            w.on('error', rej);
          }),
      ),
    );
    check(counts.join() === '1000,1000,1000', `workers read ${counts}`);
    const killed = start('batch');
    await new Promise((r) => killed.once('message', r));
    check((await killed.terminate()) === 1, 'worker terminated mid-read');
  },
};

const liveScenarios = {
  async openCloseLive() {
    for (let i = 0; i < 10; i++) {
      const c = pcap.openLive('lo', { ...burst, filter: 'udp dst port 9' });
      c.on('packet', () => {});
      await new Promise((r) => setImmediate(r));
      c.close();
    }
    const c = pcap.openLive('lo');
    c.on('packet', () => {});
    c.unref();
    c.close();
    c.close();
    c.ref();
    throwsCode(() => c.stats(), 'CLOSED', 'live stats after close');
    throwsCode(() => c.inject(new Uint8Array(60)), 'CLOSED', 'live inject after close');
    throwsCode(() => c.setFilter('udp'), 'CLOSED', 'live setFilter after close');
    throwsCode(() => pcap.openLive('nosuchdev0'), 'ENODEV', 'missing device');
    throwsCode(() => pcap.openLive('lo', { filter: 'udp port' }), 'BAD_FILTER', 'bad live filter');
    throwsCode(() => pcap.openLive('lo', { rfmon: true }), 'RFMON_NOTSUP', 'rfmon on lo');
    check(pcap.listDevices().some((d) => d.name === 'lo'), 'listDevices');
  },

  async closeInHandlerDumpWriter() {
    const port = nextPort++;
    const c = pcap.openLive('lo', { ...burst, bufferSize: 8 << 20, filter: `udp dst port ${port}` });
    const out = c.dump(join(dir, 'live.pcap'));
    let got = 0;
    c.on('packet', (p) => {
      out.write(p);
      if (++got === 20) c.close();
    });
    await sleep(10);
    send(port, 40);
    await until(() => c.closed, 'live close in handler');
    out.close();
    await sleep(20);
    check(got === 20, `live close in handler saw ${got}`);
  },

  async setFilterStatsInject() {
    const a = nextPort++;
    const b = nextPort++;
    const c = pcap.openLive('lo', { ...burst, filter: `udp dst port ${a}` });
    let onA = 0;
    let onB = 0;
    c.on('packet', (p) => {
      const port = (p.borrowedData[36] << 8) | p.borrowedData[37];
      if (port === a) onA++;
      if (port === b) onB++;
    });
    await sleep(10);
    send(a, 5);
    await until(() => onA === 5, 'packets before setFilter');
    c.setFilter(`udp dst port ${b}`);
    send(a, 5);
    send(b, 5);
    await until(() => onB === 5, 'packets after setFilter');
    check(onA === 5, `setFilter let ${onA - 5} old packets through`);
    check(c.stats().recv >= 5, 'live stats');
    check(c.inject(new Uint8Array(60)) === 60, 'inject');
    throwsCode(() => c.setFilter('udp port'), 'BAD_FILTER', 'bad setFilter');
    c.close();
  },

  async breakLoopLive() {
    const port = nextPort++;
    const c = pcap.openLive('lo', { ...burst, filter: `udp dst port ${port}` });
    let got = 0;
    c.on('packet', () => {
      if (++got === 3) c.breakLoop();
    });
    await sleep(10);
    send(port, 10);
    await until(() => got === 3, 'breakLoop live');
    await sleep(50);
    check(got === 3, `breakLoop live let ${got} through`);
    c.resume();
    await until(() => got === 10, 'resume live');
    c.close();
  },

  async pendingAndForAwait() {
    const port = nextPort++;
    const c = pcap.openLive('lo', { ...burst, filter: `udp dst port ${port}` });
    let seen = 0;
    c.on('packet', () => seen++);
    c.pause();
    send(port, 20);
    await sleep(20);
    c.close();
    await sleep(20);
    check(seen === 0, 'closed with packets pending');
    const d = pcap.openLive('lo', { ...burst, filter: `udp dst port ${nextPort++}` });
    const it = d[Symbol.asyncIterator]();
    const waiting = it.next();
    setTimeout(() => d.close(), 20);
    check((await waiting).done === true, 'for await ends on close');
    const e = pcap.openLive('lo', { ...burst, filter: `udp dst port ${port}` });
    setTimeout(() => send(port, 5), 10);
    let n = 0;
    for await (const p of e) if (p.borrowedData.length && ++n === 5) break;
    check(e.closed, 'for await live break closes');
  },

  async severalAtOnce() {
    const ports = [nextPort++, nextPort++, nextPort++];
    const counts = [0, 0, 0];
    const caps = ports.map((port, i) => {
      const c = pcap.openLive('lo', { ...burst, wait: i === 2 ? 'thread' : 'poll', filter: `udp dst port ${port}` });
      c.on('packet', () => counts[i]++);
      return c;
    });
    await sleep(20);
    ports.forEach((port, i) => send(port, 10 * (i + 1)));
    await until(() => counts.join() === '10,20,30', `three captures at once (${counts})`);
    for (const c of caps) c.close();
  },

  async threadWait() {
    const port = nextPort++;
    const c = pcap.openLive('lo', { ...burst, wait: 'thread', filter: `udp dst port ${port}` });
    let n = 0;
    c.on('packet', () => {
      if (++n === 10) c.close();
    });
    const t = setInterval(() => send(port, 1), 2);
    await until(() => c.closed, 'thread-wait close in handler');
    clearInterval(t);
    check(n === 10, `thread wait delivered ${n} before close`);
    const d = pcap.openLive('lo', { ...burst, wait: 'thread', filter: `udp dst port ${port}` });
    let m = 0;
    d.on('packet', () => m++);
    d.pause();
    send(port, 5);
    await sleep(20);
    d.resume();
    await until(() => m === 5, 'thread-wait pause/resume');
    d.close();
    // Closed while its thread waits for a packet that never comes.
    const e = pcap.openLive('lo', { wait: 'thread', timeout: 1000, filter: 'udp dst port 9' });
    e.on('packet', () => {});
    await sleep(10);
    e.close();
  },

  async liveWorkers() {
    const src = `const { parentPort, workerData } = require('node:worker_threads');
      const { openLive } = require(workerData.cjs);
      const c = openLive('lo', { immediate: true, snaplen: 2048, filter: 'udp dst port ' + workerData.port });
      let n = 0;
      c.on('packet', () => { n++; if (n === workerData.want) { c.close(); parentPort.postMessage(n); } });
      parentPort.postMessage('ready');`;
    const start = (port, want) => {
      const w = new Worker(src, { eval: true, execArgv: [], workerData: { cjs, port, want } });
      const ready = new Promise((res) => w.once('message', res));
      const done = new Promise((res, rej) => {
        w.on('message', (m) => m !== 'ready' && res(m));
        w.on('error', rej);
      });
      return { w, ready, done };
    };
    const p1 = nextPort++;
    const p2 = nextPort++;
    const a = start(p1, 30);
    const b = start(p2, 20);
    await Promise.all([a.ready, b.ready]);
    send(p1, 30);
    send(p2, 20);
    const counts = await Promise.all([a.done, b.done]);
    check(counts.join() === '30,20', `live workers saw ${counts}`);
    const victim = start(p1, 1e9);
    await victim.ready;
    const t = setInterval(() => send(p1, 20), 2);
    await sleep(100);
    check((await victim.w.terminate()) === 1, 'live worker terminated mid-flood');
    clearInterval(t);
  },

  async unclosedLive() {
    (() => {
      for (let i = 0; i < 5; i++) pcap.openLive('lo');
      for (let i = 0; i < 3; i++) pcap.openLive('lo', { wait: i === 0 ? 'thread' : 'poll' }).on('packet', () => {}).pause();
    })();
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(5);
    }
  },
};

async function allScenarios() {
  file = writeFile('life.pcap', 1000);
  sender = dgram.createSocket('udp4');
  const scenarios = { ...offline, ...(live ? liveScenarios : {}) };
  if (!live) log('not root: live scenarios skipped');
  for (let round = 1; round <= rounds; round++) {
    for (const [name, run] of Object.entries(scenarios)) {
      // A scenario that waits forever (a lost packet, a worker that never answers) fails the run.
      const watchdog = setTimeout(() => {
        check(false, `${name} (round ${round}) did not finish within 180 s`);
        process.exit(1);
      }, 180_000);
      await run();
      clearTimeout(watchdog);
      if (round === 1 || process.env.MEMCHECK_TRACE) log(`${name} ok (round ${round})`);
    }
  }
  if (live) {
    // Left open at exit: closed by the environment's cleanup hook.
    pcap.openLive('lo', { wait: 'thread' }).on('packet', () => {}).pause();
    pcap.openLive('lo').on('packet', () => {}).pause();
  }
  sender.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`memcheck: ${Object.keys(scenarios).length} scenarios × ${rounds} rounds, ${failures} failed`);
}

if (values['workers-only']) await workersOnly();
else await allScenarios();
