import { hex, hexBytes, u16, u32 } from '../bytes.js';
import { DecodeFailure, HeaderLayer, type Layer } from '../layer.js';
import type { DecodeContext, Protocol, TableName } from '../registry.js';
import { HTTP_LINE_PORTS, writeHttpLine } from './http-line.js';
import { short } from './need.js';
import { ascii, type TextBuffer } from '../text-buffer.js';

/** One TCP option as found on the wire; `data` excludes the kind and length bytes. */
export interface TcpOption {
  readonly kind: number;
  /** The option's length field (kind and length bytes included); 1 for EOL and NOP. */
  readonly length: number;
  readonly data: Uint8Array;
}

/** TCP flag bits as in the 12-bit flags field (tcp.flags). */
export const TcpFlags = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  AE: 0x100,
} as const;

/** TCP header (RFC 9293), options included. */
export class Tcp extends HeaderLayer {
  readonly protocol = 'tcp';
  private opts: { list: WireOption[]; cut: boolean } | undefined;
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number,
    /** Payload length as the IP header declares it (may exceed what was captured); negative when the data offset runs past the segment. */
    readonly declaredPayloadLength: number,
    /**
     * Bytes of the 20-byte fixed header that were captured (4 to 20). As in Wireshark, a
     * cut header shows the ports from 4 bytes, the sequence and acknowledgment numbers,
     * header length, flags and window from 16, the checksum from 18, the urgent pointer at 20.
     */
    readonly fixed: number = 20,
    /** True for a data offset below 5: ports, sequence number, header length and `tcp.len` only. */
    readonly badOffset: boolean = false,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get srcport(): number {
    return this.u16(0);
  }
  get dstport(): number {
    return this.u16(2);
  }
  get seq(): number {
    return this.u32(4);
  }
  get ack(): number {
    return this.u32(8);
  }
  /** Header length in bytes (data offset × 4). */
  get headerLength(): number {
    return (this.u8(12) >> 4) * 4;
  }
  /** The 12-bit flags field, reserved bits included (see `TcpFlags`). */
  get flags(): number {
    return this.u16(12) & 0x0fff;
  }
  get window(): number {
    return this.u16(14);
  }
  get checksum(): number {
    return this.u16(16);
  }
  get urgentPointer(): number {
    return this.u16(18);
  }
  /** True when `tcp.len` is known: the data offset fits in the segment the IP header declares. */
  get hasLength(): boolean {
    return this.fixed >= 16 && this.declaredPayloadLength >= 0 && !this.inFragment && !this.inQuote;
  }
  /** The payload length a summary prints: the declared one, 0 when the data offset runs past the segment. */
  get payloadLength(): number {
    return Math.max(0, this.declaredPayloadLength);
  }
  /**
   * True when the segment is quoted by an ICMP or ICMPv6 error: the quoting router cut the
   * datagram, so the length its IP header declares says nothing of what follows, and
   * Wireshark shows no `tcp.len`.
   */
  inQuote = false;
  /**
   * True when the segment is the start of a fragmented datagram (IPv4 MF or IPv6 M flag
   * set): its length is not known, and Wireshark shows no `tcp.len`.
   */
  inFragment = false;

  /**
   * Every option Wireshark shows, in order. Like Wireshark: NOPs are listed; an EOL is
   * listed with the zero bytes after it, up to the first non-zero one; an option whose
   * length byte is missing, below 2 or past the header is not listed and ends the walk;
   * an option of the wrong length for its kind is listed and skipped by its length.
   * `data` excludes the kind and length bytes and holds only what was captured.
   */
  get options(): readonly WireOption[] {
    return this.walk().list;
  }
  /** True when the options ran past the captured bytes (Wireshark stops dissecting there). */
  get optionsCut(): boolean {
    return this.walk().cut;
  }

  private walk(): { list: WireOption[]; cut: boolean } {
    if (this.opts) return this.opts;
    const list: WireOption[] = [];
    const cut = this.scanOptions({ option: (kind, length, b, at, end) => list.push(new WireOption(kind, length, b, at, end)) });
    return (this.opts = { list, cut });
  }

