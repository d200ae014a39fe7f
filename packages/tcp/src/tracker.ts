import { argumentRangeError, argumentTypeError, decodePacket, isBytes, optionsArgument, type CaptureRecord, type Packet, type Registry } from '@pcap/decode';
import { badPacket, badTime, checkTime, isPacket, isTime } from './arguments.js';
import { Emitter } from './emitter.js';
import { LruList } from './lru.js';
import type { SegmentOutcome } from './reassembler.js';
import { tcpSegmentOf, type TcpSegment } from './segment.js';
import {
  TcpSession,
  type CloseReason,
  type SegmentInfo,
  type SessionHost,
  type Side,
  type StreamData,
  type StreamGap,
  type StreamOverlap,
} from './session.js';
import { timeOf, toSeconds, type PacketTime } from './time.js';

/** Limits and timeouts of a tracker. Every bound is enforced; hitting one is reported with a `limit` event. */
export interface TcpTrackerOptions {
  /** Seconds of packet time without a packet after which a session is closed ('timeout'). Default 300; `Infinity` never. */
  idleTimeout?: number;
  /** Seconds a closed session's 4-tuple keeps absorbing late packets (ACKs of FINs, retransmissions) before a packet on it starts a new session. Default 60. */
  closedLinger?: number;
  /** Most sessions tracked at once (closed ones lingering included); the least recently active is dropped first. Default 262144. */
  maxSessions?: number;
  /** Most bytes held for all sessions together (out-of-order segments and overlap-check windows). Default 256 MiB. */
  maxBufferedBytes?: number;
  /** Most bytes held for one session. Default 4 MiB. */
  maxBufferedBytesPerSession?: number;
  /** Bytes of delivered data each direction keeps to tell whether a retransmission differs from the original. Default 16384; 0 turns the check off. */
  overlapCheckBytes?: number;
  /** Dissector tables used by `addRecord`; the built-in ones by default. */
  registry?: Registry;
}

/** A bound that was hit, and what was done about it. */
export interface LimitInfo {
  /** `sessions`: `maxSessions`, the session was dropped; `session-buffer` / `total-buffer`: a buffering bound, the session's oldest holes were given up (reported as gaps). */
  readonly kind: 'sessions' | 'session-buffer' | 'total-buffer';
  /** Bytes the action released. */
  readonly released: number;
  readonly time: PacketTime;
}

/** Events of a `TcpTracker`. Every session gets `session` first and `close` last. */
export interface TcpTrackerEvents {
  /** A new session: the first packet of a 4-tuple (a SYN, or mid-stream). */
  session: (session: TcpSession) => void;
  /** The three-way handshake completed. */
  handshake: (session: TcpSession) => void;
  /** Ordered bytes of one direction. `data.bytes` is valid only during the call. */
  data: (session: TcpSession, data: StreamData) => void;
  /** A hole in one direction was given up on; the stream continues after it. */
  gap: (session: TcpSession, gap: StreamGap) => void;
  /** A retransmission carried different bytes than the copy already in the stream (which was kept). */
  overlap: (session: TcpSession, overlap: StreamOverlap) => void;
  /** A segment carried bytes already seen. */
  retransmission: (session: TcpSession, segment: SegmentInfo) => void;
  /** A segment arrived ahead of a hole and is held until the hole fills. */
  outOfOrder: (session: TcpSession, segment: SegmentInfo) => void;
  /** One side's stream reached its FIN. */
  fin: (session: TcpSession, side: Side, time: PacketTime) => void;
  /** A RST was seen (`close` with reason 'reset' follows). */
  reset: (session: TcpSession, side: Side, time: PacketTime) => void;
  /** The session was idle too long (`close` with reason 'timeout' follows). */
  timeout: (session: TcpSession, time: PacketTime) => void;
  /** A memory or session bound was hit for this session. */
  limit: (session: TcpSession, info: LimitInfo) => void;
  /** The session ended; nothing more is reported for it. */
  close: (session: TcpSession, reason: CloseReason, time: PacketTime) => void;
}

