import type { PacketTime, TcpSession } from '@pcap/tcp';
import type { HttpRequest, HttpResponse } from './message.js';

/** A connection that stopped carrying HTTP: a 101 Switching Protocols, or a CONNECT tunnel. */
export interface HttpUpgrade {
  readonly kind: 'upgrade' | 'connect';
  /** The Upgrade header of the 101 response (e.g. `websocket`), or the CONNECT target. */
  readonly protocol: string | undefined;
}

/** When the parts of an exchange were captured (packet time). */
export interface HttpTiming {
  requestStart: PacketTime | undefined;
  requestEnd: PacketTime | undefined;
  /** The first byte of the response (an interim 1xx counts). */
  responseStart: PacketTime | undefined;
  responseEnd: PacketTime | undefined;
}

/**
 * A request and the response paired with it on one connection (responses pair with
 * requests in order, as HTTP/1.1 pipelining requires). Either side may be missing: a
 * response whose request was not captured, or a request the connection closed on.
 */
export class HttpExchange {
  request: HttpRequest | undefined;
  response: HttpResponse | undefined;
  /** Interim responses (100 Continue, 103 Early Hints ...) before the final one. */
  readonly informational: HttpResponse[] = [];
  /** Set when this exchange turned the connection into something other than HTTP. */
  upgrade: HttpUpgrade | undefined;

  constructor(
    /** The TCP session; `session.id` is the stream number (tshark's `tcp.stream`). */
    readonly session: TcpSession,
    /** Position of the exchange on its connection, from 0. */
    readonly index: number,
  ) {}

  get method(): string | undefined {
    return this.request?.method;
  }
  get url(): string | undefined {
    return this.request?.url;
  }
  get host(): string | undefined {
    return this.request?.host;
  }
  get status(): number | undefined {
    return this.response?.status;
  }

  /** True when a part is missing or was cut by a gap or by the connection's end. */
  get incomplete(): boolean {
    if (this.upgrade) return !this.request || !this.response || this.request.incomplete;
    return !this.request || !this.response || this.request.incomplete || this.response.incomplete;
  }

  get timing(): HttpTiming {
    const first = this.informational[0] ?? this.response;
    return {
      requestStart: this.request?.startTime,
      requestEnd: this.request?.endTime,
      responseStart: first?.startTime,
      responseEnd: this.response?.endTime,
    };
  }

  /** `GET http://host/path -> 200` style text. */
  toString(): string {
    const host = this.host ?? '';
    const url = this.url ?? '?';
    const target = url.startsWith('/') ? `${host}${url}` : url;
    return `${this.method ?? '?'} ${target} -> ${this.status ?? '(no response)'}${this.incomplete ? ' (incomplete)' : ''}`;
  }
}
