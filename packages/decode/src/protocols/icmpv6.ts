import { hex, ipv6At, u16, u32 } from '../bytes.js';
import { HeaderLayer, type Layer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { writeIcmpLine } from './icmp.js';
import { MLD_TYPES, mldText, parseMld, type MldMessage, type MldReport } from './mld.js';
import { short } from './need.js';
import { quotedDatagram } from './quoted.js';
import { declaredLength } from './tcp.js';

/** ICMPv6 message types (RFC 4443, RFC 4861, RFC 2710, RFC 3810, RFC 2894). */
export const Icmpv6Type = {
  DEST_UNREACHABLE: 1,
  PACKET_TOO_BIG: 2,
  TIME_EXCEEDED: 3,
  PARAMETER_PROBLEM: 4,
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  MLD_QUERY: 130,
  MLD_REPORT: 131,
  MLD_DONE: 132,
  ROUTER_SOLICITATION: 133,
  ROUTER_ADVERTISEMENT: 134,
  NEIGHBOR_SOLICITATION: 135,
  NEIGHBOR_ADVERTISEMENT: 136,
  REDIRECT: 137,
  ROUTER_RENUMBERING: 138,
  MLDV2_REPORT: 143,
} as const;

/** One Neighbor Discovery option (RFC 4861 §4.6); `data` excludes the type and length bytes. */
export interface NdOption {
  readonly type: number;
  /** Length in bytes (the length field × 8). */
  readonly length: number;
  readonly data: Uint8Array;
}

/** Where each Neighbor Discovery message's options start. */
const ND_OPTIONS_AT: Record<number, number> = { 133: 8, 134: 16, 135: 24, 136: 24, 137: 40 };

/** ND option type of the Redirected Header option, whose data quotes a packet. */
const OPT_REDIRECTED_HEADER = 4;

/**
 * ICMPv6 message (RFC 4443). `header` is the fixed part (type, code, checksum and the
 * 4-byte type-specific word; fewer bytes if the capture ends inside it); `message` is the
 * whole message. `payload` is the quoted packet of an error (or, for a redirect, the one
 * its Redirected Header option quotes), the data of an echo, and empty otherwise.
 */
export class Icmpv6 extends HeaderLayer {
  readonly protocol = 'icmpv6';
  /** Set when the layers after this one are a quoted packet (errors and redirects). */
  declare readonly quotesPacket: boolean;
  private opts: NdOption[] | undefined;
  #message: Uint8Array | undefined;
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number,
    /** Where the message as captured ends within the packet. */
    readonly messageEnd: number,
    /** Length of the whole message as the IPv6 header declares it. */
    readonly declaredLength: number,
    quotes: boolean,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
    (this as { quotesPacket: boolean }).quotesPacket = quotes;
  }

  /** The whole message as captured, header included. */
  get message(): Uint8Array {
    return (this.#message ??= this.bytes.subarray(this.offset, this.messageEnd));
  }

  get type(): number {
    return this.u8(0);
  }
  /** The code byte; 0 when the capture ends before it (`truncated` is set then). */
  get code(): number {
    return this.u8(1);
  }
  /** The checksum as present; 0 when the capture ends before it. */
  get checksum(): number {
    return this.u16(2);
  }
  /** True for destination unreachable, packet too big, time exceeded and parameter problem. */
  get isError(): boolean {
    return this.type >= 1 && this.type <= 4;
  }
  get identifier(): number | undefined {
    return (this.type === 128 || this.type === 129) && this.headerEnd - this.offset >= 6 ? this.u16(4) : undefined;
  }
  get sequence(): number | undefined {
    return (this.type === 128 || this.type === 129) && this.headerEnd - this.offset >= 8 ? this.u16(6) : undefined;
  }
  /** MTU of a packet too big message. */
  get mtu(): number | undefined {
    return this.type === 2 && this.headerEnd - this.offset >= 8 ? this.u32(4) : undefined;
  }
  /** Pointer of a parameter problem message. */
  get pointer(): number | undefined {
    return this.type === 4 && this.headerEnd - this.offset >= 8 ? this.u32(4) : undefined;
  }
  /** Target address of a neighbor solicitation, neighbor advertisement or redirect. */
  get target(): string | undefined {
    const t = this.type;
    return (t === 135 || t === 136 || t === 137) && this.messageEnd - this.offset >= 24 ? ipv6At(this.bytes, this.offset + 8) : undefined;
  }
  /** Destination address of a redirect. */
  get redirectDestination(): string | undefined {
    return this.type === 137 && this.messageEnd - this.offset >= 40 ? ipv6At(this.bytes, this.offset + 24) : undefined;
  }
  /** Router advertisement fixed fields. */
  get routerAdvertisement(): { curHopLimit: number; managed: boolean; other: boolean; lifetime: number; reachableTime: number; retransTimer: number } | undefined {
    if (this.type !== 134 || this.messageEnd - this.offset < 16) return undefined;
    const m = this.bytes;
    const o = this.offset;
    return { curHopLimit: m[o + 4]!, managed: (m[o + 5]! & 0x80) !== 0, other: (m[o + 5]! & 0x40) !== 0, lifetime: u16(m, o + 6), reachableTime: u32(m, o + 8), retransTimer: u32(m, o + 12) };
  }
  /** Neighbor advertisement flags: router, solicited, override. */
  get advertisementFlags(): { router: boolean; solicited: boolean; override: boolean } | undefined {
    if (this.type !== 136 || this.messageEnd - this.offset <= 4) return undefined;
    const b = this.bytes[this.offset + 4]!;
    return { router: (b & 0x80) !== 0, solicited: (b & 0x40) !== 0, override: (b & 0x20) !== 0 };
  }
  /** Neighbor Discovery options (types 133-137); the walk stops at a zero length or the end of the message. */
  get options(): readonly NdOption[] {
    if (this.opts) return this.opts;
    this.opts = ndOptions(this.message, ND_OPTIONS_AT[this.type]);
    return this.opts;
  }
  /** The MLD message (types 130, 131, 132, 143). */
  get mld(): MldMessage | MldReport | undefined {
    return MLD_TYPES.has(this.type) ? parseMld(this.message) : undefined;
  }
  /** The start of the packet an error or redirect quotes (IPv6 header first). */
  get quoted(): Uint8Array | undefined {
    return this.quotesPacket ? this.payload : undefined;
  }
}

function ndOptions(m: Uint8Array, at: number | undefined): NdOption[] {
  const out: NdOption[] = [];
  if (at === undefined) return out;
  // Every option is at least 8 bytes, so the walk ends within the message.
  for (let o = at; o + 2 <= m.length; ) {
    const length = m[o + 1]! * 8;
    if (length === 0) break;
    out.push({ type: m[o]!, length, data: m.subarray(o + 2, Math.min(o + length, m.length)) });
    o += length;
  }
  return out;
}

/**
 * Where the data of the first Redirected Header option of the redirect from `offset` to
 * `end` starts within the packet (past the option's type and length bytes), or -1 when it
 * has none. Walks the options as `ndOptions` does, without making views.
 */
function redirectedHeaderAt(bytes: Uint8Array, offset: number, end: number): number {
  // Every option is at least 8 bytes, so the walk ends within the message.
  for (let o = offset + ND_OPTIONS_AT[137]!; o + 2 <= end; ) {
    const length = bytes[o + 1]! * 8;
    if (length === 0) break;
    if (bytes[o] === OPT_REDIRECTED_HEADER) return o + 2;
    o += length;
  }
  return -1;
}

export const icmpv6: Protocol<Icmpv6> = {
  name: 'icmpv6',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    // tshark shows the type of a one-byte message, so one byte is enough for a layer.
    if (have < 1) return short('icmpv6', bytes, offset, end, 1);
    const headerEnd = offset + Math.min(8, have);
    const declared = declaredLength(ctx.layers, offset, end);
    const type = bytes[offset]!;
    // Echo data and quotes are carried; other messages (ND, MLD ...) are all header, as in tshark.
    let quotes = type >= 1 && type <= 4;
    let payloadOffset = quotes || type === 128 || type === 129 ? headerEnd : end;
    let payloadEnd = end;
    if (type === 137) {
      // The option's data is 6 reserved bytes, then the quoted packet, up to the option's end.
      const at = redirectedHeaderAt(bytes, offset, end);
      const stop = at < 0 ? at : Math.min(at - 2 + bytes[at - 1]! * 8, end);
      quotes = at >= 0 && stop - at > 6;
      if (quotes) {
        payloadOffset = at + 6;
        payloadEnd = stop;
      }
    }
    const l = new Icmpv6(bytes, offset, payloadOffset, payloadEnd, headerEnd, end, declared, quotes);
    l.truncated = declared > have || have < 8;
    if (have < 8) {
      ctx.fail(short('icmpv6', bytes, offset, end, 8));
      return l;
    }
    // Like tshark, follow the quote only when it looks like an IPv6 header.
    if (quotes && payloadOffset < payloadEnd && bytes[payloadOffset]! >> 4 === 6) ctx.next('ethertype', 0x86dd);
    return l;
  },
  fields: {
    'icmpv6.type': (l, out) => out.push(l.type),
    'icmpv6.code': (l, out) => {
      if (l.headerEnd - l.offset >= 2) out.push(l.code);
    },
    'icmpv6.checksum': (l, out) => {
      if (l.headerEnd - l.offset >= 4) out.push(hex(l.checksum, 4));
    },
    'icmpv6.echo.identifier': (l, out) => {
      const v = l.identifier;
      if (v !== undefined) out.push(hex(v, 4));
    },
    'icmpv6.echo.sequence_number': (l, out) => {
      const v = l.sequence;
      if (v !== undefined) out.push(v);
    },
    'icmpv6.mtu': (l, out) => {
      const v = l.mtu;
      if (v !== undefined) out.push(v);
    },
    'icmpv6.nd.ns.target_address': (l, out) => {
      if (l.type === 135 && l.target) out.push(l.target);
    },
    'icmpv6.nd.na.target_address': (l, out) => {
      if (l.type === 136 && l.target) out.push(l.target);
    },
    'icmpv6.opt.type': (l, out) => {
      for (const o of l.options) out.push(o.type);
    },
  },
  writeSummary(l, ctx, out) {
    writeIcmpLine(out, ctx, 'ICMP6, ', icmpv6Text(l, ctx.layers, ctx.index), l.declaredLength);
    return true;
  },
};

