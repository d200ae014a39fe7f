import { TcpFlags } from '@pcap/decode';
import { Reassembler, type GapReason, type ReassemblySink, type SegmentOutcome } from './reassembler.js';
import { lruNode, type LruNode } from './lru.js';
import type { TcpSegment } from './segment.js';
import { secondsBetween, timeOf, type PacketTime } from './time.js';

/** One side of a connection: `client` opened it (sent the SYN), `server` accepted it. */
export type Side = 'client' | 'server';

/** An address and port. IPv6 addresses are in RFC 5952 text. */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** Why a session ended. */
export type CloseReason =
  /** Both sides sent FIN and every byte before them was delivered or reported missing. */
  | 'fin'
  /** A RST was seen. */
  | 'reset'
  /** No packet for `idleTimeout` seconds of packet time, or `flushOlderThan` passed it. */
  | 'timeout'
  /** Dropped to stay within `maxSessions`. */
  | 'evicted'
  /** A new SYN reused the 4-tuple for a new connection. */
  | 'reused'
  /** `end()` was called (end of capture). */
  | 'end';

/** Where a session is in its life. */
export type SessionState = 'opening' | 'established' | 'closing' | 'closed';

/** Counters of one direction (packets sent by that side). */
export interface DirectionStats {
  packets: number;
  /** IP packet bytes as declared by the IP headers (headers plus payload). */
  bytes: number;
  /** IP and TCP header bytes (IPv6 extension headers included). */
  headerBytes: number;
  /** TCP payload bytes as declared (retransmitted bytes counted again). */
  payloadBytes: number;
  /** Bytes delivered to the ordered stream (each byte once). */
  streamBytes: number;
  /** Segments that carried bytes already seen. */
  retransmissions: number;
  /** Segments that arrived ahead of a hole and were held. */
  outOfOrder: number;
  keepalives: number;
  /** Holes reported as gaps, and the bytes they skipped. */
  gaps: number;
  gapBytes: number;
  /** Retransmissions whose bytes differed from the copy already in the stream. */
  conflicts: number;
  /** Segments with SYN, FIN, RST set. */
  syn: number;
  fin: number;
  rst: number;
}

function directionStats(): DirectionStats {
  return {
    packets: 0,
    bytes: 0,
    headerBytes: 0,
    payloadBytes: 0,
    streamBytes: 0,
    retransmissions: 0,
    outOfOrder: 0,
    keepalives: 0,
    gaps: 0,
    gapBytes: 0,
    conflicts: 0,
    syn: 0,
    fin: 0,
    rst: 0,
  };
}

/** A span of a direction's ordered byte stream. `bytes` is valid only during the event: copy what you keep. */
export interface StreamData {
  readonly side: Side;
  /** Offset of the first byte in this direction's stream (gaps included). */
  readonly offset: number;
  readonly bytes: Uint8Array;
  /** When the segment that carried these bytes was captured. */
  readonly time: PacketTime;
}

/** Bytes of a direction's stream the capture never held; the stream continues after them. */
export interface StreamGap {
  readonly side: Side;
  readonly offset: number;
  readonly size: number;
  readonly reason: GapReason;
  /** When the gap was decided. */
  readonly time: PacketTime;
}

/** A retransmission whose bytes differ from those already in the stream (the first copy was kept). */
export interface StreamOverlap {
  readonly side: Side;
  readonly offset: number;
  readonly size: number;
  readonly time: PacketTime;
}

/** One segment, as reported with `retransmission` and `outOfOrder` events. */
export interface SegmentInfo {
  readonly side: Side;
  readonly seq: number;
  readonly length: number;
  readonly time: PacketTime;
}

/** What a session tells its tracker. Internal: the tracker turns these into events. */
export interface SessionHost {
  onData(s: TcpSession, d: StreamData): void;
  onGap(s: TcpSession, g: StreamGap): void;
  onOverlap(s: TcpSession, o: StreamOverlap): void;
  onSegment(s: TcpSession, outcome: SegmentOutcome, info: SegmentInfo): void;
  onHandshake(s: TcpSession): void;
  onFin(s: TcpSession, side: Side, time: PacketTime): void;
  onReset(s: TcpSession, side: Side, time: PacketTime): void;
  onClose(s: TcpSession, reason: CloseReason, time: PacketTime): void;
  /** True when anyone listens to data events (otherwise bytes need not be sliced into events). */
  readonly wantsData: boolean;
}