/** Counters and memory accounting of a tracker. */
export interface TrackerStats {
  /** Packets given to the tracker, and those that were TCP over IP. */
  packets: number;
  tcpPackets: number;
  /** Sessions in the table now (closed ones lingering included), and open ones. */
  sessions: number;
  openSessions: number;
  /** Sessions ever created (the next stream number). */
  sessionsTotal: number;
  /** Bytes held now, and the most ever held. */
  bufferedBytes: number;
  peakBufferedBytes: number;
  /** Sessions dropped for `maxSessions`; sessions closed by timeout. */
  evicted: number;
  timedOut: number;
  /** Times a buffering bound made the tracker give up holes. */
  bufferLimitHits: number;
  /**
   * An estimate of the memory the tracker holds: held bytes plus a fixed allowance per
   * session. It is bounded by `maxSessions × SESSION_MEMORY_ESTIMATE + maxBufferedBytes`.
   */
  memoryEstimate: number;
}

/** Bytes allowed per session in `memoryEstimate` (the session object, its counters and table entry). */
export const SESSION_MEMORY_ESTIMATE = 3072;

const DEFAULTS = {
  idleTimeout: 300,
  closedLinger: 60,
  maxSessions: 262_144,
  maxBufferedBytes: 256 * 1024 * 1024,
  maxBufferedBytesPerSession: 4 * 1024 * 1024,
  overlapCheckBytes: 16_384,
};

/** Every option `TcpTracker` takes, for the warning about a name it does not know. */
const OPTION_NAMES: readonly (keyof TcpTrackerOptions)[] = [...(Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]), 'registry'];

/**
 * Tracks TCP sessions (IPv4 and IPv6) from decoded packets and reassembles each direction
 * into an ordered byte stream. Time is packet time: idle timeouts and flushing follow the
 * capture's timestamps, so a file and a live capture behave the same.
 *
 * ```ts
 * const tracker = new TcpTracker();
 * tracker.on('data', (s, d) => console.log(s.id, d.side, d.bytes.length));
 * tracker.on('close', (s, reason) => console.log(s.id, reason, s.stats));
 * for await (const rec of readCapture('trace.pcap')) tracker.addRecord(rec);
 * tracker.end();
 * ```
 */
export class TcpTracker extends Emitter<TcpTrackerEvents> {
  private readonly opts: Required<Omit<TcpTrackerOptions, 'registry'>>;
  private readonly registry: Registry | undefined;
  /** Sessions by 4-tuple. */
  private readonly table = new Map<string, TcpSession>();
  /** The same sessions, least recently active first. */
  private readonly order = new LruList<TcpSession>();
  /** Sessions holding bytes, least recently active first. */
  private readonly holding = new LruList<TcpSession>();
  private readonly host: SessionHost;
  private buffered = 0;
  private peak = 0;
  private nextId = 0;
  private open = 0;
  private packets = 0;
  private tcpPackets = 0;
  private evicted = 0;
  private timedOut = 0;
  private limitHits = 0;
  private now = -Infinity;
  private nowTime: PacketTime = { seconds: 0, nanoseconds: 0 };
  private lastSweep = -Infinity;

  constructor(options: TcpTrackerOptions = {}) {
    super();
    const given = optionsArgument('TcpTracker', options, 'options', OPTION_NAMES);
    const o = { ...DEFAULTS };
    for (const k of Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>) {
      const v = given[k] as unknown;
      if (v === undefined) continue;
      const min = k === 'maxSessions' ? 1 : 0;
      const want = `a number${k === 'idleTimeout' || k === 'closedLinger' ? ' of seconds' : ''} ≥ ${min}`;
      const hint = `e.g. { ${k}: ${DEFAULTS[k]} }`;
      if (typeof v !== 'number') throw argumentTypeError('TcpTracker', `option ${k}`, want, v, hint);
      if (Number.isNaN(v) || v < min) throw argumentRangeError('TcpTracker', `option ${k}`, want, v, hint);
      o[k] = v;
    }
    const registry = given.registry as unknown;
    if (registry !== undefined && typeof (registry as Registry | null)?.lookup !== 'function') {
      throw argumentTypeError('TcpTracker', 'option registry', 'a Registry', registry, 'leave it out for the built-in protocols, or pass defaultRegistry()');
    }
    this.opts = o;
    this.registry = given.registry;
    const self = this;
    this.host = {
      onData: (s, d) => this.emit('data', s, d),
      onGap: (s, g) => this.emit('gap', s, g),
      onOverlap: (s, o) => this.emit('overlap', s, o),
      onSegment: (s, outcome: SegmentOutcome, info) => {
        if (outcome === 'retransmission') this.emit('retransmission', s, info);
        else this.emit('outOfOrder', s, info);
      },
      onHandshake: (s) => this.emit('handshake', s),
      onFin: (s, side, t) => this.emit('fin', s, side, t),
      onReset: (s, side, t) => this.emit('reset', s, side, t),
      onClose: (s, reason, t) => {
        this.open--;
        this.emit('close', s, reason, t);
      },
      get wantsData() {
        return self.has('data');
      },
    };
  }