  /**
   * Hands each option to `visit`, in the order `options` lists them; true when they ran
   * past the captured bytes. The summary writes options straight from here, without the
   * objects `options` makes.
   */
  scanOptions(visit: OptionVisitor): boolean {
    // A header overrunning the segment still shows the options captured before the overrun.
    if (this.fixed !== 20 || this.badOffset) return false;
    const start = this.offset + 20;
    // Option bytes run to the data offset; `have` of them were captured.
    return scanTcpOptions(this.bytes, start, this.headerLength - 20, this.headerEnd - start, visit);
  }

  option(kind: number): TcpOption | undefined {
    return this.options.find((x) => x.kind === kind);
  }

  /** Every MSS value (options of kind 2 and length 4). */
  get mssValues(): number[] {
    const out: number[] = [];
    for (const o of this.options) if (o.kind === 2 && o.size === 2) out.push(o.u16(0));
    return out;
  }
  get mss(): number | undefined {
    return this.mssValues[0];
  }
  get windowScale(): number | undefined {
    for (const o of this.options) if (o.kind === 3 && o.size === 1) return o.u8(0);
    return undefined;
  }
  get timestamp(): { tsval: number; tsecr: number } | undefined {
    for (const o of this.options) if (o.kind === 8 && o.size === 8) return { tsval: o.u32(0), tsecr: o.u32(4) };
    return undefined;
  }
  /** Every TSval of a well-formed timestamps option (length 10) whose first four data bytes were captured. */
  get tsvals(): number[] {
    const out: number[] = [];
    for (const o of this.options) if (o.kind === 8 && o.length === 10 && o.size >= 4) out.push(o.u32(0));
    return out;
  }
  /**
   * SACK edges as Wireshark lists them: every left edge with four bytes, every right edge
   * with eight (a block cut in the middle has a left edge only).
   */
  get sackEdges(): { left: number[]; right: number[] } {
    const left: number[] = [];
    const right: number[] = [];
    for (const o of this.options) {
      if (o.kind !== 5) continue;
      for (let i = 0; i + 4 <= o.size; i += 8) {
        left.push(o.u32(i));
        if (i + 8 <= o.size) right.push(o.u32(i + 4));
      }
    }
    return { left, right };
  }
  /** Whole SACK blocks as [left edge, right edge] sequence numbers. */
  get sackBlocks(): Array<[number, number]> {
    const blocks: Array<[number, number]> = [];
    for (const o of this.options) {
      if (o.kind !== 5) continue;
      for (let i = 0; i + 8 <= o.size; i += 8) blocks.push([o.u32(i), o.u32(i + 4)]);
    }
    return blocks;
  }
}

/** Receives options from `Tcp.scanOptions`: kind, declared length, and where the captured data (after kind and length) lies. */
export interface OptionVisitor {
  option(kind: number, length: number, bytes: Uint8Array, at: number, end: number): void;
}

/**
 * Hands each option of the `area` option bytes at `start` in `b`, `have` of them captured, to
 * `visit` (see `Tcp.scanOptions`); true when they ran past the captured bytes.
 */
export function scanTcpOptions(b: Uint8Array, start: number, area: number, have: number, visit: OptionVisitor): boolean {
  for (let i = 0; i < area; ) {
    if (i >= have) return true;
    const kind = b[start + i]!;
    if (kind === 0) {
      // Padding after End of Options: every zero byte shows as another EOL.
      for (; i < area && i < have && b[start + i] === 0; i++) visit.option(kind, 1, b, start + i + 1, start + i + 1);
      return i < area && i >= have;
    }
    if (kind === 1) {
      visit.option(kind, 1, b, start + i + 1, start + i + 1);
      i++;
      continue;
    }
    if (i + 1 >= area) return false;
    if (i + 1 >= have) return true;
    const len = b[start + i + 1]!;
    if (len < 2 || i + len > area) return false;
    visit.option(kind, len, b, start + i + 2, start + Math.min(i + len, have));
    if (i + len > have) return true;
    i += len;
  }
  return false;
}

/**
 * An option as the walk finds it: where its data lies in the packet. The `data` view is made
 * only when asked for; summaries and fields read the bytes in place.
 */
export class WireOption implements TcpOption {
  private view: Uint8Array | undefined = undefined;
  constructor(
    readonly kind: number,
    readonly length: number,
    private readonly bytes: Uint8Array,
    /** Where the data (after kind and length) starts in the packet. */
    private readonly at: number,
    /** Where the captured data ends in the packet. */
    private readonly end: number,
  ) {}

