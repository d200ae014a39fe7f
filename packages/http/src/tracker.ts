import { argumentRangeError, argumentTypeError, optionsArgument } from '@pcap/decode';
import { Emitter, type Side, type StreamData, type TcpSession, type TcpTracker } from '@pcap/tcp';
import { HttpConnection, type ConnectionHost, type ConnectionLimits, type HttpLimitInfo } from './connection.js';
import type { HttpExchange } from './exchange.js';
import { looksLike } from './parser.js';

export interface HttpTrackerOptions {
  /** Largest start line plus header block parsed; a larger one is skipped. Default 65536. */
  maxHeaderBytes?: number;
  /** Body bytes kept per message (`body`); the rest is counted in `bodySize`. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Requests of one connection kept while they await a response; past it the oldest is
   * reported as an exchange without a response (a `limit` event says so). Default 1024.
   */
  maxPendingRequests?: number;
  /**
   * Server ports on which a connection the capture joined mid-stream (its first bytes are
   * not a start line) is still taken as HTTP, and parsed from the next start line. Other
   * connections are HTTP when their first bytes are a request or status line.
   */
  ports?: readonly number[];
}

/** Events of an `HttpTracker`. */
export interface HttpTrackerEvents {
  /** A request's head was parsed (its body and response may follow). */
  request: (exchange: HttpExchange) => void;
  /** An exchange is over: its final response ended, or the connection closed without one. */
  exchange: (exchange: HttpExchange) => void;
  /** A 101 response or a successful CONNECT turned the connection into a tunnel; parsing stops. */
  upgrade: (exchange: HttpExchange) => void;
  /** Bytes that were not HTTP were skipped (after a gap, or a line that is not a start line). */
  skipped: (session: TcpSession, side: Side, bytes: number, reason: string) => void;
  /** A bound of the options was hit on a connection; what was kept and what was not is in `info`. */
  limit: (session: TcpSession, info: HttpLimitInfo) => void;
}

/** What an `HttpTracker` holds now. */
export interface HttpTrackerStats {
  /** Connections taken as HTTP and not closed yet. */
  connections: number;
  /** Requests awaiting a response, over all connections. */
  pendingRequests: number;
  /**
   * Bytes held for all connections: header buffers, bodies of messages in flight, partial
   * lines, and requests awaiting a response. Per connection it stays under about
   * `2 × (maxHeaderBytes × 2 + maxBodyBytes + 82 KiB) + maxPendingRequests × (maxHeaderBytes + maxBodyBytes)`.
   */
  heldBytes: number;
  /** Times a bound was hit (each also a `limit` event). */
  limitHits: number;
}

const DEFAULT_PORTS = [80, 591, 3128, 8000, 8008, 8080, 8081, 8888];

/** Every option `HttpTracker` takes, for the warning about a name it does not know. */
const OPTION_NAMES: readonly (keyof HttpTrackerOptions)[] = ['maxHeaderBytes', 'maxBodyBytes', 'maxPendingRequests', 'ports'];

/**
 * HTTP/1.0 and 1.1 exchanges from the reassembled streams of a `TcpTracker`.
 *
 * ```ts
 * const tcp = new TcpTracker();
 * const http = new HttpTracker(tcp);
 * http.on('exchange', (x) => console.log(`${x}`));
 * for await (const rec of readCapture('trace.pcap')) tcp.addRecord(rec);
 * tcp.end();
 * ```
 */
export class HttpTracker extends Emitter<HttpTrackerEvents> {
  /** Per session: its HTTP state, null when the session is not HTTP, or its first bytes while too few to tell. */
  private readonly connections = new WeakMap<TcpSession, HttpConnection | null | StreamData>();
  private readonly host: ConnectionHost;
  private readonly limits: ConnectionLimits;
  /** Connections not closed yet, for `stats()`. */
  private readonly live = new Set<HttpConnection>();
  private limitHits = 0;
  private readonly ports: ReadonlySet<number>;

  constructor(tcp: TcpTracker, options: HttpTrackerOptions = {}) {
    super();
    checkTcp(tcp);
    const o = optionsArgument('HttpTracker', options, 'options', OPTION_NAMES);
    this.limits = {
      maxHeaderBytes: bound('maxHeaderBytes', o.maxHeaderBytes, 65536),
      maxBodyBytes: bound('maxBodyBytes', o.maxBodyBytes, 1 << 20, 0),
      maxPendingRequests: bound('maxPendingRequests', o.maxPendingRequests, 1024),
    };
    this.ports = new Set(ports(o.ports) ?? DEFAULT_PORTS);
    this.host = {
      request: (x) => this.emit('request', x),
      exchange: (x) => this.emit('exchange', x),
      upgrade: (x) => this.emit('upgrade', x),
      skipped: (s, side, n, why) => this.emit('skipped', s, side, n, why),
      limit: (s, info) => {
        this.limitHits++;
        this.emit('limit', s, info);
      },
    };
    tcp.on('data', (s, d) => {
      const c = this.connections.get(s);
      if (c instanceof HttpConnection) return c.data(d);
      if (c === null) return;
      // Undecided: `c` is nothing yet, or first bytes too short to tell.
      const joined = c ? joinFirst(c, d) : d;
      const pieces = joined ? [joined] : [c!, d];
      const f = pieces[0]!;
      if (pieces.length === 1 && f.offset === 0 && f.bytes.length < 16 && couldStart(f.bytes)) {
        this.connections.set(s, { ...f, bytes: f.bytes.slice() });
        return;
      }
      const conn = this.detect(s, f.side, f.bytes, f.offset);
      this.connections.set(s, conn);
      if (conn) this.live.add(conn);
      if (conn) for (const p of pieces) conn.data(p);
    });
    tcp.on('gap', (s, g) => {
      const c = this.connections.get(s);
      if (c instanceof HttpConnection) c.gap(g);
    });
    tcp.on('fin', (s, side, time) => {
      const c = this.connections.get(s);
      if (c instanceof HttpConnection) c.fin(side, time);
    });
    tcp.on('close', (s, _reason, time) => {
      const c = this.connections.get(s);
      if (c instanceof HttpConnection) {
        c.close(time);
        this.live.delete(c);
      }
      this.connections.delete(s);
    });
  }