  /** Decodes a capture record and tracks its TCP segment. Returns the session, or undefined for non-TCP packets. */
  addRecord(record: CaptureRecord): TcpSession | undefined {
    if (!isTime(record) || !(record.data instanceof Uint8Array) || typeof record.linkType !== 'number') checkRecord(record);
    const pkt = decodePacket(record.data, record.linkType, this.registry ? { registry: this.registry, originalLength: record.originalLength } : { originalLength: record.originalLength });
    return this.addPacket(pkt, record);
  }

  /**
   * Tracks the TCP segment of a decoded packet captured at `time`. Packet bytes handed
   * out in `data` events are views of `packet.data`, valid during the event only.
   */
  addPacket(packet: Packet, time: PacketTime): TcpSession | undefined {
    if (!isPacket(packet)) throw badPacket('TcpTracker.addPacket', packet);
    if (!isTime(time)) throw badTime('TcpTracker.addPacket', 'time', time);
    const t = toSeconds(time);
    // NaN or an infinite time would stop every timeout from ever firing.
    if (!Number.isFinite(t)) throw badTime('TcpTracker.addPacket', 'time', time);
    this.packets++;
    const seg = tcpSegmentOf(packet);
    if (t > this.now) {
      this.now = t;
      this.nowTime = timeOf(time);
    }
    if (this.now - this.lastSweep >= 1) this.sweep();
    if (!seg) return undefined;
    this.tcpPackets++;
    return this.track(seg, time, t);
  }

  /** Tracks an already extracted segment (see `tcpSegmentOf`). */
  addSegment(seg: TcpSegment, time: PacketTime): TcpSession {
    if (typeof (seg as TcpSegment | null)?.key !== 'string' || !isPacketTcp(seg)) {
      throw argumentTypeError('TcpTracker.addSegment', 'seg', 'a TcpSegment', seg, 'get one from tcpSegmentOf(packet), or call addPacket(packet, time)');
    }
    if (!isTime(time)) throw badTime('TcpTracker.addSegment', 'time', time);
    const t = toSeconds(time);
    if (!Number.isFinite(t)) throw badTime('TcpTracker.addSegment', 'time', time);
    return this.track(seg, time, t);
  }

  /** The segment into its session, its arguments already checked; `t` is `time` in seconds. */
  private track(seg: TcpSegment, time: PacketTime, t: number): TcpSession {
    let s = this.table.get(seg.key);
    if (s) {
      if (s.state === 'closed') {
        if (t - s.lastSeen > this.opts.closedLinger || s.isReusedBy(seg)) {
          this.forget(s);
          s = undefined;
        }
      } else if (s.isReusedBy(seg)) {
        this.closeSession(s, 'reused', time);
        this.forget(s);
        s = undefined;
      }
    }
    if (!s) s = this.create(seg, time, t);
    else this.order.touch(s.order);
    s.add(seg, time, t);
    this.charge(s, time);
    return s;
  }

