// Terminating a worker while it reads a file: the addon's call that is running when
// JavaScript is stopped cannot throw into JavaScript any more. That used to make
// node-addon-api throw a second time and abort the whole process ("terminate called after
// throwing an instance of 'Napi::Error'"), about once in twenty terminations here.
import { describe, expect, it } from 'vitest';
import { createCaptureFile } from './index.js';
import { distMissing, runNode, tempDir, udpFrame } from './test/helpers.js';
import { join } from 'node:path';

describe('terminating workers mid-read', () => {
  it('60 workers terminated while reading leave the process running', { timeout: 120_000 }, async (ctx) => {
    const missing = distMissing();
    if (missing) return ctx.skip(missing);
    const file = join(tempDir(), 'terminate.pcap');
    const w = createCaptureFile(file);
    for (let i = 0; i < 2000; i++) w.writeBytes(udpFrame(new Uint8Array([i & 0xff])), 1_700_000_000 + i);
    w.close();
    const r = await runNode(
      `import { Worker } from 'node:worker_threads';
       const cjs = PCAP.replace(/index\\.js$/, 'index.cjs');
       const src = \`
         const { parentPort, workerData } = require('node:worker_threads');
         const { openOffline } = require(workerData.cjs);
         openOffline(workerData.file, { batchSize: 1 }).on('batch', () => parentPort.postMessage('reading'));
         setInterval(() => {}, 1000);\`;
       const codes = [];
       for (let i = 0; i < 60; i++) {
         const worker = new Worker(src, { eval: true, execArgv: [], workerData: { cjs, file: ${JSON.stringify(file)} } });
         await new Promise((res) => worker.once('message', res));
         // Vary the moment a little, so that termination lands inside different calls.
         await new Promise((res) => setTimeout(res, i % 3));
         codes.push(await worker.terminate());
       }
       console.log(JSON.stringify({ terminated: codes.filter((c) => c === 1).length }));`,
      { timeoutMs: 110_000 },
    );
    expect(r.stderr).not.toMatch(/terminate called/);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ terminated: 60 });
  });
});
