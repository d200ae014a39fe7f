import type { PacketTime, Side, StreamData, StreamGap, TcpSession } from '@pcap/tcp';
import { HttpExchange } from './exchange.js';
import { hasToken, header, type HttpRequest, type HttpResponse } from './message.js';
import { isChunked, MessageParser, type BodyPlan, type ParserLimits } from './parser.js';

/** A bound an HTTP connection hit, and what was done about it. */
export interface HttpLimitInfo {
  /**
   * `header`: a start line plus header block over `maxHeaderBytes` was skipped; `body`: a body
   * over `maxBodyBytes` is kept only up to it (`bodySize` counts it all); `trailers`: trailers
   * over `maxHeaderBytes` (with the header block) were counted, not kept; `pending-requests`:
   * more than `maxPendingRequests` requests awaited a response, and the oldest was reported
   * as an exchange without one.
   */
  readonly kind: 'header' | 'body' | 'trailers' | 'pending-requests';
  readonly side: Side;
  /** Bytes of the message at the moment the bound was hit, or the number of waiting requests. */
  readonly size: number;
}

/** Limits of one connection: the parser's, and how many requests may await a response. */
export interface ConnectionLimits extends ParserLimits {
  maxPendingRequests: number;
}

/** What a connection reports to its tracker. */
export interface ConnectionHost {
  request(x: HttpExchange): void;
  exchange(x: HttpExchange): void;
  upgrade(x: HttpExchange): void;
  skipped(session: TcpSession, side: Side, bytes: number, reason: string): void;
  limit?(session: TcpSession, info: HttpLimitInfo): void;
}

/**
 * HTTP on one TCP connection: a parser per direction, and the queue that pairs each
 * response with the oldest request still waiting for one.
 */
export class HttpConnection {
  private readonly requests: MessageParser<HttpRequest>;
  private readonly responses: MessageParser<HttpResponse>;
  /** Exchanges whose request was seen and whose final response was not yet. */
  private readonly waiting: HttpExchange[] = [];
  private count = 0;
  private current: HttpExchange | undefined;

  constructor(
    private readonly session: TcpSession,
    /** The side that sends requests (usually the client; not when the capture joined mid-stream). */
    readonly requestSide: Side,
    private readonly host: ConnectionHost,
    private readonly limits: ParserLimits & Partial<ConnectionLimits>,
    midStream: boolean,
  ) {
    const responseSide: Side = requestSide === 'client' ? 'server' : 'client';
    this.requests = new MessageParser<HttpRequest>(
      'request',
      {
        head: (m) => this.requestHead(m),
        done: () => {},
        skipped: (n, why) => host.skipped(session, requestSide, n, why),
        limit: (kind, size) => host.limit?.(session, { kind, side: requestSide, size }),
      },
      limits,
    );
    this.responses = new MessageParser<HttpResponse>(
      'response',
      {
        head: (m) => this.responseHead(m),
        done: (m) => this.responseDone(m),
        skipped: (n, why) => host.skipped(session, responseSide, n, why),
        limit: (kind, size) => host.limit?.(session, { kind, side: responseSide, size }),
      },
      limits,
    );
    if (midStream) {
      // The first bytes may be the middle of a message: look for a start line.
      this.requests.gap(0, session.firstTime);
      this.responses.gap(0, session.firstTime);
    }
  }

  /** Requests awaiting their response. */
  get pendingRequests(): number {
    return this.waiting.length;
  }

  /** Bytes this connection holds: both parsers' buffers and the requests awaiting a response. */
  get heldBytes(): number {
    let n = this.requests.heldBytes + this.responses.heldBytes;
    for (const x of this.waiting) if (x.request) n += x.request.headerBytes + x.request.body.length;
    return n;
  }

  data(d: StreamData): void {
    (d.side === this.requestSide ? this.requests : this.responses).push(d.bytes, d.time);
  }

  gap(g: StreamGap): void {
    (g.side === this.requestSide ? this.requests : this.responses).gap(g.size, g.time);
  }

  /** One side sent its FIN (every byte before it is in): a message delimited by the close ends here. */
  fin(side: Side, time: PacketTime): void {
    (side === this.requestSide ? this.requests : this.responses).end(time);
  }

  /**
   * The connection ended without a FIN (RST, timeout, end of capture) or after both:
   * messages still open end with the last byte they got; requests left unanswered are reported.
   */
  close(time: PacketTime): void {
    this.requests.end(this.requests.lastByteTime ?? time);
    this.responses.end(this.responses.lastByteTime ?? time);
    for (const x of this.waiting.splice(0)) this.host.exchange(x);
  }

  private requestHead(m: HttpRequest): BodyPlan {
    const x = new HttpExchange(this.session, this.count++);
    x.request = m;
    this.waiting.push(x);
    this.host.request(x);
    this.bound();
    const upgrade = header(m.headers, 'upgrade') !== undefined && hasToken(m.headers, 'connection', 'upgrade');
    // The response decides whether the bytes after a CONNECT or an Upgrade request are HTTP.
    if (m.method === 'CONNECT') return 'pause';
    if (isChunked(m.headers)) return { framing: 'chunked' };
    if (m.contentLength !== undefined) return m.contentLength > 0 || !upgrade ? { framing: 'length', length: m.contentLength } : 'pause';
    return upgrade ? 'pause' : { framing: 'none' };
  }

  private responseHead(m: HttpResponse): BodyPlan {
    let x = this.waiting[0];
    if (!x) {
      // A response whose request the capture did not hold.
      x = new HttpExchange(this.session, this.count++);
      this.waiting.push(x);
    }
    this.current = x;
    const method = x.request?.method;
    if (m.status === 101 || (method === 'CONNECT' && m.status >= 200 && m.status < 300)) {
      x.upgrade = { kind: m.status === 101 ? 'upgrade' : 'connect', protocol: m.status === 101 ? header(m.headers, 'upgrade') : x.request?.url };
      this.requests.tunnel();
      return 'tunnel';
    }
    if (m.status >= 100 && m.status < 200) return { framing: 'none' };
    // A refused CONNECT or Upgrade: the request side is HTTP after all.
    this.requests.resume();
    if (method === 'HEAD' || m.status === 204 || m.status === 304) return { framing: 'none' };
    if (isChunked(m.headers)) return { framing: 'chunked' };
    if (m.contentLength !== undefined) return { framing: 'length', length: m.contentLength };
    return { framing: 'close' };
  }

  /**
   * Keeps the requests awaiting a response to `maxPendingRequests` (a capture missing the
   * server's side, or a client pipelining without end): the oldest one not being answered
   * right now is reported as an exchange without a response.
   */
  private bound(): void {
    const max = this.limits.maxPendingRequests ?? Infinity;
    if (this.waiting.length <= max) return;
    const at = this.waiting[0] === this.current ? 1 : 0;
    const [oldest] = this.waiting.splice(at, 1);
    this.host.limit?.(this.session, { kind: 'pending-requests', side: this.requestSide, size: this.waiting.length + 1 });
    if (oldest) this.host.exchange(oldest);
  }

  private responseDone(m: HttpResponse): void {
    const x = this.current;
    this.current = undefined;
    if (!x) return;
    if (m.status >= 100 && m.status < 200 && m.status !== 101) {
      x.informational.push(m);
      return;
    }
    x.response = m;
    const at = this.waiting.indexOf(x);
    if (at >= 0) this.waiting.splice(at, 1);
    if (x.upgrade) {
      this.host.upgrade(x);
      this.responses.tunnel();
    }
    this.host.exchange(x);
  }
}