  /**
   * Ends sessions idle since before `time` (reason 'timeout') and gives up holes whose
   * next held segment arrived before it (reported as gaps with reason 'flush'), so that
   * their bytes are delivered. Returns how many sessions were closed.
   */
  flushOlderThan(time: PacketTime): number {
    checkTime('TcpTracker.flushOlderThan', 'time', time);
    const t = toSeconds(time);
    let closed = 0;
    for (const s of this.order.values()) {
      if (s.lastSeen >= t) break;
      this.forget(s);
      if (s.state !== 'closed') {
        this.timedOut++;
        closed++;
        this.emit('timeout', s, time);
        this.closeSession(s, 'timeout', time);
      }
    }
    for (const s of [...this.holding.values()]) {
      if (s.streams[0].flushOlderThan(t, time) + s.streams[1].flushOlderThan(t, time) > 0) this.charge(s, time);
    }
    return closed;
  }

  /** Closes every session (reason 'end'): call it at the end of a capture. Held bytes are delivered after gaps. */
  end(): void {
    const time = this.nowTime;
    for (const s of [...this.table.values()]) {
      if (s.state !== 'closed') this.closeSession(s, 'end', time);
    }
    this.table.clear();
    this.order.clear();
    this.holding.clear();
    this.buffered = 0;
  }

  /** The sessions in the table (open ones and closed ones still lingering), least recently active first. */
  sessions(): IterableIterator<TcpSession> {
    return this.order.values();
  }

  /** The session a 4-tuple key belongs to (see `TcpSegment.key`). */
  session(key: string): TcpSession | undefined {
    if (typeof key !== 'string') throw argumentTypeError('TcpTracker.session', 'key', 'a 4-tuple key string', key, 'use a TcpSegment\'s key (tcpSegmentOf(packet).key) or a session\'s key');
    return this.table.get(key);
  }

  /** The options in force, defaults filled in. */
  get options(): Readonly<Required<Omit<TcpTrackerOptions, 'registry'>>> {
    return this.opts;
  }

  stats(): TrackerStats {
    return {
      packets: this.packets,
      tcpPackets: this.tcpPackets,
      sessions: this.table.size,
      openSessions: this.open,
      sessionsTotal: this.nextId,
      bufferedBytes: this.buffered,
      peakBufferedBytes: this.peak,
      evicted: this.evicted,
      timedOut: this.timedOut,
      bufferLimitHits: this.limitHits,
      memoryEstimate: this.buffered + this.table.size * SESSION_MEMORY_ESTIMATE,
    };
  }

  private create(seg: TcpSegment, time: PacketTime, t: number): TcpSession {
    while (this.table.size >= this.opts.maxSessions) {
      const old = this.order.oldest();
      if (!old) break;
      this.forget(old);
      if (old.state !== 'closed') {
        this.evicted++;
        const released = old.charged;
        this.emit('limit', old, { kind: 'sessions', released, time: timeOf(time) });
        this.closeSession(old, 'evicted', time);
      }
    }
    const tcp = seg.tcp;
    const synOnly = (tcp.flags & 0x012) === 0x002;
    const synAck = (tcp.flags & 0x012) === 0x012;
    // The client sent the SYN; without one seen, the sender of the first packet (as
    // Wireshark's Follow TCP Stream does), unless that packet is the SYN-ACK.
    const srcIsClient = synOnly || !synAck;
    const ip = seg.ip;
    const src = { address: ip.src, port: tcp.srcport };
    const dst = { address: ip.dst, port: tcp.dstport };
    const s = new TcpSession(
      this.nextId++,
      seg.key,
      seg.family,
      srcIsClient ? src : dst,
      srcIsClient ? dst : src,
      srcIsClient ? seg.srcKey : seg.dstKey,
      time,
      t,
      this.host,
      this.opts.overlapCheckBytes,
    );
    this.table.set(seg.key, s);
    this.order.touch(s.order);
    this.open++;
    this.emit('session', s);
    return s;
  }

  /** Takes a session out of the table (it stays closed or is closed by the caller). */
  private forget(s: TcpSession): void {
    if (this.table.get(s.key) === s) this.table.delete(s.key);
    this.order.remove(s.order);
    this.holding.remove(s.holding);
  }

  private closeSession(s: TcpSession, reason: CloseReason, time: PacketTime): void {
    s.close(reason, time);
    this.charge(s, time);
  }

