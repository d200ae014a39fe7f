import type { PacketTime, Side, StreamData, StreamGap, TcpSession } from '@pcap/tcp';
import { HttpExchange } from './exchange.js';
import { hasToken, header, type HttpRequest, type HttpResponse } from './message.js';
import { isChunked, MessageParser, type BodyPlan, type ParserLimits } from './parser.js';

/** What a connection reports to its tracker. */
export interface ConnectionHost {
  request(x: HttpExchange): void;
  exchange(x: HttpExchange): void;
  upgrade(x: HttpExchange): void;
  skipped(session: TcpSession, side: Side, bytes: number, reason: string): void;
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
    limits: ParserLimits,
    midStream: boolean,
  ) {
    const responseSide: Side = requestSide === 'client' ? 'server' : 'client';
    this.requests = new MessageParser<HttpRequest>(
      'request',
      {
        head: (m) => this.requestHead(m),
        done: () => {},
        skipped: (n, why) => host.skipped(session, requestSide, n, why),
      },
      limits,
    );
    this.responses = new MessageParser<HttpResponse>(
      'response',
      {
        head: (m) => this.responseHead(m),
        done: (m) => this.responseDone(m),
        skipped: (n, why) => host.skipped(session, responseSide, n, why),
      },
      limits,
    );
    if (midStream) {
      // The first bytes may be the middle of a message: look for a start line.
      this.requests.gap(0, session.firstTime);
      this.responses.gap(0, session.firstTime);
    }
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

  private responseDone(m: HttpResponse): void {
    const x = this.current;
    this.current = undefined;
    if (!x) return;
    if (m.status >= 100 && m.status < 200 && m.status !== 101) {
      x.informational.push(m);
      return;
    }
    x.response = m;
    this.waiting.splice(this.waiting.indexOf(x), 1);
    if (x.upgrade) {
      this.host.upgrade(x);
      this.responses.tunnel();
    }
    this.host.exchange(x);
  }
}