  get data(): Uint8Array {
    return (this.view ??= this.bytes.subarray(this.at, this.end));
  }
  /** Captured data bytes. */
  get size(): number {
    return this.end - this.at;
  }
  /** The data byte at `i`; the big-endian 16- and 32-bit values at `i` below. Within `size`. */
  u8(i: number): number {
    return this.bytes[this.at + i]!;
  }
  u16(i: number): number {
    return u16(this.bytes, this.at + i);
  }
  u32(i: number): number {
    return u32(this.bytes, this.at + i);
  }
  /** The data bytes from `i` on, in hex. */
  hex(i = 0): string {
    return hexBytes(this.bytes, this.at + i, this.end);
  }
}

const FLAG_LETTERS: Array<[number, string]> = [
  [TcpFlags.FIN, 'F'],
  [TcpFlags.SYN, 'S'],
  [TcpFlags.RST, 'R'],
  [TcpFlags.PSH, 'P'],
  [TcpFlags.URG, 'U'],
  [TcpFlags.ECE, 'E'],
  [TcpFlags.CWR, 'W'],
];

/** tcpdump's flag text: `S`, `S.`, `P.`, `F.` ... (`.` is ACK). */
export function tcpFlagText(flags: number): string {
  return FLAG_TEXT[flags & 0xff]!;
}

// tcpdump prints only the low eight flag bits: every combination, worked out once.
const FLAG_TEXT: string[] = Array.from({ length: 256 }, (_, flags) => {
  let s = '';
  for (const [bit, c] of FLAG_LETTERS) if (flags & bit) s += c;
  if (flags & TcpFlags.ACK) s += '.';
  return s || 'none';
});

/** Decodes TCP. Next: `tcp.port`, lower port first. */
export const tcp: Protocol<Tcp> = {
  name: 'tcp',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    // Wireshark reads both ports before anything else.
    if (have < 4) return short('tcp', bytes, offset, end, 20);
    const segment = declaredLength(ctx.layers, offset, end);
    const hlen = have > 12 ? (bytes[offset + 12]! >> 4) * 4 : 20;
    if (have < 20) {
      const l = new Tcp(bytes, offset, end, end, end, segment - hlen, have, hlen < 20);
      l.truncated = true;
      ctx.fail(short('tcp', bytes, offset, end, 20));
      return l;
    }
    if (hlen < 20) {
      const l = new Tcp(bytes, offset, offset + 20, offset + 20, offset + 20, segment - hlen, 20, true);
      l.truncated = true;
      ctx.fail(new DecodeFailure('tcp', bytes, offset, end, 20, hlen, 'data offset field below 5'));
      return l;
    }
    if (hlen > segment) {
      // The header overruns the segment: Wireshark shows the fixed header and stops.
      const l = new Tcp(bytes, offset, end, end, offset + Math.min(hlen, have), -1);
      l.truncated = true;
      ctx.fail(new DecodeFailure('tcp', bytes, offset, end, hlen, segment, 'data offset field past the segment'));
      return l;
    }
    if (have < hlen) {
      const l = new Tcp(bytes, offset, end, end, end, segment - hlen);
      l.truncated = true;
      ctx.fail(short('tcp', bytes, offset, end, hlen, 'data offset field'));
      return l;
    }
    const l = new Tcp(bytes, offset, offset + hlen, end, offset + hlen, segment - hlen);
    l.inFragment = startsFragmentedDatagram(ctx.layers);
    l.inQuote = quoted(ctx.layers);
    l.truncated = segment > have;
    nextByPort(ctx, 'tcp.port', l.srcport, l.dstport);
    return l;
  },
  fields: {
    'tcp.srcport': (l, out) => out.push(l.srcport),
    'tcp.dstport': (l, out) => out.push(l.dstport),
    'tcp.port': (l, out) => out.push(l.srcport, l.dstport),
    'tcp.seq_raw': (l, out) => {
      if (l.fixed >= 16) out.push(l.seq);
    },
    'tcp.ack_raw': (l, out) => {
      if (l.fixed >= 16 && !l.badOffset) out.push(l.ack);
    },
    'tcp.hdr_len': (l, out) => {
      if (l.fixed >= 16) out.push(l.headerLength);
    },
    'tcp.flags': (l, out) => {
      if (l.fixed >= 16 && !l.badOffset) out.push(hex(l.flags, 4));
    },
    'tcp.window_size_value': (l, out) => {
      if (l.fixed >= 16 && !l.badOffset) out.push(l.window);
    },
    'tcp.checksum': (l, out) => {
      if (l.fixed >= 18 && !l.badOffset) out.push(hex(l.checksum, 4));
    },
    'tcp.urgent_pointer': (l, out) => {
      if (l.fixed >= 20 && !l.badOffset) out.push(l.urgentPointer);
    },
    'tcp.len': (l, out) => {
      if (l.hasLength) out.push(l.declaredPayloadLength);
    },
    'tcp.option_kind': (l, out) => {
      for (const o of l.options) out.push(o.kind);
    },
    'tcp.options.mss_val': (l, out) => {
      for (const v of l.mssValues) out.push(v);
    },
    'tcp.options.wscale.shift': (l, out) => {
      for (const o of l.options) if (o.kind === 3 && o.size === 1) out.push(o.u8(0));
    },
    'tcp.options.timestamp.tsval': (l, out) => {
      for (const v of l.tsvals) out.push(v);
    },
    'tcp.options.sack_le': (l, out) => {
      for (const v of l.sackEdges.left) out.push(v);
    },
    'tcp.options.sack_re': (l, out) => {
      for (const v of l.sackEdges.right) out.push(v);
    },
  },
  writeSummary(l, ctx, out) {
    writeEndpoints(out, ctx.layers, ctx.index, l.srcport, l.dstport);
    if (l.fixed < 16) {
      out.byte(0x3a);
      return true;
    }
    if (l.badOffset) {
      out.text(': tcp, bad header length ');
      out.decimal(l.headerLength);
      out.text(' - too short, < 20');
      return true;
    }
    const flags = l.flags;
    writeFlagsText(out, flags);
    if (ctx.tcpSequence) ctx.tcpSequence.write(l, ctx.layers, ctx.index, out);
    else writeSequenceText(out, flags, l.payloadLength, l.seq, l.ack);
    const options = l.fixed === 20 && !l.badOffset;
    writeSegmentText(out, l.bytes, l.offset, options ? l.headerLength - 20 : 0, options ? l.headerEnd - l.offset - 20 : 0, l.fixed, l.declaredPayloadLength, l.payloadOffset, l.payloadEnd);
    return true;
  },
};

