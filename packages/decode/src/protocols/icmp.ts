import { hex, ipv4At, u32 } from '../bytes.js';
import { HeaderLayer, type Layer } from '../layer.js';
import type { Protocol, SummaryContext } from '../registry.js';
import { short } from './need.js';
import { quotedDatagram } from './quoted.js';
import { declaredLength, writeAddresses } from './tcp.js';
import type { TextBuffer } from '../text-buffer.js';

/** ICMP message types (RFC 792, RFC 950, RFC 1256, RFC 8335). */
export const IcmpType = {
  ECHO_REPLY: 0,
  DEST_UNREACHABLE: 3,
  SOURCE_QUENCH: 4,
  REDIRECT: 5,
  ECHO_REQUEST: 8,
  ROUTER_ADVERTISEMENT: 9,
  ROUTER_SOLICITATION: 10,
  TIME_EXCEEDED: 11,
  PARAMETER_PROBLEM: 12,
  TIMESTAMP_REQUEST: 13,
  TIMESTAMP_REPLY: 14,
  INFO_REQUEST: 15,
  INFO_REPLY: 16,
  MASK_REQUEST: 17,
  MASK_REPLY: 18,
  EXTENDED_ECHO_REQUEST: 42,
  EXTENDED_ECHO_REPLY: 43,
} as const;

/** Types whose body starts with the IP header of the datagram that caused them. */
const ERROR_TYPES = new Set<number>([3, 4, 5, 11, 12]);
/** Types with an identifier and a sequence number in bytes 4..7. */
const ECHO_LIKE = new Set<number>([0, 8, 13, 14, 15, 16, 17, 18]);

/**
 * Bytes tshark needs before it shows any ICMP field: it reads byte 5 (RFC 4884 length)
 * before anything else, so a shorter message shows nothing.
 */
const MIN_ICMP = 6;

/**
 * ICMP message (RFC 792). `header` is the fixed 8-byte part (fewer if the capture ends
 * inside it); `payload` is the rest: the quoted datagram of an error message, the data
 * of an echo.
 */
export class Icmp extends HeaderLayer {
  readonly protocol = 'icmp';
  /** Set for error messages: the layers after this one are the quoted datagram. */
  declare readonly quotesPacket: boolean;
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number,
    /** Length of the whole message as the IP header declares it (may exceed what was captured). */
    readonly declaredLength: number,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
    (this as { quotesPacket: boolean }).quotesPacket = ERROR_TYPES.has(this.type);
  }

  get type(): number {
    return this.u8(0);
  }
  get code(): number {
    return this.u8(1);
  }
  get checksum(): number {
    return this.u16(2);
  }
  /** True for destination unreachable, source quench, redirect, time exceeded and parameter problem. */
  get isError(): boolean {
    return ERROR_TYPES.has(this.type);
  }
  /** Identifier of echo, timestamp, information, address mask and extended echo messages. */
  get identifier(): number | undefined {
    const t = this.type;
    return (ECHO_LIKE.has(t) || t === 42 || t === 43) && this.headerEnd - this.offset >= 6 ? this.u16(4) : undefined;
  }
  /** Sequence number of the same messages (8 bits for extended echo, RFC 8335). */
  get sequence(): number | undefined {
    const t = this.type;
    if (this.headerEnd - this.offset < 8) return undefined;
    if (ECHO_LIKE.has(t)) return this.u16(6);
    if (t === 42 || t === 43) return this.u8(6);
    return undefined;
  }
  /** Gateway address of a redirect. */
  get gateway(): string | undefined {
    return this.type === 5 && this.headerEnd - this.offset >= 8 ? ipv4At(this.bytes, this.offset + 4) : undefined;
  }
  /** Octet pointer of a parameter problem. */
  get pointer(): number | undefined {
    return this.type === 12 ? this.u8(4) : undefined;
  }
  /** Next-hop MTU of a "fragmentation needed" unreachable (RFC 1191); 0 when the sender did not set it. */
  get nextHopMtu(): number | undefined {
    return this.type === 3 && this.code === 4 && this.headerEnd - this.offset >= 8 ? this.u16(6) : undefined;
  }
  /** RFC 4884 length of the quoted datagram in bytes (0: not given). */
  get originalLength(): number {
    return this.u8(5) * 4;
  }
  /** The start of the datagram an error message quotes (IP header first). */
  get quoted(): Uint8Array | undefined {
    return this.isError ? this.payload : undefined;
  }
  /** Address mask of an address mask reply. */
  get addressMask(): number | undefined {
    return this.type === 18 && this.payloadEnd - this.payloadOffset >= 4 ? u32(this.bytes, this.payloadOffset) : undefined;
  }
}