/**
 * One TCP connection: both directions, their reassembled streams and their statistics.
 * Sessions are made by a `TcpTracker`; read them, don't construct them.
 */
export class TcpSession {
  state: SessionState = 'opening';
  /** Why the session closed, once it has. */
  closeReason: CloseReason | undefined;
  /** Capture time of the first packet. */
  readonly firstTime: PacketTime;
  private lastSeconds: number;
  private lastNanos: number;
  /** Seconds from the client's SYN to the client's ACK of the SYN-ACK, once seen. */
  handshakeTime: number | undefined;
  /** Seconds from the client's SYN to the server's SYN-ACK, once seen. */
  synAckTime: number | undefined;
  readonly stats: { readonly client: DirectionStats; readonly server: DirectionStats };
  private extra: Map<string | symbol, unknown> | undefined;
  /** @internal Reassemblers: [client->server, server->client]. */
  readonly streams: readonly [Reassembler, Reassembler];
  /** @internal Bytes the tracker last charged for this session. */
  charged = 0;
  /** @internal Places in the tracker's activity orders. */
  readonly order: LruNode<TcpSession> = lruNode<TcpSession>(this);
  readonly holding: LruNode<TcpSession> = lruNode<TcpSession>(this);
  /** @internal Packet time of the last packet, in seconds. */
  lastSeen: number;
  /** @internal Endpoint key of the client. */
  readonly clientKey: string;
  private synTime: PacketTime | undefined;
  private clientIsn: number | undefined;
  private serverIsn: number | undefined;

  constructor(
    /** Stream number in order of first packet, as Wireshark's `tcp.stream`. */
    readonly id: number,
    /** The 4-tuple key shared by both directions. */
    readonly key: string,
    readonly family: 4 | 6,
    readonly client: Endpoint,
    readonly server: Endpoint,
    clientKey: string,
    time: PacketTime,
    now: number,
    private readonly host: SessionHost,
    historyLimit: number,
  ) {
    this.clientKey = clientKey;
    this.firstTime = timeOf(time);
    this.lastSeconds = time.seconds;
    this.lastNanos = time.nanoseconds;
    this.lastSeen = now;
    this.stats = { client: directionStats(), server: directionStats() };
    this.streams = [
      new Reassembler(new SideSink(this, 'client', this.stats.client, host), historyLimit),
      new Reassembler(new SideSink(this, 'server', this.stats.server, host), historyLimit),
    ];
  }

  /** Free for consumers (protocol packages) to keep per-session state, keyed by a name or symbol of their own. */
  get data(): Map<string | symbol, unknown> {
    return (this.extra ??= new Map());
  }

  /** Capture time of the latest packet. */
  get lastTime(): PacketTime {
    return { seconds: this.lastSeconds, nanoseconds: this.lastNanos };
  }

  /** Seconds from the first to the latest packet. */
  get duration(): number {
    return secondsBetween(this.firstTime, this.lastTime);
  }

  /** True once the three-way handshake was seen. */
  get handshakeComplete(): boolean {
    return this.handshakeTime !== undefined;
  }

  /** Bytes held for this session: out-of-order segments and overlap-check windows. */
  get bufferedBytes(): number {
    return this.streams[0].cost + this.streams[1].cost;
  }

  /** Offset each direction's stream has reached (bytes delivered plus gaps). */
  get streamOffsets(): { client: number; server: number } {
    return { client: this.streams[0].next, server: this.streams[1].next };
  }