const UNREACH6 = ['unreachable route', 'unreachable prohibited', 'beyond scope of source address', 'unreachable address', 'unreachable port'];
const PARAM6 = ['errorneous', 'next header', 'option'];

function icmpv6Text(l: Icmpv6, layers: readonly Layer[], index: number): string {
  const t = l.type;
  const c = l.code;
  switch (t) {
    case 1: {
      const q = quotedDatagram(layers, index);
      if (c === 4 && q?.transport) return `destination unreachable, unreachable port, ${q.dst} ${q.transport} port ${q.dstport}`;
      const what = UNREACH6[c] ?? `unknown code (${c})`;
      return `destination unreachable, ${what}${q ? ` ${c === 2 ? q.src : q.dst}` : ''}`;
    }
    case 2:
      return `packet too big, mtu ${l.mtu ?? 0}`;
    case 3: {
      const q = quotedDatagram(layers, index);
      return c === 0 ? `time exceeded in-transit${q ? ` for ${q.dst}` : ''}` : c === 1 ? 'time exceeded reassembly time exceeded' : `time exceeded unknown code (${c})`;
    }
    case 4:
      return `parameter problem, ${PARAM6[c] ?? `code-#${c}`} - octet ${l.pointer ?? 0}`;
    case 128:
    case 129:
      return `echo ${t === 128 ? 'request' : 'reply'}, id ${l.identifier ?? 0}, seq ${l.sequence ?? 0}`;
    case 133:
      return 'router solicitation';
    case 134:
      return 'router advertisement';
    case 135:
      return `neighbor solicitation, who has ${l.target ?? '?'}`;
    case 136:
      return `neighbor advertisement, tgt is ${l.target ?? '?'}`;
    case 137:
      return `redirect, ${l.redirectDestination ?? '?'} to ${l.target ?? '?'}`;
    case 138:
      return 'router renumbering';
    default: {
      const m = l.mld;
      if (m) return mldText(m);
      return `type-#${t}`;
    }
  }
}