  /** Connections, waiting requests and bytes held now (a walk over the open connections). */
  stats(): HttpTrackerStats {
    let pendingRequests = 0;
    let heldBytes = 0;
    for (const c of this.live) {
      pendingRequests += c.pendingRequests;
      heldBytes += c.heldBytes;
    }
    return { connections: this.live.size, pendingRequests, heldBytes, limitHits: this.limitHits };
  }

  /** Decides from a connection's first bytes whether it carries HTTP, and which side asks. */
  private detect(s: TcpSession, side: Side, first: Uint8Array, offset: number): HttpConnection | null {
    const other: Side = side === 'client' ? 'server' : 'client';
    if (offset === 0 && looksLike(first, 'request')) return new HttpConnection(s, side, this.host, this.limits, false);
    if (offset === 0 && looksLike(first, 'response')) return new HttpConnection(s, other, this.host, this.limits, false);
    if (this.ports.has(s.server.port)) return new HttpConnection(s, 'client', this.host, this.limits, true);
    if (this.ports.has(s.client.port)) return new HttpConnection(s, 'server', this.host, this.limits, true);
    return null;
  }
}

/** An option's value, checked to be a whole number of at least `min`, or its default. */
function bound(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const want = `an integer of at least ${min}`;
  const hint = `e.g. { ${name}: ${fallback} }`;
  if (typeof value !== 'number') throw argumentTypeError('HttpTracker', `option ${name}`, want, value, hint);
  if (!Number.isInteger(value) || value < min) throw argumentRangeError('HttpTracker', `option ${name}`, want, value, hint);
  return value;
}

/** The `tcp` argument must be the tracker whose events feed this one. */
function checkTcp(tcp: unknown): void {
  const t = tcp as Partial<TcpTracker> | null | undefined;
  // Only its events are used, so anything with `on` (a TcpTracker, or a stand-in in tests) will do.
  if (typeof t?.on === 'function') return;
  const optionsFirst = typeof tcp === 'object' && tcp !== null && !Array.isArray(tcp);
  throw argumentTypeError(
    'HttpTracker',
    'tcp',
    'a TcpTracker',
    tcp,
    optionsFirst
      ? 'the TcpTracker goes first: new HttpTracker(new TcpTracker(), options), then feed the TcpTracker'
      : 'make one with new TcpTracker() and feed it records with addRecord()',
  );
}

/** Server ports from the `ports` option, checked, or undefined when it is left out. */
function ports(value: unknown): readonly number[] | undefined {
  if (value === undefined) return undefined;
  const want = 'an array of port numbers from 1 to 65535';
  if (!Array.isArray(value)) {
    throw argumentTypeError('HttpTracker', 'option ports', want, value, typeof value === 'number' ? `wrap it in a list: { ports: [${value}] }` : 'e.g. { ports: [80, 8080] }');
  }
  value.forEach((port: unknown, i) => {
    if (typeof port !== 'number') throw argumentTypeError('HttpTracker', `option ports[${i}]`, 'a port number from 1 to 65535', port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw argumentRangeError('HttpTracker', `option ports[${i}]`, 'a port number from 1 to 65535', port);
  });
  return value as number[];
}

/** The first bytes of a side joined with the next piece of the same side, or undefined when that is not what `d` is. */
function joinFirst(first: StreamData, d: StreamData): StreamData | undefined {
  if (d.side !== first.side || d.offset !== first.offset + first.bytes.length) return undefined;
  const bytes = new Uint8Array(first.bytes.length + d.bytes.length);
  bytes.set(first.bytes);
  bytes.set(d.bytes, first.bytes.length);
  return { ...first, bytes };
}

/** Too short to tell, but could still become a request or status line. */
function couldStart(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x20) return false;
    const upper = c >= 0x41 && c <= 0x5a;
    if (!upper && c !== 0x2d && !(c === 0x2f || c === 0x2e || (c >= 0x30 && c <= 0x39))) return false;
  }
  return b.length > 0;
}
