import { existsSync, readFileSync } from 'node:fs';
import { applyMutations, captureFiles, fuzz, mutations, noise, runsFor, SEED_DIRS, STALL_MS, timeoutFor, Watchdog } from '@pcap/fuzz';
import { decodePacket, parseCapture } from '@pcap/decode';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { frame, F } from '../test/packets.js';
import { tcpSegmentOf } from '../segment.js';
import { SESSION_MEMORY_ESTIMATE, TcpTracker, type TcpTrackerOptions } from '../tracker.js';
import type { TcpSession } from '../session.js';

// Never crash, session tracking: TCP packets of the fixture and corpus captures (and made-up
// ones between a few endpoints) replayed reordered, duplicated, dropped, damaged and with
// time running backwards, under small caps: no exception, never more stream bytes than
// packet bytes, memory accounting within the configured caps after every packet, and every
// session's events in order (`session` first, `close` last and once).

const FILE = 'packages/tcp/src/fuzz/tracker.test.ts';

/** TCP packets of one capture, in capture order. */
interface Conversation {
  readonly origin: string;
  readonly linkType: number;
  readonly frames: Uint8Array[];
}

const PER_CAPTURE = 96;

function conversations(): Conversation[] {
  const out: Conversation[] = [];
  for (const dir of SEED_DIRS) {
    if (!existsSync(dir)) console.log(`fuzz: no captures in ${dir} (absent); using the others and made-up packets`);
    for (const path of captureFiles(dir)) {
      const byLink = new Map<number, Uint8Array[]>();
      try {
        for (const r of parseCapture(new Uint8Array(readFileSync(path)))) {
          const list = byLink.get(r.linkType) ?? [];
          if (list.length < PER_CAPTURE && tcpSegmentOf(decodePacket(r.data, r.linkType))) list.push(r.data.slice());
          byLink.set(r.linkType, list);
        }
      } catch {
        // A damaged capture still gives its whole packets.
      }
      for (const [linkType, frames] of byLink) if (frames.length > 0) out.push({ origin: path, linkType, frames });
    }
  }
  return out;
}

const seeds = conversations();
const watchdog = new Watchdog(STALL_MS);
afterAll(() => watchdog.stop());

/** A packet made up between a few endpoints, so that sessions collide, reuse ports and reorder. */
const madeUp = fc
  .record({ a: fc.nat(2), b: fc.nat(2), sport: fc.constantFrom(80, 40000, 40001), seq: fc.oneof(fc.nat(3000), fc.nat(0xffffffff)), ack: fc.nat(3000), flags: fc.nat(0x3f), n: fc.nat(700) })
  .map(({ a, b, sport, seq, ack, flags, n }) => ({
    linkType: 1,
    data: frame({ src: `10.0.0.${a + 1}`, dst: `10.0.0.${b + 1}`, sport, dport: sport === 80 ? 40000 : 80, seq: 1000 + seq, ack: 5000 + ack, flags: flags | (n > 0 ? F.ACK : 0), data: noise(n, seq) }),
  }));

const options = fc.record({
  maxSessions: fc.integer({ min: 1, max: 8 }),
  maxBufferedBytes: fc.oneof(fc.nat(4096), fc.nat(65536)),
  maxBufferedBytesPerSession: fc.oneof(fc.nat(2048), fc.nat(16384)),
  overlapCheckBytes: fc.constantFrom(0, 64, 4096, 16384),
  idleTimeout: fc.constantFrom(0.5, 300),
  closedLinger: fc.constantFrom(0, 60),
});

type Edit = [kind: number, i: number, j: number];

/** Packets to replay (time in ms from the start) under some caps; printed as hex when a property fails. */
class Scenario {
  constructor(
    readonly origin: string,
    readonly packets: Array<{ data: Uint8Array; linkType: number; ms: number }>,
    readonly options: Required<Omit<TcpTrackerOptions, 'registry'>>,
  ) {}

  [fc.toStringMethod](): string {
    const lines = this.packets.map((p) => `  ${p.ms} ms, link type ${p.linkType}: ${Buffer.from(p.data).toString('hex')}`);
    return `from ${this.origin} with ${JSON.stringify(this.options)}:\n${lines.join('\n')}`;
  }
}

