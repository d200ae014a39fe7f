import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { decodePacket } from '@pcap/decode';
import { at, F, fastFrame } from './test/packets.js';
import { SESSION_MEMORY_ESTIMATE, TcpTracker } from './tracker.js';

// Memory must stay under the configured caps whatever the traffic: these tests assert
// on the tracker's own accounting and on measured heap growth, never on timing.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const SERVER = 0xc0000201; // 192.0.2.1

const payload = new Uint8Array(200).fill(0x61);

describe('memory bounds', () => {
  it('holds 100k concurrent sessions with out-of-order data within the buffer cap', () => {
    const N = 100_000;
    const maxBufferedBytes = 8 * 1024 * 1024;
    const tracker = new TcpTracker({ maxSessions: 120_000, maxBufferedBytes, maxBufferedBytesPerSession: 64 * 1024 });
    let limits = 0;
    let gaps = 0;
    tracker.on('limit', () => limits++);
    tracker.on('gap', () => gaps++);
    const before = heapUsed();
    let ms = 0;
    for (let i = 0; i < N; i++) {
      const c = 0x0a000000 + i; // 10.x.y.z
      const port = 40000 + (i % 20000);
      const add = (bytes: Uint8Array) => tracker.addPacket(decodePacket(bytes, 1), at(ms++ / 100));
      add(fastFrame(c, SERVER, port, 80, 1000, 0, F.SYN));
      add(fastFrame(SERVER, c, 80, port, 5000, 1001, F.SYN | F.ACK));
      add(fastFrame(c, SERVER, port, 80, 1001, 5001, F.ACK));
      // 100 bytes at 1001 were lost; this segment waits behind the hole.
      add(fastFrame(c, SERVER, port, 80, 1101, 5001, F.ACK, payload));
      const st = tracker.stats();
      if (st.bufferedBytes > maxBufferedBytes) throw new Error(`buffered ${st.bufferedBytes} > cap after session ${i}`);
    }
    const st = tracker.stats();
    expect(st.openSessions).toBe(N);
    expect(st.sessions).toBe(N);
    expect(st.bufferedBytes).toBeLessThanOrEqual(maxBufferedBytes);
    expect(st.peakBufferedBytes).toBeLessThanOrEqual(maxBufferedBytes);
    // Holding 100k × 264 bytes would exceed the cap: the oldest holes were given up and reported.
    expect(st.bufferLimitHits).toBeGreaterThan(0);
    expect(limits).toBeGreaterThan(0);
    expect(gaps).toBeGreaterThan(0);
    const growth = heapUsed() - before;
    console.log(`100k sessions: heap grew ${(growth / 1048576).toFixed(1)} MiB (${Math.round(growth / N)} B/session), tracker holds ${st.bufferedBytes} B`);
    expect(growth).toBeLessThan(N * SESSION_MEMORY_ESTIMATE + maxBufferedBytes);
    expect(st.memoryEstimate).toBeLessThanOrEqual(N * SESSION_MEMORY_ESTIMATE + maxBufferedBytes);
    tracker.end();
    expect(tracker.stats().bufferedBytes).toBe(0);
  });

  it('keeps a SYN flood to maxSessions sessions and reports each drop', () => {
    const N = 200_000;
    const maxSessions = 50_000;
    const tracker = new TcpTracker({ maxSessions });
    let dropped = 0;
    tracker.on('limit', (_s, l) => {
      if (l.kind === 'sessions') dropped++;
    });
    const before = heapUsed();
    let peak = 0;
    for (let i = 0; i < N; i++) {
      const syn = fastFrame(0x0a000000 + i * 7 + 3, SERVER, 1024 + (i % 60000), 443, (i * 2654435761) >>> 0, 0, F.SYN);
      tracker.addPacket(decodePacket(syn, 1), at(i / 10));
      peak = Math.max(peak, tracker.stats().sessions);
    }
    const st = tracker.stats();
    expect(peak).toBe(maxSessions);
    expect(st.sessions).toBe(maxSessions);
    expect(st.evicted).toBe(N - maxSessions);
    expect(dropped).toBe(N - maxSessions);
    expect(st.bufferedBytes).toBe(0);
    const growth = heapUsed() - before;
    console.log(`SYN flood of ${N}: heap grew ${(growth / 1048576).toFixed(1)} MiB for ${st.sessions} sessions`);
    expect(growth).toBeLessThan(maxSessions * SESSION_MEMORY_ESTIMATE);
  });
});
