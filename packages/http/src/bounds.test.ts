import { collectedHeapUsed } from '@pcap/fuzz';
import { describe, expect, it } from 'vitest';
import type { HttpLimitInfo } from './connection.js';
import { Wire } from './test/wire.js';

// Hostile or broken HTTP must not grow the tracker beyond its options: these tests feed tens
// of megabytes that all "want" keeping and assert on the tracker's own accounting (`stats()`)
// and on measured heap growth, never on timing.

const MB = 1 << 20;

/** A Wire with small caps, recording the tracker's limit events and its peak held bytes. */
function wire(options: { maxHeaderBytes?: number; maxBodyBytes?: number; maxPendingRequests?: number }) {
  const w = new Wire(options);
  const limits: HttpLimitInfo[] = [];
  w.http.on('limit', (_s, info) => limits.push(info));
  let peak = 0;
  const sample = (): void => {
    const st = w.http.stats();
    if (st.heldBytes > peak) peak = st.heldBytes;
    // The test's own log would otherwise grow with every skipped line.
    w.log.length = 0;
  };
  return { w, limits, sample, peak: () => peak };
}

/** `total` bytes made by repeating `unit`, handed over in 1460-byte pieces as TCP delivers them. */
function stream(send: (b: Uint8Array) => void, unit: string, total: number, after: () => void): void {
  const piece = Buffer.alloc(1460);
  const u = Buffer.from(unit, 'latin1');
  for (let i = 0; i < piece.length; i++) piece[i] = u[i % u.length]!;
  // Whole repetitions per piece keep the pattern aligned across pieces.
  const per = Math.floor(piece.length / u.length) * u.length;
  for (let sent = 0; sent < total; sent += per) {
    send(piece.subarray(0, per));
    after();
  }
}