const scenario = fc
  .record({
    from: seeds.length > 0 ? fc.nat(seeds.length - 1) : fc.constant(-1),
    start: fc.nat(),
    count: fc.integer({ min: 1, max: 48 }),
    edits: fc.array(fc.tuple(fc.nat(4), fc.nat(), fc.nat()), { maxLength: 12 }),
    damage: fc.array(fc.tuple(fc.nat(), mutations), { maxLength: 3 }),
    extra: fc.array(fc.tuple(fc.nat(), madeUp), { maxLength: 6 }),
    step: fc.constantFrom(0, 1, 100, 2000),
    options,
  })
  .map((r) => {
    const conv = r.from >= 0 ? seeds[r.from]! : undefined;
    const all = conv ? conv.frames : [];
    const start = all.length ? r.start % all.length : 0;
    const packets = all.slice(start, start + r.count).map((data, i) => ({ data, linkType: conv!.linkType, ms: i * r.step }));
    for (const [at, p] of r.extra) packets.splice(at % (packets.length + 1), 0, { ...p, ms: (at % 50) * r.step });
    for (const [kind, i, j] of r.edits as Edit[]) {
      if (packets.length === 0) break;
      const a = i % packets.length;
      const b = j % packets.length;
      if (kind === 0) [packets[a], packets[b]] = [packets[b]!, packets[a]!];
      else if (kind === 1) packets.splice(b, 0, { ...packets[a]! });
      else if (kind === 2 && packets.length > 1) packets.splice(a, 1);
      else if (kind === 3) packets[a] = { ...packets[a]!, ms: packets[a]!.ms - (j % 5000) };
      else packets[a] = { ...packets[a]!, ms: packets[a]!.ms + (j % 1_000_000) };
    }
    for (const [i, m] of r.damage) {
      if (packets.length === 0) break;
      const a = i % packets.length;
      packets[a] = { ...packets[a]!, data: applyMutations(packets[a]!.data, m, [], 2048) };
    }
    return new Scenario(conv?.origin ?? 'made-up packets', packets, r.options as Required<Omit<TcpTrackerOptions, 'registry'>>);
  });

describe('never crash: TCP session tracking', () => {
  it('has fixture conversations to replay', () => {
    expect(seeds.length).toBeGreaterThan(0);
  });

  const runs = runsFor(0.3);
  const name = `tracks ${runs} generated packet sequences within the configured caps`;
  it(
    name,
    () => {
      let sessions = 0;
      let limits = 0;
      fuzz({ name, file: FILE, arbitrary: scenario, runs, watch: (x) => ({ bytes: x.packets[0]?.data ?? new Uint8Array(0), tag: x.packets.length }) }, watchdog, (x) => {
        const o = x.options;
        const tracker = new TcpTracker(o);
        const problems: string[] = [];
        const state = new Map<TcpSession, 'open' | 'closed'>();
        const event = (name: string) => (s: TcpSession) => {
          const st = state.get(s);
          if (name === 'session') {
            if (st) problems.push(`session ${s.id} announced twice`);
            state.set(s, 'open');
          } else if (st !== 'open') problems.push(`${name} for session ${s.id} ${st ? 'after its close' : 'before it was announced'}`);
          if (name === 'close') state.set(s, 'closed');
        };
        for (const e of ['session', 'handshake', 'data', 'gap', 'overlap', 'retransmission', 'outOfOrder', 'fin', 'reset', 'timeout', 'limit', 'close'] as const) tracker.on(e, event(e));
        let fed = 0;
        let out = 0;
        tracker.on('data', (_s, d) => void (out += d.bytes.length));
        tracker.on('limit', () => void limits++);
        const cap = o.maxSessions * SESSION_MEMORY_ESTIMATE + o.maxBufferedBytes;
        for (const p of x.packets) {
          fed += p.data.length;
          const ms = 1_700_000_000_000 + p.ms;
          const time = { seconds: Math.floor(ms / 1000), nanoseconds: (((ms % 1000) + 1000) % 1000) * 1e6 };
          tracker.addRecord({ ...time, capturedLength: p.data.length, originalLength: p.data.length, linkType: p.linkType, interfaceId: undefined, data: p.data, number: 1 });
          const st = tracker.stats();
          if (st.bufferedBytes > o.maxBufferedBytes) problems.push(`${st.bufferedBytes} bytes buffered, the cap is ${o.maxBufferedBytes}`);
          if (st.peakBufferedBytes > o.maxBufferedBytes) problems.push(`a peak of ${st.peakBufferedBytes} bytes buffered, the cap is ${o.maxBufferedBytes}`);
          if (st.sessions > o.maxSessions) problems.push(`${st.sessions} sessions, the cap is ${o.maxSessions}`);
          if (st.memoryEstimate > cap) problems.push(`a memory estimate of ${st.memoryEstimate}, the caps allow ${cap}`);
          for (const s of tracker.sessions()) {
            if (s.state !== 'closed' && s.bufferedBytes > o.maxBufferedBytesPerSession) problems.push(`session ${s.id} holds ${s.bufferedBytes} bytes, the cap is ${o.maxBufferedBytesPerSession}`);
          }
          if (out > fed) problems.push(`${out} stream bytes from ${fed} packet bytes`);
          if (problems.length) break;
        }
        tracker.end();
        sessions += state.size;
        for (const [s, st] of state) if (st !== 'closed') problems.push(`session ${s.id} never closed`);
        if (tracker.stats().bufferedBytes !== 0) problems.push(`${tracker.stats().bufferedBytes} bytes still buffered after end()`);
        if (out > fed) problems.push(`${out} stream bytes from ${fed} packet bytes`);
        if (problems.length) throw new Error(`${x.origin}: ${problems.slice(0, 3).join('; ')}`);
      });
      console.log(`fuzz: tracking made ${sessions} sessions, ${limits} limit events`);
    },
    timeoutFor(runs),
  );
});
