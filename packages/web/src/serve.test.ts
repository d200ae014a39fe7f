import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './test/browser.js';
import { expectedFor, fixture, REPO, type ExpectedExchange } from './test/expected.js';
import { startServe, type ServeProcess } from './test/serve-process.js';

// `pcap serve` on a fixture, as a user runs it, with the page driven in headless Chromium:
// what the page shows must be what `pcap read`, `pcap tcp` and `pcap http` say.
const FILE = fixture('http-keepalive.pcap');
const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const FILTER = 'host 198.51.100.3';

const value = async (page: Page, id: string): Promise<number> => Number(await page.getAttribute(`#${id}`, 'data-value'));

/** Waits until the page shows `want` packets and the replay has finished. */
async function settled(page: Page, want: number): Promise<void> {
  await page.waitForFunction(`document.querySelector('#total-packets')?.dataset.value === '${want}' && document.querySelector('#state')?.textContent === 'replay finished'`, undefined, { timeout: 15_000 });
}

const timelineText = (x: ExpectedExchange): string => `${x.method} ${x.url?.startsWith('/') ? `${x.host ?? ''}${x.url}` : x.url} → ${x.status}`;

describe('pcap serve -r FILE in a browser', () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;
  const all = expectedFor(FILE);
  const filtered = expectedFor(FILE, FILTER);

  beforeAll(async () => {
    browser = await launchBrowser();
    serve = await startServe(['-r', FILE, '--speed', 'max', '--token', 's3cret']);
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('prints its URL with the token and refuses requests without it', async () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=s3cret$/);
    expect((await fetch(serve.url.replace('?token=s3cret', ''))).status).toBe(401);
    expect((await fetch(serve.at('/api/snapshot').replace('s3cret', 'wrong'))).status).toBe(401);
    // A name other than this machine's (DNS rebinding) is refused even with the token.
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request(serve.at('/api/snapshot'), { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(403);
    expect((await fetch(serve.at('/api/snapshot'))).status).toBe(200);
  });

  it('shows the totals, the chart, sessions and the HTTP timeline of the file', async () => {
    await page.goto(serve.url);
    await settled(page, all.packets);
    expect(await value(page, 'total-bytes')).toBe(all.bytes);
    expect(await value(page, 'total-sessions')).toBe(all.sessions.length);
    expect(await value(page, 'total-http')).toBe(all.exchanges.length);
    expect(await page.textContent('#total-packets')).toBe(all.packets.toLocaleString('en-US'));
    // The chart holds every packet and byte, and drew something.
    expect(await page.getAttribute('#rate-chart', 'data-packets')).toBe(String(all.packets));
    expect(await page.getAttribute('#rate-chart', 'data-bytes')).toBe(String(all.bytes));
    expect(await page.locator('#rate-chart canvas').count()).toBe(1);
    expect(await value(page, 'rate-peak')).toBeGreaterThan(0);

    // One row per TCP session with pcap tcp's numbers.
    const rows = await page.$$eval('#sessions tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows).toHaveLength(all.sessions.length);
    const byStream = new Map(rows.map((r) => [Number(r[0]), r]));
    const n = (s: number): string => s.toLocaleString('en-US');
    for (const s of all.sessions) {
      expect(byStream.get(s.stream)).toEqual([
        String(s.stream),
        s.client,
        s.server,
        `closed (${s.close})`,
        n(s.c2s.packets + s.s2c.packets),
        n(s.c2s.streamBytes),
        n(s.s2c.streamBytes),
        n(s.c2s.retransmissions + s.s2c.retransmissions),
        '0',
      ]);
    }

    // One bar per exchange, in pcap http's order, labelled method, host+URL and status.
    const bars = await page.$$eval('#http-timeline .xrow', (xs) =>
      xs.map((x) => ({ label: x.querySelector('.xlabel')!.textContent, width: parseFloat(x.querySelector('.xbar')!.getAttribute('style')!.replace(/.*width: ([\d.]+)%.*/, '$1')) })),
    );
    expect(bars.map((b) => b.label)).toEqual(all.exchanges.map(timelineText));
    for (const b of bars) expect(b.width).toBeGreaterThanOrEqual(0);
    expect(bars.some((b) => b.width > 5)).toBe(true);

    // Protocols and conversations.
    const protocols = await page.$$eval('#protocols tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    expect(protocols).toContainEqual(['tcp', String(all.packets)]);
    expect(await page.$$eval('#conversations tbody tr', (trs) => trs.length)).toBe(2);
  });

  it('lists the latest packets and shows the layers and bytes of the one clicked', async () => {
    const numbers = await page.$$eval('#packets tbody tr', (trs) => trs.map((tr) => Number(tr.getAttribute('data-number'))));
    expect(numbers[0]).toBe(all.packets);
    expect(numbers).toHaveLength(Math.min(all.packets, 200));
    await page.click('#packets tbody tr[data-number="4"]');
    await page.waitForSelector('#detail[data-number="4"]');
    const protocols = await page.$$eval('#detail details', (ds) => ds.map((d) => d.getAttribute('data-protocol')));
    expect(protocols.slice(0, 3)).toEqual(['eth', 'ip', 'tcp']);
    const detail = await page.textContent('#detail');
    expect(detail).toContain('Frame 4');
    expect(detail).toContain('ip.src');
    expect(detail).toContain('GET / HTTP/1.1'); // the ASCII column of the hex dump
    mkdirSync(RESULTS, { recursive: true });
    const shot = `${RESULTS}serve-fixture.png`;
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    // PCAP_DOCS_SCREENSHOT=1 refreshes the README's picture from this run.
    if (process.env.PCAP_DOCS_SCREENSHOT) {
      mkdirSync(`${REPO}docs`, { recursive: true });
      copyFileSync(shot, `${REPO}docs/serve.png`);
    }
  });

  it('applies a filter from the page: the file is replayed with it and the counts follow', async () => {
    await page.fill('#filter', FILTER);
    await page.click('#filter-apply');
    await settled(page, filtered.packets);
    expect(filtered.packets).toBeLessThan(all.packets);
    expect(await value(page, 'total-bytes')).toBe(filtered.bytes);
    expect(await page.$$eval('#sessions tbody tr', (trs) => trs.length)).toBe(filtered.sessions.length);
    const labels = await page.$$eval('#http-timeline .xlabel', (xs) => xs.map((x) => x.textContent));
    expect(labels).toEqual(filtered.exchanges.map(timelineText));
    expect(await page.textContent('#source')).toContain(`filter: ${FILTER}`);
    expect(await page.isHidden('#filter-error')).toBe(true);
  });

  it('shows an invalid filter as an error and keeps capturing with the old one', async () => {
    await page.fill('#filter', 'tcp port');
    await page.click('#filter-apply');
    await page.waitForSelector('#filter-error:not([hidden])');
    expect(await page.textContent('#filter-error')).toMatch(/invalid filter "tcp port": .*syntax error/);
    const snap = (await (await fetch(serve.at('/api/snapshot'))).json()) as { source: { filter: string }; totals: { packets: number } };
    expect(snap.source.filter).toBe(FILTER);
    expect(snap.totals.packets).toBe(filtered.packets);
    expect(await value(page, 'total-packets')).toBe(filtered.packets);
  });

  it('pausing freezes the page while the capture goes on; resuming catches up', async () => {
    await page.click('#pause');
    expect(await page.textContent('#state')).toMatch(/paused/);
    const updates = Number(await page.getAttribute('body', 'data-updates'));
    const res = await fetch(serve.at('/api/filter'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ filter: '' }) });
    expect(await res.json()).toEqual({ ok: true, filter: '' });
    // The server has the whole file again …
    await expect
      .poll(async () => ((await (await fetch(serve.at('/api/snapshot'))).json()) as { state: string; totals: { packets: number } }).totals.packets, { timeout: 10_000 })
      .toBe(all.packets);
    // … the page received it …
    await page.waitForFunction(`Number(document.body.dataset.updates) > ${updates}`);
    // … and the paused page still shows the filtered counts.
    expect(await value(page, 'total-packets')).toBe(filtered.packets);
    await page.click('#pause');
    await settled(page, all.packets);
  });

  it('stops cleanly on Ctrl-C', async () => {
    const { status, signal } = await serve.stop();
    expect({ status, signal }).toEqual({ status: 0, signal: null });
    expect(serve.stderr()).toMatch(/stopped\n$/);
  });
});

describe('pcap serve -r FILE at capture speed', () => {
  it('takes as long as the capture did and ends with the same totals', async () => {
    const want = expectedFor(FILE);
    const serve = await startServe(['-r', FILE]);
    try {
      let snap: { state: string; at: number; started: number; totals: { packets: number; httpExchanges: number }; source: { speed: string } } | undefined;
      for (let i = 0; i < 100; i++) {
        snap = (await (await fetch(serve.at('/api/snapshot'))).json()) as typeof snap;
        if (snap?.state === 'ended') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(snap).toMatchObject({ state: 'ended', totals: { packets: want.packets, httpExchanges: want.exchanges.length }, source: { speed: 'realtime' } });
      // The fixture spans 0.217 s of packet time: the replay took at least that long.
      expect(snap!.at - snap!.started).toBeGreaterThanOrEqual(210);
    } finally {
      expect((await serve.stop()).status).toBe(0);
    }
  });

  it('refuses a bad filter, a missing file and a live option with a file', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BIN } = await import('./test/expected.js');
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'serve', '--port', '0', ...args], { encoding: 'utf8', timeout: 20_000 });
    let r = run(['-r', FILE, '-f', 'tcp port']);
    expect([r.status, r.stderr]).toEqual([2, 'pcap: invalid filter "tcp port": can\'t parse filter expression: syntax error\n']);
    r = run(['-r', `${FILE}.missing`]);
    expect([r.status, r.stderr]).toEqual([1, `pcap: ${FILE}.missing: no such file\n`]);
    r = run(['-r', FILE, '--snaplen', '100']);
    expect([r.status, r.stderr]).toEqual([2, 'pcap: --snaplen only apply to a live capture (-i), not to a file\n']);
    r = run([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/give -i DEVICE to capture live, or -r FILE/);
  });
});