  /** Brings the accounting of `s` up to date and enforces the buffering bounds. */
  private charge(s: TcpSession, time: PacketTime): void {
    let cost = s.bufferedBytes;
    if (cost > this.opts.maxBufferedBytesPerSession && s.state !== 'closed') {
      this.limitHits++;
      const before = cost;
      // Each step gives up a held segment or a hole before a FIN (one per direction), and
      // refills the overlap-check windows with what it delivers: the last step frees them.
      for (let guard = 3 + s.streams[0].heldSegments + s.streams[1].heldSegments; guard > 0 && cost > this.opts.maxBufferedBytesPerSession; guard--) {
        const [a, b] = s.streams;
        // By cost, not bytes: a held segment the snapshot length emptied still costs its overhead.
        const bigger = a.cost >= b.cost ? a : b;
        if (!bigger.skipHole('limit', time)) {
          a.release();
          b.release();
        }
        cost = s.bufferedBytes;
      }
      this.emit('limit', s, { kind: 'session-buffer', released: before - cost, time: timeOf(time) });
    }
    this.buffered += cost - s.charged;
    s.charged = cost;
    if (cost > 0 && s.state !== 'closed') this.holding.touch(s.holding);
    else this.holding.remove(s.holding);
    if (this.buffered > this.opts.maxBufferedBytes) this.relieve(s, time);
    if (this.buffered > this.peak) this.peak = this.buffered;
  }

  /** Gives up holes of the least recently active sessions until the total bound holds again. */
  private relieve(current: TcpSession, time: PacketTime): void {
    this.limitHits++;
    for (const s of this.holding.values()) {
      if (this.buffered <= this.opts.maxBufferedBytes) return;
      this.releaseAll(s, time);
      if (s === current) return;
    }
  }

  private releaseAll(s: TcpSession, time: PacketTime): void {
    const before = s.charged;
    for (const st of s.streams) {
      for (let guard = st.heldSegments + 1; guard > 0; guard--) if (!st.skipHole('limit', time)) break;
      st.release();
    }
    const cost = s.bufferedBytes;
    this.buffered += cost - s.charged;
    s.charged = cost;
    this.holding.remove(s.holding);
    this.emit('limit', s, { kind: 'total-buffer', released: before - cost, time: timeOf(time) });
  }

  /** Closes idle sessions and forgets lingering closed ones, oldest first. */
  private sweep(): void {
    this.lastSweep = this.now;
    const idle = this.now - this.opts.idleTimeout;
    const linger = this.now - this.opts.closedLinger;
    for (const s of this.order.values()) {
      if (s.state === 'closed') {
        if (s.lastSeen < linger) {
          this.forget(s);
          continue;
        }
        if (s.lastSeen >= idle) break;
        continue;
      }
      if (s.lastSeen >= idle) break;
      this.forget(s);
      this.timedOut++;
      this.emit('timeout', s, this.nowTime);
      this.closeSession(s, 'timeout', this.nowTime);
    }
  }
}

function isPacketTcp(seg: TcpSegment): boolean {
  return typeof seg.tcp === 'object' && seg.tcp !== null && typeof seg.ip === 'object' && seg.ip !== null;
}

/** Throws for what `addRecord` cannot use, naming the field that is wrong. */
function checkRecord(record: unknown): void {
  const fn = 'TcpTracker.addRecord';
  if (isPacket(record)) throw argumentTypeError(fn, 'record', 'a capture record', record, 'for a decoded packet use addPacket(packet, record)');
  if (typeof record !== 'object' || record === null) {
    throw argumentTypeError(fn, 'record', 'a capture record { data, linkType, seconds, nanoseconds }', record, 'pass what readCapture() or a live capture yields');
  }
  const r = record as Partial<Record<keyof CaptureRecord, unknown>>;
  if (!isBytes(r.data)) throw argumentTypeError(fn, 'record.data', "a Uint8Array of the packet's bytes", r.data);
  if (typeof r.linkType !== 'number') throw argumentTypeError(fn, 'record.linkType', 'a LINKTYPE_ number (1 for Ethernet)', r.linkType);
  if (!isTime(record)) throw badTime(fn, 'record', record);
}