/** `: Flags [S.]`: what follows the ports of a TCP line. */
export function writeFlagsText(out: TextBuffer, flags: number): void {
  out.bytes(FLAGS_PART[flags & 0xff]!);
}

// `: Flags [...]` for every combination of the low eight bits, as bytes.
const FLAGS_PART = FLAG_TEXT.map((f) => ascii(`: Flags [${f}]`));

// The words of every TCP line, as bytes (see `ascii`).
const WIN = ascii(', win ');
const LENGTH = ascii(', length ');
const SEQ = ascii(', seq ');
const ACK = ascii(', ack ');
const OPTIONS = ascii(', options [');
const NOP = ascii('nop');
const MSS = ascii('mss ');
const WSCALE = ascii('wscale ');
const SACK_OK = ascii('sackOK');
const TS_VAL = ascii('TS val ');
const ECR = ascii(' ecr ');

/**
 * The rest of a TCP line after its numbers: window, urgent pointer, options, length and, to
 * or from an HTTP port, the first line of the data. The header is at `at` in `b`, with
 * `optionArea` option bytes of which `optionsCaptured` were captured, `fixed` bytes of the
 * fixed header captured, the payload the IP header declares (negative: the data offset runs
 * past the segment), and the captured payload from `payloadAt` to `payloadEnd`. The decoded
 * header and a header read straight from the bytes (see summary-direct.ts) both end here.
 */
