import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './test/browser.js';
import { startServe, type ServeProcess } from './test/serve-process.js';

// `pcap serve -i lo` watching traffic this test makes: a local HTTP server, a fixed number
// of requests, then a UDP flood the page must stay responsive through.
const REQUESTS = 6;
const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // A connection per request (agent: false), so every exchange is its own TCP session.
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('pcap serve -i lo', () => {
  let http: Server;
  let httpPort: number;
  let udpPort: number;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    http = createServer((req, res) => {
      const body = `item ${req.url}\n`.repeat(20);
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    httpPort = (http.address() as AddressInfo).port;
    udpPort = 20000 + Math.floor(Math.random() * 40000);
    browser = await launchBrowser();
    serve = await startServe(['-i', 'lo', '-f', `tcp port ${httpPort} or udp port ${udpPort}`, '--immediate']);
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(serve.url);
    await page.waitForFunction(`document.querySelector('#state')?.textContent === 'running'`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await new Promise((r) => http?.close(r));
  });

  it('shows the HTTP exchanges made on loopback, their sessions and a packet rate', async () => {
    const paths = Array.from({ length: REQUESTS }, (_, i) => (i === REQUESTS - 1 ? '/missing' : `/item/${i}`));
    for (const p of paths) await get(httpPort, p);
    await page.waitForFunction(`document.querySelector('#total-http')?.dataset.value === '${REQUESTS}'`, undefined, { timeout: 15_000 }).catch(async (e: Error) => {
      const snap = (await (await fetch(serve.at("/api/snapshot"))).json()) as { totals: unknown; http: unknown; sessions: unknown; packets: Array<{ summary: string }> };
      throw new Error(`${e.message}\nthe server has: ${JSON.stringify(snap.totals)} ${JSON.stringify(snap.sessions)}\n${snap.packets.map((p) => p.summary).reverse().join("\n")}`);
    });
    const labels = await page.$$eval('#http-timeline .xlabel', (xs) => xs.map((x) => x.textContent));
    expect(labels).toEqual(paths.map((p) => `GET 127.0.0.1:${httpPort}${p} → ${p === '/missing' ? 404 : 200}`));
    // Each request had its own connection.
    await page.waitForFunction(`document.querySelectorAll('#sessions tbody tr').length === ${REQUESTS}`);
    expect(Number(await page.getAttribute('#total-sessions', 'data-value'))).toBe(REQUESTS);
    // At least a handshake, a request, a response and a close per exchange.
    expect(Number(await page.getAttribute('#total-packets', 'data-value'))).toBeGreaterThanOrEqual(REQUESTS * 6);
    expect(Number(await page.getAttribute('#rate-peak', 'data-value'))).toBeGreaterThan(0);
    expect(Number(await page.getAttribute('#rate-chart', 'data-packets'))).toBeGreaterThan(0);
    expect(await page.textContent('#total-drops')).toMatch(/^\d+$/);
  });

  it('stays responsive under a flood, with a bounded update rate and bounded lists', async () => {
    const before = Number(await page.getAttribute('#total-packets', 'data-value'));
    const updatesBefore = Number(await page.getAttribute('body', 'data-updates'));
    // The flood runs in its own process so that this one stays free to drive the page.
    const flood = spawn(process.execPath, [
      '-e',
      `const s = require('dgram').createSocket('udp4'); const b = Buffer.alloc(64); const end = Date.now() + 2500;
       (function burst() { for (let i = 0; i < 200; i++) s.send(b, ${udpPort}, '127.0.0.1'); if (Date.now() < end) setImmediate(burst); else setTimeout(() => s.close(), 100); })();`,
    ]);
    const floodDone = new Promise((r) => flood.on('close', r));
    const t0 = Date.now();
    const lags: number[] = [];
    while (Date.now() - t0 < 2500) {
      // The page answers, and the server answers its API, while packets pour in.
      const t = Date.now();
      await page.click('#pause');
      await page.click('#pause');
      const res = await fetch(serve.at('/api/snapshot'));
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      lags.push(Date.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
    await floodDone;
    const seconds = (Date.now() - t0) / 1000;
    await page.waitForFunction(`Number(document.querySelector('#total-packets')?.dataset.value) > ${before + 10_000}`, undefined, { timeout: 15_000 });
    const updates = Number(await page.getAttribute('body', 'data-updates')) - updatesBefore;
    // A few updates a second (one per 300 ms), never one per packet.
    expect(updates).toBeLessThanOrEqual(Math.ceil(seconds / 0.3) + 5);
    expect(Math.max(...lags)).toBeLessThan(2000);
    expect(await page.$$eval('#packets tbody tr', (t) => t.length)).toBeLessThanOrEqual(200);
    const protocols = await page.$$eval('#protocols tbody tr', (trs) => trs.map((tr) => tr.querySelector('td')!.textContent));
    expect(protocols).toContain('udp');
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: `${RESULTS}serve-live.png`, fullPage: true });
  });

  it('applies a filter live and refuses an invalid one', async () => {
    await page.fill('#filter', 'tcp port 1');
    await page.click('#filter-apply');
    await page.waitForFunction(`document.querySelector('#source')?.textContent.includes('filter: tcp port 1')`);
    const before = Number(await page.getAttribute('#total-http', 'data-value'));
    await get(httpPort, '/item/filtered-out');
    await new Promise((r) => setTimeout(r, 1000));
    expect(Number(await page.getAttribute('#total-http', 'data-value'))).toBe(before);
    await page.fill('#filter', 'port nonsense');
    await page.click('#filter-apply');
    await page.waitForSelector('#filter-error:not([hidden])');
    expect(await page.textContent('#filter-error')).toMatch(/invalid filter "port nonsense"/);
    expect(await page.textContent('#state')).toBe('running');
  });

  it('stops capturing and exits 0 on Ctrl-C', async () => {
    expect(await serve.stop()).toEqual({ status: 0, signal: null });
  });
});
