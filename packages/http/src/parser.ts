import type { PacketTime } from '@pcap/tcp';
import { header, type Framing, type HeaderList, type HttpMessage, type HttpRequest, type HttpResponse } from './message.js';

/**
 * How the body of a message whose head was just parsed is delimited, or what to do
 * instead: `tunnel` stops parsing this direction for good (the connection now carries
 * another protocol); `pause` holds further bytes until `resume()` or `tunnel()` (a CONNECT
 * or Upgrade request waits for the response that decides).
 */
export type BodyPlan = { framing: Framing; length?: number } | 'tunnel' | 'pause';

/** What a parser tells its connection. */
export interface ParserHooks<M extends HttpMessage> {
  /** The head of a message was parsed; return how its body is delimited. */
  head(msg: M): BodyPlan;
  /** A message ended, whole or cut (`msg.incomplete`). */
  done(msg: M): void;
  /** Bytes that are not HTTP were skipped while looking for the next message. */
  skipped?(bytes: number, reason: string): void;
  /** A message hit a bound of `ParserLimits`: its header block (skipped), its kept body or its trailers (the rest not kept). */
  limit?(kind: 'header' | 'body' | 'trailers', bytes: number): void;
}

export interface ParserLimits {
  /** Largest start line plus header block accepted; also bounds the trailers kept after a chunked body. */
  maxHeaderBytes: number;
  /** Body bytes kept per message (the rest are counted, not kept). */
  maxBodyBytes: number;
}

type State = 'start' | 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'close' | 'paused' | 'tunnel' | 'resync';

const MAX_LINE = 8192;
const MAX_PAUSED = 65536;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(\d\.\d)$/;
const STATUS_LINE = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/;

/**
 * An incremental HTTP/1.0 and 1.1 parser for one direction of a captured connection. It
 * takes the reassembled bytes in pieces of any size and, unlike a server's parser, is told
 * about bytes the capture lost (`gap`): a gap inside a Content-Length or chunk body is
 * counted and parsing goes on; elsewhere the cut message ends as incomplete and the parser
 * looks for the next start line. It never throws on the bytes it is given.
 */
export class MessageParser<M extends HttpMessage> {
  private state: State = 'start';
  private msg: M | undefined;
  private head = new Uint8Array(1024);
  private headLen = 0;
  private scanFrom = 0;
  private line = '';
  private remaining = 0;
  private body: Uint8Array[] = [];
  private kept = 0;
  /** Bytes of trailer lines seen in the message in flight. */
  private trailerBytes = 0;
  /** True once the message in flight had more body than `maxBodyBytes`. */
  private bodyCapped = false;
  private paused: Array<{ bytes: Uint8Array; time: PacketTime }> = [];
  private pausedBytes = 0;
  private pausedGap = false;
  private carry: Uint8Array[] = [];
  private carryLen = 0;
  private carryFresh = true;
  private lastTime: PacketTime | undefined;

  constructor(
    readonly kind: 'request' | 'response',
    private readonly hooks: ParserHooks<M>,
    private readonly limits: ParserLimits,
  ) {}

  /** True once the direction became a tunnel (after CONNECT or an upgrade): no more HTTP. */
  get tunneled(): boolean {
    return this.state === 'tunnel';
  }

  /** True while no message is in flight. */
  get idle(): boolean {
    return this.state === 'start';
  }