export const icmp: Protocol<Icmp> = {
  name: 'icmp',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    if (have < MIN_ICMP) return short('icmp', bytes, offset, end, MIN_ICMP);
    const headerEnd = offset + Math.min(8, have);
    const declared = declaredLength(ctx.layers, offset, end);
    const l = new Icmp(bytes, offset, headerEnd, end, headerEnd, declared);
    l.truncated = declared > have || have < 8;
    if (have < 8) {
      ctx.fail(short('icmp', bytes, offset, end, 8));
      return l;
    }
    // The quoted datagram goes through the same tables as any IP packet, so its
    // headers become layers of their own (tshark dissects them the same way).
    if (l.isError) ctx.next('ethertype', 0x0800);
    return l;
  },
  fields: {
    'icmp.type': (l, out) => out.push(l.type),
    'icmp.code': (l, out) => out.push(l.code),
    'icmp.checksum': (l, out) => out.push(hex(l.checksum, 4)),
    'icmp.ident': (l, out) => {
      const v = l.identifier;
      if (v !== undefined) out.push(v);
    },
    'icmp.seq': (l, out) => {
      // Extended echo's 8-bit sequence number is a field of its own in tshark.
      const v = l.sequence;
      if (v !== undefined && l.type !== 42 && l.type !== 43) out.push(v);
    },
    'icmp.redir_gw': (l, out) => {
      const v = l.gateway;
      if (v !== undefined) out.push(v);
    },
    'icmp.mtu': (l, out) => {
      const v = l.nextHopMtu;
      if (v !== undefined) out.push(v);
    },
  },
  writeSummary(l, ctx, out) {
    writeIcmpLine(out, ctx, 'ICMP ', icmpText(l, ctx.layers, ctx.index), l.declaredLength);
    return true;
  },
};

/** An ICMP or ICMPv6 line: `IP a > b: ICMP echo request, id 1, seq 1, length 64`, `label` naming the protocol. */
export function writeIcmpLine(out: TextBuffer, ctx: SummaryContext, label: string, text: string, length: number): void {
  writeIpPrefix(out, ctx.layers, ctx.index);
  out.text(label);
  out.text(text);
  out.text(', length ');
  out.decimal(length);
}

/** tcpdump's names of the IPv6 extension headers it mentions before the payload. */
const EXTENSION_TAGS: Record<string, string> = { 'ipv6.hopopts': 'HBH', 'ipv6.dstopts': 'DSTOPT', 'ipv6.routing': 'srcrt', 'ipv6.fraghdr': 'frag' };

/**
 * `IP src > dst: ` of the nearest IP layer below a layer, tcpdump style, with the IPv6
 * extension headers in between named (`IP6 :: > ff02::16: HBH `); nothing without one.
 */
export function writeIpPrefix(out: TextBuffer, layers: readonly Layer[], index: number): void {
  // Extension chains are bounded by the packet's layer count.
  let i = index - 1;
  while (i >= 0 && EXTENSION_TAGS[layers[i]!.protocol] !== undefined) i--;
  const ip = layers[i] as (Layer & { src?: string; dst?: string }) | undefined;
  if (ip?.protocol !== 'ip' && ip?.protocol !== 'ipv6') return;
  writeAddresses(out, ip);
  out.text(': ');
  for (let j = i + 1; j < index; j++) {
    out.text(EXTENSION_TAGS[layers[j]!.protocol]!);
    out.byte(0x20);
  }
}

const UNREACH: Record<number, string> = {
  0: 'net %s unreachable',
  1: 'host %s unreachable',
  5: '%s unreachable - source route failed',
  6: 'net %s unreachable - unknown',
  7: 'host %s unreachable - unknown',
  8: '%s unreachable - source host isolated',
  9: 'net %s unreachable - admin prohibited',
  10: 'host %s unreachable - admin prohibited',
  11: 'net %s unreachable - tos prohibited',
  12: 'host %s unreachable - tos prohibited',
  13: '%s unreachable - admin prohibited filter',
  14: '%s unreachable - host precedence violation',
  15: '%s unreachable - precedence cutoff',
};

const REDIRECT = ['net', 'host', 'tos-net', 'tos-host'];

function icmpText(l: Icmp, layers: readonly Layer[], index: number): string {
  const t = l.type;
  const c = l.code;
  switch (t) {
    case 0:
    case 8:
      return `echo ${t === 0 ? 'reply' : 'request'}, id ${l.identifier}, seq ${l.sequence ?? 0}`;
    case 3: {
      const q = quotedDatagram(layers, index);
      const dst = q?.dst ?? '?';
      if (c === 2) return `${dst} protocol ${q?.protocolNumber ?? '?'} unreachable`;
      if (c === 3) return q?.transport ? `${dst} ${q.transport} port ${q.dstport} unreachable` : `${dst} port unreachable`;
      if (c === 4) return `${dst} unreachable - need to frag (mtu ${l.nextHopMtu ?? 0})`;
      return (UNREACH[c] ?? `%s unreachable - #${c}`).replace('%s', dst);
    }
    case 4:
      return 'source quench';
    case 5: {
      const q = quotedDatagram(layers, index);
      return `redirect ${q?.dst ?? '?'} to ${REDIRECT[c] ?? `#${c}`} ${l.gateway ?? '?'}`;
    }
    case 9:
      return 'router advertisement';
    case 10:
      return 'router solicitation';
    case 11:
      return c === 0 ? 'time exceeded in-transit' : c === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${c}`;
    case 12:
      return c === 0 ? `parameter problem - octet ${l.pointer}` : c === 1 ? 'parameter problem - option absent' : `parameter problem - code ${c}`;
    case 13:
    case 14:
      return `time stamp ${t === 13 ? 'query' : 'reply'} id ${l.identifier} seq ${l.sequence ?? 0}`;
    case 15:
    case 16:
      return `information ${t === 15 ? 'request' : 'reply'}`;
    case 17:
      return 'address mask request';
    case 18:
      return l.addressMask !== undefined ? `address mask is ${hex(l.addressMask, 8)}` : 'address mask reply';
    case 42:
    case 43:
      return `extended echo ${t === 42 ? 'request' : 'reply'}, id ${l.identifier}, seq ${l.sequence ?? 0}`;
    default:
      return `type-#${t}`;
  }
}