export function writeSegmentText(
  out: TextBuffer,
  b: Uint8Array,
  at: number,
  optionArea: number,
  optionsCaptured: number,
  fixed: number,
  declaredPayloadLength: number,
  payloadAt: number,
  payloadEnd: number,
): void {
  const flags = u16(b, at + 12) & 0x0fff;
  out.bytes(WIN);
  out.decimal(u16(b, at + 14));
  if (flags & TcpFlags.URG && fixed >= 20) {
    out.text(', urg ');
    out.decimal(u16(b, at + 18));
  }
  optionWriter.out = out;
  optionWriter.count = 0;
  if (optionArea > 0) scanTcpOptions(b, at + 20, optionArea, optionsCaptured, optionWriter);
  if (optionWriter.count > 0) out.byte(0x5d);
  optionWriter.out = undefined;
  const len = Math.max(0, declaredPayloadLength);
  out.bytes(LENGTH);
  if (declaredPayloadLength >= 0) out.decimal(len);
  else out.byte(0x3f);
  if (len > 0) {
    const sport = u16(b, at);
    const dport = u16(b, at + 2);
    if (HTTP_LINE_PORTS.has(sport) || HTTP_LINE_PORTS.has(dport)) {
      out.text(': ');
      writeHttpLine(out, b, payloadAt, payloadEnd, payloadAt + len);
    }
  }
}

/**
 * The numbers part of a summary, between the flags and the window, as tcpdump prints it:
 * `, seq 1:101, ack 1`. A packet's numbers are the only part of its line that depends on
 * earlier packets (when relative), so a reader printing a file on several threads writes
 * this part last, in file order.
 */
export function writeSequenceText(out: TextBuffer, flags: number, payloadLength: number, seq: number, ack: number): void {
  if (payloadLength > 0 || flags & (TcpFlags.SYN | TcpFlags.FIN | TcpFlags.RST)) {
    out.bytes(SEQ);
    out.decimal(seq);
    if (payloadLength > 0) {
      out.byte(0x3a);
      out.decimal((seq + payloadLength) >>> 0);
    }
  }
  if (flags & TcpFlags.ACK) {
    out.bytes(ACK);
    out.decimal(ack);
  }
}

const MPTCP_SUBTYPES = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close', 'tcprst'];

/** An option as tcpdump prints it inside `options [...]`: its kind, and its data captured at `b[at...end)`. */
function writeOption(out: TextBuffer, kind: number, b: Uint8Array, at: number, end: number): void {
  const size = end - at;
  const len = size + 2;
  switch (kind) {
    case 0:
      return out.text('eol');
    case 1:
      return out.bytes(NOP);
    case 2:
      if (size !== 2) return out.text(`mss [bad opt ${len}]`);
      out.bytes(MSS);
      return out.decimal(u16(b, at));
    case 3:
      if (size !== 1) return out.text(`wscale [bad opt ${len}]`);
      out.bytes(WSCALE);
      return out.decimal(b[at]!);
    case 4:
      return out.bytes(SACK_OK);
    case 5: {
      out.text('sack ');
      out.decimal(size >> 3);
      out.byte(0x20);
      for (let i = 0; i + 8 <= size; i += 8) {
        out.byte(0x7b);
        out.decimal(u32(b, at + i));
        out.byte(0x3a);
        out.decimal(u32(b, at + i + 4));
        out.byte(0x7d);
      }
      return;
    }
    case 8:
      if (size !== 8) return out.text(`TS [bad opt ${len}]`);
      out.bytes(TS_VAL);
      out.decimal(u32(b, at));
      out.bytes(ECR);
      return out.decimal(u32(b, at + 4));
    case 19:
      return out.text('md5');
    case 28:
      return out.text('uto');
    case 29:
      return out.text(size >= 2 ? `tcp-ao keyid ${b[at]!} rnextkeyid ${b[at + 1]!} mac 0x${hexBytes(b, at + 2, end)}` : 'tcp-ao');
    case 30: {
      const sub = size > 0 ? MPTCP_SUBTYPES[b[at]! >> 4] ?? 'unknown' : 'unknown';
      return out.text(`mptcp ${len} ${sub}`);
    }
    case 34:
      return out.text(size === 0 ? 'tfo cookiereq' : `tfo cookie ${hexBytes(b, at, end)}`);
    default:
      return out.text(`unknown-${kind}${size > 0 ? ` 0x${hexBytes(b, at, end)}` : ''}`);
  }
}

/**
 * Writes `, options [mss 1460,sackOK,...]` as `Tcp.scanOptions` finds them, or nothing for a
 * header without options. One writer serves every summary: it holds only the line being written.
 */
const optionWriter = {
  out: undefined as TextBuffer | undefined,
  count: 0,
  option(kind: number, _length: number, b: Uint8Array, at: number, end: number): void {
    const out = this.out!;
    if (this.count++ === 0) out.bytes(OPTIONS);
    else out.byte(0x2c);
    writeOption(out, kind, b, at, end);
  },
};