describe('HTTP tracker bounds', () => {
  it('endless header lines: held bytes stay under maxHeaderBytes, the block is skipped and reported, the next request parses', () => {
    const maxHeaderBytes = 16 * 1024;
    const { w, limits, sample, peak } = wire({ maxHeaderBytes });
    const before = collectedHeapUsed();
    w.c('GET /endless HTTP/1.1\r\nHost: h\r\n');
    stream((b) => w.c(b), 'X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n', 20 * MB, sample);
    const growth = collectedHeapUsed() - before;
    w.c('\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 204 No Content\r\n\r\n');
    console.log(`resource caps: http 20 MB of header lines: peak held ${peak()} B (maxHeaderBytes ${maxHeaderBytes}), heap grew ${(growth / MB).toFixed(1)} MiB`);
    expect(limits).toEqual([{ kind: 'header', side: 'client', size: maxHeaderBytes }]);
    // The header buffer, a partial line (≤ 16 KiB) and a carried line (≤ 8 KiB).
    expect(peak()).toBeLessThanOrEqual(maxHeaderBytes + 24 * 1024);
    expect(peak()).toBeGreaterThanOrEqual(maxHeaderBytes);
    expect(growth).toBeLessThan(4 * MB);
    expect(w.exchanges.map((x) => `${x.url} ${x.status}`)).toEqual(['/after 204']);
  });

  it('a huge declared Content-Length: the body is kept up to maxBodyBytes, counted to the end, and reported once', () => {
    const maxBodyBytes = 256 * 1024;
    for (const length of ['99999999999999999999', '9'.repeat(400)]) {
      const { w, limits, sample, peak } = wire({ maxBodyBytes });
      w.c('GET /big HTTP/1.1\r\nHost: h\r\n\r\n');
      const before = collectedHeapUsed();
      w.s(`HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\n\r\n`);
      stream((b) => w.s(b), 'x', 20 * MB, sample);
      const growth = collectedHeapUsed() - before;
      w.close();
      const r = w.exchanges[0]!.response!;
      console.log(`resource caps: http Content-Length ${length.slice(0, 24)}${length.length > 24 ? '…' : ''} with 20 MB sent: peak held ${peak()} B (maxBodyBytes ${maxBodyBytes}), heap grew ${(growth / MB).toFixed(1)} MiB`);
      expect(r.body.length).toBe(maxBodyBytes);
      expect(r.bodySize).toBeGreaterThanOrEqual(20 * MB);
      expect(r.incomplete).toBe(true);
      expect(limits).toEqual([{ kind: 'body', side: 'server', size: maxBodyBytes }]);
      expect(peak()).toBeLessThanOrEqual(maxBodyBytes + 64 * 1024 + 1024);
      expect(growth).toBeLessThan(maxBodyBytes + 4 * MB);
      expect(w.http.stats()).toMatchObject({ connections: 0, heldBytes: 0 });
    }
  });

  it('endless chunked bodies, endless chunk extensions and endless trailers stay within the caps', () => {
    const maxBodyBytes = 64 * 1024;
    const maxHeaderBytes = 8 * 1024;
    const { w, limits, sample, peak } = wire({ maxBodyBytes, maxHeaderBytes });
    w.c('GET /chunks HTTP/1.1\r\nHost: h\r\n\r\n');
    const before = collectedHeapUsed();
    w.s('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    // 20 MB of 16-byte chunks, then a chunk whose extension runs for 2 MB, then 5 MB of trailers.
    stream((b) => w.s(b), '10\r\n0123456789abcdef\r\n', 20 * MB, sample);
    w.s('1;ext=');
    stream((b) => w.s(b), 'e', 2 * MB, sample);
    w.s('\r\nz\r\n0\r\n');
    stream((b) => w.s(b), 'X-Trailer: tttttttttttttttttttttttttttttttttttttt\r\n', 5 * MB, sample);
    w.s('\r\n');
    const growth = collectedHeapUsed() - before;
    const r = w.exchanges[0]!.response!;
    console.log(
      `resource caps: http 20 MB chunked + 2 MB chunk extension + 5 MB trailers: peak held ${peak()} B ` +
        `(maxBodyBytes ${maxBodyBytes}, maxHeaderBytes ${maxHeaderBytes}), ${r.trailers.length} trailers kept, heap grew ${(growth / MB).toFixed(1)} MiB`,
    );
    expect(r.incomplete).toBe(false);
    expect(r.body.length).toBe(maxBodyBytes);
    expect(r.bodySize).toBeGreaterThan(10 * MB);
    expect(limits.map((l) => l.kind)).toEqual(['body', 'trailers']);
    expect(r.trailers.length).toBeGreaterThan(10);
    expect(r.trailers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0)).toBeLessThanOrEqual(maxHeaderBytes);
    expect(peak()).toBeLessThanOrEqual(maxBodyBytes + maxHeaderBytes * 2 + 24 * 1024);
    expect(growth).toBeLessThan(4 * MB);
  });

  it('endless requests that get no response: at most maxPendingRequests wait, the oldest are reported as unanswered', () => {
    const maxPendingRequests = 64;
    const { w, limits, sample, peak } = wire({ maxPendingRequests, maxBodyBytes: 4096 });
    let exchanges = 0;
    w.http.on('exchange', (x) => {
      if (!x.response) exchanges++;
      w.exchanges.length = 0;
    });
    const N = 100_000;
    const body = 'b'.repeat(1000);
    let peakPending = 0;
    const before = collectedHeapUsed();
    for (let i = 0; i < N; i++) {
      w.c(`POST /r${i} HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n${body}`);
      sample();
      peakPending = Math.max(peakPending, w.http.stats().pendingRequests);
    }
    const growth = collectedHeapUsed() - before;
    console.log(
      `resource caps: http ${N} requests without a response: peak ${peakPending} waiting (maxPendingRequests ${maxPendingRequests}), ` +
        `peak held ${peak()} B, ${exchanges} reported unanswered, heap grew ${(growth / MB).toFixed(1)} MiB`,
    );
    expect(peakPending).toBe(maxPendingRequests);
    expect(exchanges).toBe(N - maxPendingRequests);
    expect(limits).toHaveLength(N - maxPendingRequests);
    expect(limits[0]).toEqual({ kind: 'pending-requests', side: 'client', size: maxPendingRequests + 1 });
    expect(w.http.stats().limitHits).toBe(N - maxPendingRequests);
    expect(peak()).toBeLessThanOrEqual(maxPendingRequests * (100 + 1000) + 4 * 1024);
    expect(growth).toBeLessThan(8 * MB);
    w.close();
    expect(exchanges).toBe(N);
  });

  it('a response still pairs with the oldest request left waiting after the bound', () => {
    const w = new Wire({ maxPendingRequests: 2 });
    w.c('GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(w.exchanges.map((x) => `${x.url} ${x.status}`)).toEqual(['/1 undefined']);
    w.s('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(w.exchanges.map((x) => `${x.url} ${x.status}`)).toEqual(['/1 undefined', '/2 200']);
  });

  it('refuses limits that are not whole numbers', () => {
    expect(() => new Wire({ maxPendingRequests: 0 })).toThrow(/maxPendingRequests must be an integer of at least 1/);
    expect(() => new Wire({ maxHeaderBytes: 1.5 })).toThrow(RangeError);
    expect(() => new Wire({ maxBodyBytes: -1 })).toThrow(RangeError);
    expect(() => new Wire({ maxBodyBytes: 0 })).not.toThrow();
  });
});
