import { Emitter, type CloseReason, type PacketTime, type Side, type StreamData, type StreamGap, type TcpSession, type TcpTracker, type TcpTrackerEvents } from '@pcap/tcp';
import { HttpExchange } from '../exchange.js';
import { HttpTracker, type HttpTrackerOptions } from '../tracker.js';

/** Stands in for a TcpTracker: tests say exactly which stream bytes, gaps and closes happen when. */
class FakeTcp extends Emitter<TcpTrackerEvents> {
  fire<K extends keyof TcpTrackerEvents>(event: K, ...args: Parameters<TcpTrackerEvents[K]>): void {
    this.emit(event, ...args);
  }
}

export function ms(n: number): PacketTime {
  return { seconds: 1_700_000_000 + Math.floor(n / 1000), nanoseconds: (n % 1000) * 1_000_000 };
}

/** One connection's two reassembled streams, fed by hand, and what HTTP made of them. */
export class Wire {
  readonly tcp = new FakeTcp();
  readonly http: HttpTracker;
  readonly exchanges: HttpExchange[] = [];
  readonly log: string[] = [];
  readonly session: TcpSession;
  private offsets = { client: 0, server: 0 };

  constructor(options: HttpTrackerOptions = {}, ports = { client: 40000, server: 80 }, id = 0) {
    this.http = new HttpTracker(this.tcp as unknown as TcpTracker, options);
    this.session = {
      id,
      firstTime: ms(0),
      client: { address: '192.0.2.1', port: ports.client },
      server: { address: '203.0.113.5', port: ports.server },
    } as unknown as TcpSession;
    this.http.on('exchange', (x) => {
      this.exchanges.push(x);
      this.log.push(`exchange ${x}`);
    });
    this.http.on('request', (x) => this.log.push(`request ${x.method} ${x.url}`));
    this.http.on('upgrade', (x) => this.log.push(`upgrade ${x.upgrade?.kind} ${x.upgrade?.protocol}`));
    this.http.on('skipped', (_s, side, n) => this.log.push(`skipped ${side} ${n}`));
  }

  send(side: Side, data: string | Uint8Array, at: number): this {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    const d: StreamData = { side, offset: this.offsets[side], bytes, time: ms(at) };
    this.offsets[side] += bytes.length;
    this.tcp.fire('data', this.session, d);
    return this;
  }

  /** Client bytes at `at` ms. */
  c(data: string | Uint8Array, at = 0): this {
    return this.send('client', data, at);
  }

  s(data: string | Uint8Array, at = 0): this {
    return this.send('server', data, at);
  }

  gap(side: Side, size: number, at = 0): this {
    const g: StreamGap = { side, offset: this.offsets[side], size, reason: 'acked', time: ms(at) };
    this.offsets[side] += size;
    this.tcp.fire('gap', this.session, g);
    return this;
  }

  fin(side: Side, at = 0): this {
    this.tcp.fire('fin', this.session, side, ms(at));
    return this;
  }

  close(at = 0, reason: CloseReason = 'fin'): this {
    this.tcp.fire('close', this.session, reason, ms(at));
    return this;
  }
}