/** True when the IP datagram below (extension headers skipped) is a first fragment with more to come. */
function startsFragmentedDatagram(layers: readonly Layer[]): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i] as Layer & { moreFragments?: boolean };
    if (l.protocol === 'ipv6.fraghdr' || l.protocol === 'ip') return l.moreFragments === true;
    if (l.protocol === 'ipv6') return false;
  }
  return false;
}

/** True when a layer below quotes the packet (an ICMP or ICMPv6 error). */
function quoted(layers: readonly Layer[]): boolean {
  for (let i = 0; i < layers.length; i++) if (layers[i]!.quotesPacket === true) return true;
  return false;
}

/** Sends the payload on by port in `table`, lower port first, as Wireshark tries them. */
export function nextByPort(ctx: DecodeContext, table: TableName, a: number, b: number): void {
  if (a <= b) ctx.next(table, a, b);
  else ctx.next(table, b, a);
}

/** The length the layer below declares for the bytes from `offset` to `end` (those captured plus what the snaplen cut off). */
export function declaredLength(layers: readonly Layer[], offset: number, end: number): number {
  return end - offset + (layers[layers.length - 1]?.missing ?? 0);
}

/** tcpdump's short names of the IPv6 extension headers it prints before a transport header. */
const EXTENSION_TAGS: Record<string, string> = {
  'ipv6.hopopts': 'HBH',
  'ipv6.dstopts': 'DSTOPT',
  'ipv6.routing': 'RT6',
  'ipv6.fraghdr': 'frag',
  ah: 'AH',
};

/** An IP layer as the summaries read it: its addresses as text. */
type Addressed = Layer & { src?: string; dst?: string };

/**
 * `IP src.port > dst.port` with the nearest IP layer's addresses, tcpdump style. As
 * tcpdump does, extension headers in between turn it into `IP6 src > dst: HBH sport > dport`,
 * and the IP headers of a tunnel (IP-in-IP, 6in4, 4in6) each add their `IP src > dst: `
 * before it, outermost first.
 */
export function writeEndpoints(out: TextBuffer, layers: readonly Layer[], index: number, sport: number, dport: number): void {
  // Extension headers between the IP header and this one; most packets have none.
  let i = index - 1;
  while (i >= 0 && EXTENSION_TAGS[layers[i]!.protocol] !== undefined) i--;
  const ip = layers[i] as Addressed | undefined;
  if (!ip || (ip.protocol !== 'ip' && ip.protocol !== 'ipv6')) {
    out.decimal(sport);
    out.text(' > ');
    out.decimal(dport);
    return;
  }
  // A tunnel's outer IP headers (up to eight layers down, extension headers between them skipped).
  let outermost = i;
  for (let j = i - 1; j >= 0 && j >= i - 8; j--) {
    const p = layers[j]!.protocol;
    if (p === 'ip' || p === 'ipv6') outermost = j;
    else if (EXTENSION_TAGS[p] === undefined) break;
  }
  for (let j = outermost; j < i; j++) {
    const outer = layers[j] as Addressed;
    if (outer.protocol === 'ip' || outer.protocol === 'ipv6') {
      writeAddresses(out, outer);
      out.text(': ');
    }
  }
  if (i === index - 1) {
    out.text(ip.protocol === 'ip' ? 'IP ' : 'IP6 ');
    out.text(ip.src!);
    out.byte(0x2e);
    out.decimal(sport);
    out.text(' > ');
    out.text(ip.dst!);
    out.byte(0x2e);
    out.decimal(dport);
    return;
  }
  writeAddresses(out, ip);
  out.text(': ');
  for (let j = i + 1; j < index; j++) {
    out.text(EXTENSION_TAGS[layers[j]!.protocol]!);
    out.byte(0x20);
  }
  out.decimal(sport);
  out.text(' > ');
  out.decimal(dport);
}

/** `IP src > dst` or `IP6 src > dst` of an IP header. */
export function writeAddresses(out: TextBuffer, ip: Addressed): void {
  out.text(ip.protocol === 'ip' ? 'IP ' : 'IP6 ');
  out.text(ip.src!);
  out.text(' > ');
  out.text(ip.dst!);
}
