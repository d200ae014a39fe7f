import { decodePacket, type CaptureRecord, type Layer } from '@pcap/decode';
import { HttpTracker, type HttpExchange } from '@pcap/http';
import { TcpTracker, type DirectionStats, type Endpoint, type TcpSession } from '@pcap/tcp';
import { PacketRing } from './packet-ring.js';
import { packetDetail } from './packet-detail.js';
import { RateBuckets } from './rate-buckets.js';
import type { ConversationRow, HttpRow, PacketDetail, SessionRow, Tally, TrafficView } from './snapshot.js';
import { TopCounter } from './top-counter.js';

/** Bounds of what an aggregator keeps for display. Counts are exact whatever these are. */
export interface AggregatorOptions {
  /** Packets kept (bytes copied) for the packet list and the detail pane. Default 200. */
  packets?: number;
  /** Rows of the session table. Default 100. */
  sessions?: number;
  /** Bars of the HTTP timeline. Default 100. */
  exchanges?: number;
  /** Rows of the protocol, talker and conversation tables. Default 12. */
  top?: number;
  /** Seconds of the rate chart. Default 300. */
  rateWindow?: number;
}

const time = (t: { seconds: number; nanoseconds: number } | undefined): number | undefined => (t ? t.seconds + t.nanoseconds / 1e9 : undefined);
const endpoint = (s: TcpSession, e: Endpoint): string => (s.family === 6 ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`);
const direction = (d: DirectionStats) => ({ packets: d.packets, streamBytes: d.streamBytes, retransmissions: d.retransmissions, gaps: d.gaps });

function sessionRow(s: TcpSession): SessionRow {
  const row: SessionRow = {
    id: s.id,
    client: endpoint(s, s.client),
    server: endpoint(s, s.server),
    state: s.state,
    first: time(s.firstTime)!,
    last: time(s.lastTime)!,
    c2s: direction(s.stats.client),
    s2c: direction(s.stats.server),
  };
  if (s.closeReason) row.closeReason = s.closeReason;
  return row;
}

/** A bounded list that keeps its newest `capacity` items. */
class Newest<T> {
  readonly items: T[] = [];
  constructor(private readonly capacity: number) {}
  push(v: T): void {
    this.items.push(v);
    // Dropped in blocks so that a long run costs one splice per `capacity` pushes.
    if (this.items.length >= this.capacity * 2) this.items.splice(0, this.items.length - this.capacity);
  }
  newest(n: number): T[] {
    return this.items.slice(-n);
  }
}

/**
 * Everything the page shows, computed from capture records: totals, a per-second rate
 * series, protocols, top talkers and conversations, TCP sessions (via `@pcap/tcp`), HTTP
 * exchanges (via `@pcap/http`) and the newest packets. Pure: feed it records from a file or
 * a live capture, then ask for a `view()` as often as the page is updated.
 *
 * ```ts
 * const agg = new TrafficAggregator();
 * for await (const rec of readCapture('trace.pcap')) agg.add(rec);
 * agg.end();
 * console.log(agg.view().totals);
 * ```
 */
export class TrafficAggregator {
  private readonly tcp = new TcpTracker();
  private readonly http: HttpTracker;
  private readonly ring: PacketRing;
  private readonly rate: RateBuckets;
  private readonly protocolCounts = new Map<string, Tally>();
  private readonly talkers = new TopCounter<{ address: string }>();
  private readonly conversations = new TopCounter<{ kind: string; a: string; b: string }>();
  /** Sessions that saw packets since the last view, up to a bound (then only counts go on). */
  private readonly touched = new Set<TcpSession>();
  private shownOpen: TcpSession[] = [];
  private readonly closed: Newest<SessionRow>;
  private readonly inProgress = new Map<HttpExchange, HttpRow>();
  private readonly done: Newest<HttpRow>;
  private readonly limits: Required<AggregatorOptions>;
  private readonly seen: string[] = [];
  private httpSeq = 0;
  private exchanges = 0;
  private packets = 0;
  private bytes = 0;
  private capturedBytes = 0;
  private tcpPackets = 0;
  private malformed = 0;
  /**
   * Whether packets are copied for the packet list and the detail pane. Turned off while the
   * capture is behind the traffic: detail is dropped, counts never are.
   */
  keepPackets = true;

  constructor(options: AggregatorOptions = {}) {
    this.limits = { packets: 200, sessions: 100, exchanges: 100, top: 12, rateWindow: 300, ...options };
    this.ring = new PacketRing(this.limits.packets);
    this.rate = new RateBuckets(this.limits.rateWindow);
    this.closed = new Newest(this.limits.sessions);
    this.done = new Newest(this.limits.exchanges);
    // Bodies are counted, never shown: keep none of their bytes.
    this.http = new HttpTracker(this.tcp, { maxBodyBytes: 0 });
    this.tcp.on('close', (s) => {
      this.touched.delete(s);
      this.closed.push(sessionRow(s));
    });
    this.http.on('request', (x) => {
      if (this.inProgress.size >= this.limits.exchanges * 10) return;
      this.inProgress.set(x, this.httpRow(x, false));
    });
    this.http.on('exchange', (x) => {
      this.exchanges++;
      const seq = this.inProgress.get(x)?.seq;
      this.inProgress.delete(x);
      this.done.push(this.httpRow(x, true, seq));
    });
  }

  /** Numbers the packets as they come, from 1 (`frame.number`). */
  get packetCount(): number {
    return this.packets;
  }

  /** Adds one packet. `rec.data` is only read during the call. */
  add(rec: CaptureRecord): void {
    const number = ++this.packets;
    const wire = rec.originalLength;
    this.bytes += wire;
    this.capturedBytes += rec.capturedLength;
    this.rate.add(rec.seconds, wire);
    if (this.keepPackets) this.ring.add(rec, number);
    const pkt = decodePacket(rec.data, rec.linkType, { originalLength: wire });
    if (pkt.failure) this.malformed++;
    this.countLayers(pkt.layers, wire);
    const s = this.tcp.addPacket(pkt, rec);
    if (s) {
      this.tcpPackets++;
      if (s.state !== 'closed' && this.touched.size < 10_000) this.touched.add(s);
    }
  }

  /** End of the capture: closes the sessions still open, so their last HTTP exchanges are reported. */
  end(): void {
    this.tcp.end();
  }

  /** Moves the rate chart on to `second` (epoch) without packets: a live capture that goes quiet shows zeros. */
  tick(second: number): void {
    this.rate.advance(second);
  }

  /** The aggregate now. Cost is bounded by the display limits, not by the traffic. */
  view(): TrafficView {
    const top = this.limits.top;
    const tcp = this.tcp.stats();
    return {
      totals: {
        packets: this.packets,
        bytes: this.bytes,
        capturedBytes: this.capturedBytes,
        tcpPackets: this.tcpPackets,
        sessions: tcp.sessionsTotal,
        openSessions: tcp.openSessions,
        httpExchanges: this.exchanges,
        httpInProgress: this.inProgress.size,
        malformed: this.malformed,
      },
      rate: this.rate.series(),
      protocols: [...this.protocolCounts].map(([name, t]) => ({ name, packets: t.packets, bytes: t.bytes })).sort((a, b) => b.packets - a.packets || b.bytes - a.bytes).slice(0, top),
      talkers: this.talkers.top(top).map((t) => ({ address: t.info.address, packets: t.packets, bytes: t.bytes })),
      conversations: this.conversations.top(top).map((t): ConversationRow => ({ ...t.info, packets: t.packets, bytes: t.bytes })),
      sessions: this.sessionRows(),
      http: this.httpRows(),
      packets: this.ring.rows(),
    };
  }

  /** The layer tree and bytes of packet `number`, while it is among the newest kept. */
  detail(number: number): PacketDetail | undefined {
    const p = this.ring.get(number);
    return p ? packetDetail(p) : undefined;
  }

  private sessionRows(): SessionRow[] {
    const n = this.limits.sessions;
    const open = new Set(this.shownOpen);
    for (const s of this.touched) open.add(s);
    this.touched.clear();
    this.shownOpen = [...open].filter((s) => s.state !== 'closed').sort((a, b) => b.lastSeen - a.lastSeen || b.id - a.id).slice(0, n);
    const rows = this.shownOpen.map(sessionRow);
    const closed = this.closed.newest(n - rows.length).reverse();
    return [...rows, ...closed];
  }

  private httpRows(): HttpRow[] {
    const n = this.limits.exchanges;
    const rows = [...this.done.newest(n)];
    for (const x of this.inProgress.values()) rows.push(x);
    rows.sort((a, b) => a.start - b.start || a.seq - b.seq);
    return rows.slice(-n);
  }

  private httpRow(x: HttpExchange, done: boolean, seq = ++this.httpSeq): HttpRow {
    const t = x.timing;
    const s = x.session;
    const start = time(t.requestStart ?? t.responseStart) ?? time(s.firstTime)!;
    const row: HttpRow = { seq, stream: s.id, client: endpoint(s, s.client), start, done, incomplete: done && x.incomplete };
    if (x.method !== undefined) row.method = x.method;
    if (x.host !== undefined) row.host = x.host;
    if (x.url !== undefined) row.url = x.url;
    if (x.response) {
      row.status = x.response.status;
      row.reason = x.response.reason;
      row.responseBytes = x.response.bodySize;
    }
    const end = time(t.responseEnd ?? t.requestEnd);
    if (done && end !== undefined) row.end = end;
    return row;
  }

  /** Protocols (each counted once per packet), talkers and conversations of one packet. */
  private countLayers(layers: readonly Layer[], wire: number): void {
    const seen = this.seen;
    seen.length = 0;
    let net: { kind: string; src: string; dst: string } | undefined;
    let ports: { kind: string; src: number; dst: number } | undefined;
    for (const l of layers) {
      const p = l.protocol;
      if (p === '_failure') continue;
      if (!seen.includes(p)) {
        seen.push(p);
        let t = this.protocolCounts.get(p);
        if (!t) this.protocolCounts.set(p, (t = { packets: 0, bytes: 0 }));
        t.packets++;
        t.bytes += wire;
      }
      const x = l as Layer & { src?: string; dst?: string; srcport?: number; dstport?: number };
      // The outermost IP header names the talkers; the first transport header after it the ports.
      if ((p === 'ip' || p === 'ipv6') && !net && typeof x.src === 'string' && typeof x.dst === 'string') net = { kind: p === 'ip' ? 'IPv4' : 'IPv6', src: x.src, dst: x.dst };
      else if ((p === 'tcp' || p === 'udp') && net && !ports && typeof x.srcport === 'number' && typeof x.dstport === 'number') ports = { kind: p.toUpperCase(), src: x.srcport, dst: x.dstport };
    }
    if (!net) return;
    const { src, dst } = net;
    this.talkers.add(src, () => ({ address: src }), wire);
    if (dst !== src) this.talkers.add(dst, () => ({ address: dst }), wire);
    let a: string;
    let b: string;
    let kind = net.kind;
    if (ports) {
      const v6 = net.kind === 'IPv6';
      a = v6 ? `[${src}]:${ports.src}` : `${src}:${ports.src}`;
      b = v6 ? `[${dst}]:${ports.dst}` : `${dst}:${ports.dst}`;
      kind = ports.kind;
    } else {
      a = src;
      b = dst;
    }
    if (b < a) [a, b] = [b, a];
    const key = `${kind} ${a} ${b}`;
    this.conversations.add(key, () => ({ kind, a, b }), wire);
  }
}