  /** `client.address:port <-> server.address:port`, IPv6 addresses in brackets. */
  toString(): string {
    const ep = (e: Endpoint) => (this.family === 6 ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`);
    return `${ep(this.client)} <-> ${ep(this.server)}`;
  }

  /** True when a SYN starts a new connection on this tuple rather than repeating this one's. @internal */
  isReusedBy(seg: TcpSegment): boolean {
    const t = seg.tcp;
    if ((t.flags & (TcpFlags.SYN | TcpFlags.ACK)) !== TcpFlags.SYN) return false;
    // Joined mid-stream: a SYN cannot belong to the connection already under way.
    if (this.clientIsn === undefined) return true;
    return t.seq !== this.clientIsn;
  }

  /** @internal Adds a segment of this session. */
  add(seg: TcpSegment, time: PacketTime, now: number): void {
    const tcp = seg.tcp;
    const fromClient = seg.srcKey === this.clientKey;
    const side: Side = fromClient ? 'client' : 'server';
    const st = fromClient ? this.stats.client : this.stats.server;
    const flags = tcp.flags;
    const length = tcp.declaredPayloadLength;
    this.lastSeconds = time.seconds;
    this.lastNanos = time.nanoseconds;
    this.lastSeen = now;
    st.packets++;
    st.bytes += seg.ipBytes;
    st.payloadBytes += length;
    st.headerBytes += Math.max(0, seg.ipBytes - length);
    const syn = (flags & TcpFlags.SYN) !== 0;
    const fin = (flags & TcpFlags.FIN) !== 0;
    const rst = (flags & TcpFlags.RST) !== 0;
    const ack = (flags & TcpFlags.ACK) !== 0;
    if (syn) st.syn++;
    if (fin) st.fin++;
    if (rst) st.rst++;
    if (this.state === 'closed') {
      // A late packet of a closed connection (an ACK of the last FIN, a retransmission):
      // counted, not reassembled.
      if (length > 0) st.retransmissions++;
      return;
    }
    if (syn) {
      this.handshake(fromClient, ack, tcp.seq, tcp.ack, time);
    } else if (this.state === 'opening') {
      const completes = fromClient && ack && this.serverIsn !== undefined && tcp.ack === ((this.serverIsn + 1) >>> 0);
      // Established by the ACK of the SYN-ACK; or by data, or at once when joined mid-stream.
      if (completes || length > 0 || this.clientIsn === undefined) this.state = 'established';
      if (completes && this.synTime) {
        this.handshakeTime = secondsBetween(this.synTime, time);
        this.host.onHandshake(this);
      }
    }
    const stream = this.streams[fromClient ? 0 : 1];
    const outcome = stream.segment(tcp.seq, syn, fin, tcp.payload, length, time);
    if (outcome === 'retransmission') st.retransmissions++;
    else if (outcome === 'out-of-order') st.outOfOrder++;
    else if (outcome === 'keepalive') st.keepalives++;
    if (outcome === 'retransmission' || outcome === 'out-of-order') {
      this.host.onSegment(this, outcome, { side, seq: tcp.seq, length, time });
    }
    // An RST's acknowledgment number may be arbitrary: never take it as proof of receipt.
    if (ack && !rst) this.streams[fromClient ? 1 : 0].acked(tcp.ack, time);
    if (fin && this.state !== 'closing') this.state = 'closing';
    if (rst) {
      this.host.onReset(this, side, time);
      this.close('reset', time);
      return;
    }
    if (this.streams[0].finished && this.streams[1].finished) this.close('fin', time);
  }

  /** @internal Ends the session: remaining holes become gaps, held bytes are delivered. */
  close(reason: CloseReason, time: PacketTime): void {
    if (this.state === 'closed') return;
    this.streams[0].close(time);
    this.streams[1].close(time);
    this.state = 'closed';
    this.closeReason = reason;
    this.host.onClose(this, reason, time);
  }

  private handshake(fromClient: boolean, ack: boolean, seq: number, ackNumber: number, time: PacketTime): void {
    if (!ack && fromClient) {
      if (this.clientIsn === undefined) {
        this.clientIsn = seq;
        this.synTime = timeOf(time);
      }
    } else if (ack && !fromClient && this.serverIsn === undefined) {
      this.serverIsn = seq;
      // Capture started after the SYN: the SYN-ACK still tells which SYN it answers.
      if (this.clientIsn === undefined) this.clientIsn = (ackNumber - 1) >>> 0;
      if (this.synTime) this.synAckTime = secondsBetween(this.synTime, time);
    }
  }

}

/** Passes one direction's stream to its session's host; methods on a prototype keep sessions small. */
class SideSink implements ReassemblySink {
  constructor(
    private readonly session: TcpSession,
    private readonly side: Side,
    private readonly st: DirectionStats,
    private readonly host: SessionHost,
  ) {}

  data(bytes: Uint8Array, offset: number, time: PacketTime): void {
    this.st.streamBytes += bytes.length;
    if (this.host.wantsData) this.host.onData(this.session, { side: this.side, offset, bytes, time });
  }

  gap(offset: number, size: number, reason: GapReason, time: PacketTime): void {
    this.st.gaps++;
    this.st.gapBytes += size;
    this.host.onGap(this.session, { side: this.side, offset, size, reason, time });
  }

  conflict(offset: number, size: number, time: PacketTime): void {
    this.st.conflicts++;
    this.host.onOverlap(this.session, { side: this.side, offset, size, time });
  }

  finished(time: PacketTime): void {
    this.host.onFin(this.session, this.side, time);
  }
}
