import { collectedHeapUsed } from '@pcap/fuzz';
import { describe, expect, it } from 'vitest';
import { decodePacket } from '@pcap/decode';
import { at, F, fastFrame } from './test/packets.js';
import { SESSION_MEMORY_ESTIMATE, TcpTracker } from './tracker.js';

// Memory must stay under the configured caps whatever the traffic: these tests assert
// on the tracker's own accounting and on measured heap growth, never on timing.

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
    const before = collectedHeapUsed();
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
    const growth = collectedHeapUsed() - before;
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
    const before = collectedHeapUsed();
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
    const growth = collectedHeapUsed() - before;
    console.log(`SYN flood of ${N}: heap grew ${(growth / 1048576).toFixed(1)} MiB for ${st.sessions} sessions`);
    expect(growth).toBeLessThan(maxSessions * SESSION_MEMORY_ESTIMATE);
  });
});

describe('hostile traffic stays within the configured caps', () => {
  /** xorshift32: the same "random" sources on every run. */
  function rng(seed: number): () => number {
    let x = seed >>> 0 || 1;
    return () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
  }

  it('a flood of 500k SYNs from random sources never holds more than maxSessions sessions', () => {
    const N = 500_000;
    const maxSessions = 100_000;
    const tracker = new TcpTracker({ maxSessions });
    const next = rng(0x5eed);
    let dropped = 0;
    tracker.on('limit', (_s, l) => {
      if (l.kind === 'sessions') dropped++;
    });
    const before = collectedHeapUsed();
    let peakSessions = 0;
    let peakEstimate = 0;
    for (let i = 0; i < N; i++) {
      const syn = fastFrame(next(), SERVER, 1024 + (next() % 64000), 443, next(), 0, F.SYN);
      tracker.addPacket(decodePacket(syn, 1), at(i / 50));
      const st = tracker.stats();
      if (st.sessions > peakSessions) peakSessions = st.sessions;
      if (st.memoryEstimate > peakEstimate) peakEstimate = st.memoryEstimate;
    }
    const st = tracker.stats();
    const growth = collectedHeapUsed() - before;
    console.log(
      `resource caps: SYN flood of ${N} random sources, maxSessions ${maxSessions}: peak ${peakSessions} sessions, ` +
        `${st.evicted} dropped, estimate ${(peakEstimate / 1048576).toFixed(1)} MiB, heap grew ${(growth / 1048576).toFixed(1)} MiB`,
    );
    expect(peakSessions).toBe(maxSessions);
    expect(st.sessionsTotal).toBe(N);
    expect(st.evicted).toBe(N - maxSessions);
    expect(dropped).toBe(N - maxSessions);
    expect(st.bufferedBytes).toBe(0);
    expect(peakEstimate).toBeLessThanOrEqual(maxSessions * SESSION_MEMORY_ESTIMATE);
    expect(growth).toBeLessThan(maxSessions * SESSION_MEMORY_ESTIMATE);
  });

  it('endless out-of-order segments stay within maxBufferedBytesPerSession and maxBufferedBytes', () => {
    // Four connections each send 50,000 segments of 200 bytes, every one a byte past a hole,
    // so nothing is ever delivered in order: 40 MB that all wants holding.
    const perSession = 64 * 1024;
    const total = 160 * 1024;
    const tracker = new TcpTracker({ maxBufferedBytes: total, maxBufferedBytesPerSession: perSession, overlapCheckBytes: 0 });
    const kinds = { 'session-buffer': 0, 'total-buffer': 0, sessions: 0 };
    let gaps = 0;
    tracker.on('limit', (_s, l) => kinds[l.kind]++);
    tracker.on('gap', () => gaps++);
    const clients = [0x0a000001, 0x0a000002, 0x0a000003, 0x0a000004];
    let ms = 0;
    const add = (bytes: Uint8Array) => tracker.addPacket(decodePacket(bytes, 1), at(ms++));
    for (const c of clients) {
      add(fastFrame(c, SERVER, 40000, 80, 1000, 0, F.SYN));
      add(fastFrame(SERVER, c, 80, 40000, 5000, 1001, F.SYN | F.ACK));
      add(fastFrame(c, SERVER, 40000, 80, 1001, 5001, F.ACK));
    }
    const sessions = [...Array(clients.length)].map(() => undefined as undefined | { bufferedBytes: number });
    tracker.on('outOfOrder', (s) => (sessions[s.id] = s));
    const before = collectedHeapUsed();
    let peakSession = 0;
    let peakTotal = 0;
    let segments = 0;
    for (let i = 0; i < 50_000; i++) {
      for (const c of clients) {
        add(fastFrame(c, SERVER, 40000, 80, 1001 + 1 + i * 201, 5001, F.ACK, payload));
        segments++;
      }
      for (const s of sessions) if (s && s.bufferedBytes > peakSession) peakSession = s.bufferedBytes;
      peakTotal = Math.max(peakTotal, tracker.stats().bufferedBytes);
    }
    const st = tracker.stats();
    const growth = collectedHeapUsed() - before;
    console.log(
      `resource caps: ${segments} out-of-order segments (${(segments * 200) / 1e6} MB) on ${clients.length} sessions: ` +
        `peak ${peakSession} B per session (cap ${perSession}), peak ${st.peakBufferedBytes} B total (cap ${total}), ` +
        `${kinds['session-buffer']} session-buffer and ${kinds['total-buffer']} total-buffer limits, ${gaps} gaps, heap grew ${(growth / 1048576).toFixed(1)} MiB`,
    );
    expect(peakSession).toBeGreaterThan(perSession / 2);
    expect(peakSession).toBeLessThanOrEqual(perSession);
    expect(peakTotal).toBeLessThanOrEqual(total);
    expect(st.peakBufferedBytes).toBeLessThanOrEqual(total);
    expect(kinds['session-buffer']).toBeGreaterThan(0);
    expect(kinds['total-buffer']).toBeGreaterThan(0);
    expect(gaps).toBeGreaterThan(1000);
    expect(growth).toBeLessThan(clients.length * SESSION_MEMORY_ESTIMATE + total + (1 << 20));
    tracker.end();
    expect(tracker.stats().bufferedBytes).toBe(0);
  });

  it('segments arriving in descending order, one byte each, are held no more than the cap allows', () => {
    // The worst order for a sorted hold: every segment lands before all the others.
    const perSession = 32 * 1024;
    const tracker = new TcpTracker({ maxBufferedBytesPerSession: perSession, overlapCheckBytes: 0 });
    let limits = 0;
    tracker.on('limit', () => limits++);
    const c = 0x0a000009;
    let ms = 0;
    const add = (bytes: Uint8Array) => tracker.addPacket(decodePacket(bytes, 1), at(ms++));
    add(fastFrame(c, SERVER, 40000, 80, 1000, 0, F.SYN));
    add(fastFrame(SERVER, c, 80, 40000, 5000, 1001, F.SYN | F.ACK));
    add(fastFrame(c, SERVER, 40000, 80, 1001, 5001, F.ACK));
    let session: { bufferedBytes: number } | undefined;
    tracker.on('outOfOrder', (s) => (session = s));
    const one = new Uint8Array([0x62]);
    let peak = 0;
    for (let i = 100_000; i > 0; i--) {
      add(fastFrame(c, SERVER, 40000, 80, 1001 + 2 * i, 5001, F.ACK, one));
      peak = Math.max(peak, session?.bufferedBytes ?? 0);
    }
    console.log(`resource caps: 100000 one-byte segments in descending order: peak ${peak} B held (cap ${perSession}), ${limits} limits`);
    expect(peak).toBeLessThanOrEqual(perSession);
    expect(tracker.stats().peakBufferedBytes).toBeLessThanOrEqual(perSession);
    expect(limits).toBeGreaterThan(0);
  });
});