  /** Parses the next bytes of the stream, captured at `time`. */
  push(bytes: Uint8Array, time: PacketTime): void {
    if (bytes.length > 0) this.lastTime = time;
    let i = 0;
    // Every pass consumes at least one byte or moves to a state that will.
    for (let guard = 2 * bytes.length + 8; i < bytes.length && guard > 0; guard--) {
      switch (this.state) {
        case 'start': {
          while (i < bytes.length && (bytes[i] === 0x0d || bytes[i] === 0x0a)) i++;
          if (i < bytes.length) this.begin(time);
          break;
        }
        case 'head':
          i = this.readHead(bytes, i, time);
          break;
        case 'length': {
          const n = Math.min(this.remaining, bytes.length - i);
          this.keep(bytes.subarray(i, i + n));
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) this.finish(time, true);
          break;
        }
        case 'close':
          this.keep(bytes.subarray(i));
          i = bytes.length;
          break;
        case 'chunk-size':
        case 'chunk-end':
        case 'trailers': {
          const r = this.readLine(bytes, i);
          i = r.next;
          if (r.line !== undefined) this.onLine(r.line, time);
          break;
        }
        case 'chunk-data': {
          const n = Math.min(this.remaining, bytes.length - i);
          this.keep(bytes.subarray(i, i + n));
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = 'chunk-end';
          break;
        }
        case 'paused': {
          const rest = bytes.subarray(i);
          if (this.pausedBytes + rest.length <= MAX_PAUSED) {
            this.paused.push({ bytes: rest.slice(), time });
            this.pausedBytes += rest.length;
          } else {
            this.pausedGap = true;
          }
          i = bytes.length;
          break;
        }
        case 'tunnel':
          return;
        case 'resync':
          i = this.resync(bytes, i, time);
          break;
      }
    }
  }

  /**
   * `size` bytes of the stream were lost. Inside a body of known length they are counted
   * as missing and parsing continues; otherwise the message in flight ends as incomplete
   * and the parser looks for the next start line.
   */
  gap(size: number, time: PacketTime): void {
    const msg = this.msg;
    switch (this.state) {
      case 'length':
      case 'chunk-data': {
        const n = Math.min(size, this.remaining);
        msg!.missingBytes += n;
        msg!.bodySize += n;
        msg!.incomplete = true;
        this.remaining -= n;
        if (size < this.remaining + n) return;
        if (this.state === 'chunk-data' && size === n) {
          this.state = 'chunk-end';
          return;
        }
        this.finish(time, false);
        // The rest of the gap swallowed the start of what followed.
        if (size > n) this.toResync();
        return;
      }
      case 'close':
        msg!.missingBytes += size;
        msg!.bodySize += size;
        msg!.incomplete = true;
        return;
      case 'paused':
        this.pausedGap = true;
        return;
      case 'tunnel':
        return;
      case 'resync':
        this.toResync();
        return;
      case 'start':
        this.toResync();
        return;
      default:
        // In a head, a chunk-size line or trailers: the framing is lost.
        if (this.state !== 'head') this.finish(time, false);
        else this.msg = undefined;
        this.toResync();
    }
  }

  /** The direction ended at `time` (its FIN): a body delimited by the close is complete, any other message in flight is not. */
  end(time: PacketTime): void {
    if (this.state === 'close') this.finish(time, true);
    else if (this.msg && this.state !== 'head' && this.state !== 'tunnel' && this.state !== 'paused' && this.state !== 'start') this.finish(time, false);
  }

  /**
   * Bytes this parser holds now: its header buffer, the body kept for the message in
   * flight, bytes held while paused, a partial line and the trailers kept. Each is bounded by
   * the limits, so this never exceeds about `maxHeaderBytes × 2 + maxBodyBytes + 82 KiB`.
   */
  get heldBytes(): number {
    return this.head.length + this.kept + this.pausedBytes + this.carryLen + this.line.length + Math.min(this.trailerBytes, this.limits.maxHeaderBytes);
  }

  /** Capture time of the last bytes given to `push`. */
  get lastByteTime(): PacketTime | undefined {
    return this.lastTime;
  }

  /** Continues after a pause (the CONNECT or Upgrade was refused): parses the bytes held meanwhile. */
  resume(): void {
    if (this.state !== 'paused') return;
    const held = this.paused;
    const lost = this.pausedGap;
    this.paused = [];
    this.pausedBytes = 0;
    this.pausedGap = false;
    if (lost) this.toResync();
    else this.state = 'start';
    for (const h of held) this.push(h.bytes, h.time);
  }

  /** Stops parsing for good: the connection carries another protocol from here on. */
  tunnel(): void {
    this.paused = [];
    this.pausedBytes = 0;
    this.state = 'tunnel';
  }

  private begin(time: PacketTime): void {
    const common: HttpMessage = {
      version: '',
      headers: [],
      trailers: [],
      framing: 'none',
      contentLength: undefined,
      body: new Uint8Array(0),
      bodySize: 0,
      missingBytes: 0,
      headerBytes: 0,
      incomplete: false,
      startTime: time,
      endTime: undefined,
    };
    this.msg = (this.kind === 'request' ? { ...common, method: '', url: '', host: undefined } : { ...common, status: 0, reason: '' }) as unknown as M;
    this.headLen = 0;
    this.scanFrom = 0;
    this.body = [];
    this.kept = 0;
    this.trailerBytes = 0;
    this.bodyCapped = false;
    this.state = 'head';
  }

  /** Copies head bytes until the empty line that ends the header block. */
  private readHead(bytes: Uint8Array, i: number, time: PacketTime): number {
    const room = this.limits.maxHeaderBytes - this.headLen;
    const take = Math.min(bytes.length - i, Math.max(room, 0));
    if (this.headLen + take > this.head.length) {
      let cap = this.head.length * 2;
      while (cap < this.headLen + take) cap *= 2;
      const grown = new Uint8Array(Math.min(cap, this.limits.maxHeaderBytes));
      grown.set(this.head.subarray(0, this.headLen));
      this.head = grown;
    }
    this.head.set(bytes.subarray(i, i + take), this.headLen);
    const before = this.headLen;
    this.headLen += take;
    const h = this.head;
    for (let k = Math.max(this.scanFrom, 1); k < this.headLen; k++) {
      if (h[k] !== 0x0a) continue;
      const blank = h[k - 1] === 0x0a || (h[k - 1] === 0x0d && k >= 2 && h[k - 2] === 0x0a);
      if (!blank) continue;
      const end = k + 1;
      this.headLen = end;
      this.parseHead(end, time);
      return i + (end - before);
    }
    this.scanFrom = this.headLen;
    if (this.headLen >= this.limits.maxHeaderBytes) {
      this.hooks.skipped?.(this.headLen, `header block larger than ${this.limits.maxHeaderBytes} bytes`);
      this.hooks.limit?.('header', this.headLen);
      this.msg = undefined;
      this.toResync();
      return i + take;
    }
    return i + take;
  }

  private parseHead(end: number, time: PacketTime): void {
    const msg = this.msg!;
    const text = latin1(this.head, 0, end);
    const lines = text.split(/\r?\n/);
    const first = lines[0] ?? '';
    msg.headerBytes = end;
    if (this.kind === 'request') {
      const m = REQUEST_LINE.exec(first);
      if (!m) return this.notHttp(end, `not a request line: ${JSON.stringify(first.slice(0, 60))}`);
      const r = msg as unknown as HttpRequest;
      r.method = m[1]!;
      r.url = m[2]!;
      r.version = m[3]!;
    } else {
      const m = STATUS_LINE.exec(first);
      if (!m) return this.notHttp(end, `not a status line: ${JSON.stringify(first.slice(0, 60))}`);
      const r = msg as unknown as HttpResponse;
      r.version = m[1]!;
      r.status = Number(m[2]);
      r.reason = m[3] ?? '';
    }
    msg.headers = parseFields(lines, 1);
    const cl = header(msg.headers, 'content-length');
    if (cl !== undefined && /^\s*\d+\s*$/.test(cl)) msg.contentLength = Number(cl);
    if (this.kind === 'request') (msg as unknown as HttpRequest).host = header(msg.headers, 'host');
    const plan = this.hooks.head(msg);
    if (plan === 'tunnel' || plan === 'pause') {
      msg.endTime = time;
      this.hooks.done(msg);
      this.msg = undefined;
      this.state = plan === 'tunnel' ? 'tunnel' : 'paused';
      return;
    }
    msg.framing = plan.framing;
    if (plan.framing === 'none' || (plan.framing === 'length' && !plan.length)) {
      this.finish(time, true);
    } else if (plan.framing === 'length') {
      this.remaining = plan.length!;
      this.state = 'length';
    } else if (plan.framing === 'chunked') {
      this.state = 'chunk-size';
    } else {
      this.state = 'close';
    }
  }

  private notHttp(bytes: number, reason: string): void {
    this.hooks.skipped?.(bytes, reason);
    this.msg = undefined;
    this.toResync();
  }

  private onLine(line: string, time: PacketTime): void {
    if (this.state === 'chunk-size') {
      const m = /^\s*([0-9A-Fa-f]+)\s*(;.*)?$/.exec(line);
      if (!m || m[1]!.length > 12) {
        this.msg!.incomplete = true;
        this.hooks.skipped?.(line.length, `bad chunk size line: ${JSON.stringify(line.slice(0, 40))}`);
        this.finish(time, false);
        this.toResync();
        return;
      }
      this.remaining = parseInt(m[1]!, 16);
      this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
    } else if (this.state === 'chunk-end') {
      // The CRLF after chunk data; anything else means the framing is off.
      if (line !== '') {
        this.msg!.incomplete = true;
        this.finish(time, false);
        this.toResync();
        return;
      }
      this.state = 'chunk-size';
    } else if (line === '') {
      this.finish(time, true);
    } else {
      // Trailers share the header block's bound: endless trailer lines are counted, not kept.
      const msg = this.msg!;
      const before = this.trailerBytes;
      this.trailerBytes += line.length + 2;
      const bound = this.limits.maxHeaderBytes - msg.headerBytes;
      if (this.trailerBytes <= bound) msg.trailers.push(...parseFields([line], 0));
      else if (before <= bound) {
        this.hooks.skipped?.(line.length + 2, `trailers larger than ${this.limits.maxHeaderBytes} bytes with the header block`);
        this.hooks.limit?.('trailers', this.trailerBytes);
      }
    }
  }

  /** Reads up to a LF; returns the line (CR stripped) when complete. */
  private readLine(bytes: Uint8Array, i: number): { line: string | undefined; next: number } {
    let k = i;
    while (k < bytes.length && bytes[k] !== 0x0a) k++;
    if (this.line.length < MAX_LINE) this.line += latin1(bytes, i, Math.min(k, i + MAX_LINE));
    if (k === bytes.length) return { line: undefined, next: k };
    let line = this.line;
    this.line = '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    return { line, next: k + 1 };
  }

  private keep(b: Uint8Array): void {
    if (b.length === 0) return;
    const msg = this.msg!;
    msg.bodySize += b.length;
    const room = this.limits.maxBodyBytes - this.kept;
    const part = b.length > room ? b.subarray(0, Math.max(room, 0)) : b;
    if (part.length > 0) {
      this.body.push(part.slice());
      this.kept += part.length;
    }
    // Reported once per message; a limit of 0 means bodies are not wanted at all.
    if (part.length < b.length && !this.bodyCapped && this.limits.maxBodyBytes > 0) {
      this.bodyCapped = true;
      this.hooks.limit?.('body', this.kept);
    }
  }

  private finish(time: PacketTime, complete: boolean): void {
    const msg = this.msg;
    this.state = 'start';
    this.line = '';
    if (!msg) return;
    this.msg = undefined;
    msg.endTime = time;
    if (!complete) msg.incomplete = true;
    msg.body = this.body.length === 1 ? this.body[0]! : concat(this.body, this.kept);
    this.body = [];
    this.kept = 0;
    this.hooks.done(msg);
  }

  /**
   * Skips bytes until a line that starts a message of this kind, then parses from it.
   * A partial line is carried to the next piece, so boundaries do not hide a start line.
   */
  private resync(bytes: Uint8Array, i: number, time: PacketTime): number {
    let k = i;
    for (let guard = bytes.length - i + 1; guard > 0 && k < bytes.length; guard--) {
      const nl = bytes.indexOf(0x0a, k);
      if (nl < 0) {
        const rest = bytes.subarray(k);
        if (this.carryLen + rest.length <= MAX_LINE) {
          this.carry.push(rest.slice());
          this.carryLen += rest.length;
        } else {
          this.dropCarry(true);
        }
        return bytes.length;
      }
      const piece = bytes.subarray(k, nl + 1);
      const line = this.carryLen > 0 ? concat([...this.carry, piece], this.carryLen + piece.length) : piece;
      const fresh = this.carryFresh;
      this.dropCarry(false);
      k = nl + 1;
      if (fresh && startsMessage(line, this.kind)) {
        this.state = 'start';
        this.push(line, time);
        return k;
      }
      this.hooks.skipped?.(line.length, 'looking for the next message after a gap');
    }
    return k;
  }

  private toResync(): void {
    this.state = 'resync';
    this.dropCarry(false);
  }

  private dropCarry(overflow: boolean): void {
    if (overflow && this.carryLen > 0) this.hooks.skipped?.(this.carryLen, 'looking for the next message after a gap');
    this.carry = [];
    this.carryLen = 0;
    // A line longer than any start line cannot be one, even once its end arrives.
    this.carryFresh = !overflow;
  }
}

/** True when a whole line (with its LF) is a start line of `kind`. */
function startsMessage(line: Uint8Array, kind: 'request' | 'response'): boolean {
  const c = line[0];
  if (kind === 'response') return c === 0x48 && /^HTTP\/1\.[01] \d{3}/.test(latin1(line, 0, Math.min(line.length, 16)));
  if (c === undefined || c < 0x41 || c > 0x5a) return false;
  return REQUEST_LINE.test(latin1(line, 0, line.length).replace(/\r?\n$/, ''));
}

/** True when bytes look like the start of an HTTP/1 message of `kind` (for telling HTTP from other traffic). */
export function looksLike(b: Uint8Array, kind: 'request' | 'response'): boolean {
  let i = 0;
  while (i < b.length && (b[i] === 0x0d || b[i] === 0x0a)) i++;
  const s = latin1(b, i, Math.min(b.length, i + 24));
  if (kind === 'response') return /^HTTP\/1\.[01] \d/.test(s) || (s.length < 9 && 'HTTP/1.1 '.startsWith(s) && s.length > 0);
  return /^[A-Z][A-Z-]{1,15} \S/.test(s);
}

function parseFields(lines: string[], from: number): HeaderList {
  const out: HeaderList = [];
  for (let i = from; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    if ((l[0] === ' ' || l[0] === '\t') && out.length > 0) {
      // Obsolete line folding: the value continues.
      out[out.length - 1]![1] += ` ${l.trim()}`;
      continue;
    }
    const c = l.indexOf(':');
    if (c <= 0) continue;
    out.push([l.slice(0, c).trim(), l.slice(c + 1).trim()]);
  }
  return out;
}

function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i += 4096) s += String.fromCharCode(...b.subarray(i, Math.min(to, i + 4096)));
  return s;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Whether a message's headers ask for chunked framing (the last transfer coding is `chunked`). */
export function isChunked(h: HeaderList): boolean {
  const te = header(h, 'transfer-encoding');
  if (te === undefined) return false;
  const codings = te.toLowerCase().split(',').map((x) => x.trim());
  return codings[codings.length - 1] === 'chunked';
}

