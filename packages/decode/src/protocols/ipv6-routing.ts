import { ipv6At } from '../bytes.js';
import { DecodeFailure, HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { chainLength, ip6Prefix, MAX_EXTENSION_HEADERS, parentMissing } from './ipv6-chain.js';
import { short } from './need.js';

/** Routing type of the Segment Routing Header (RFC 8754). */
export const ROUTING_SRH = 4;

/**
 * IPv6 Routing header (`ipv6.routing`, next header 43): type 0 (deprecated source route),
 * 2 (Mobile IPv6), 3 (RPL), 4 (Segment Routing) or any other. A header cut after its
 * type byte keeps `type`, as Wireshark shows it.
 */
export class Ipv6Routing extends HeaderLayer {
  readonly protocol = 'ipv6.routing';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get nextHeader(): number {
    return this.u8(0);
  }
  /** Header length in bytes ((Hdr Ext Len + 1) × 8). */
  get length(): number {
    return (this.u8(1) + 1) * 8;
  }
  get type(): number {
    return this.u8(2);
  }
  /** Segments left; undefined when not captured. */
  get segmentsLeft(): number | undefined {
    return this.headerEnd - this.offset > 3 ? this.u8(3) : undefined;
  }
  /** For type 0, 2 and 4: the addresses listed (segment list, home address), in header order. */
  get addresses(): string[] {
    const t = this.type;
    if (t !== 0 && t !== 2 && t !== ROUTING_SRH) return [];
    const out: string[] = [];
    for (let o = this.offset + 8; o + 16 <= this.headerEnd; o += 16) out.push(ipv6At(this.bytes, o));
    return out;
  }
  /** SRH Last Entry field (index of the last segment). */
  get lastEntry(): number | undefined {
    return this.type === ROUTING_SRH && this.headerEnd - this.offset > 4 ? this.u8(4) : undefined;
  }
  /** SRH Tag field; undefined when not captured. */
  get tag(): number | undefined {
    return this.type === ROUTING_SRH && this.headerEnd - this.offset >= 8 ? this.u16(6) : undefined;
  }
}

/** Decodes a Routing header. Next: `ip.proto`. */
export const ipv6Routing: Protocol<Ipv6Routing> = {
  name: 'ipv6.routing',
  decode(bytes, offset, end, ctx) {
    if (chainLength(ctx.layers) >= MAX_EXTENSION_HEADERS) {
      return new DecodeFailure('ipv6.routing', bytes, offset, end, 0, 0, `more than ${MAX_EXTENSION_HEADERS} extension headers`);
    }
    const have = end - offset;
    // Wireshark shows nothing before the type byte is there.
    if (have < 3) return short('ipv6.routing', bytes, offset, end, 8);
    const length = (bytes[offset + 1]! + 1) * 8;
    if (have < length) {
      const l = new Ipv6Routing(bytes, offset, end, end);
      l.truncated = true;
      ctx.fail(short('ipv6.routing', bytes, offset, end, length, have < 8 ? 'minimum header' : 'Hdr Ext Len field'));
      return l;
    }
    const l = new Ipv6Routing(bytes, offset, offset + length, end);
    l.missing = parentMissing(ctx.layers);
    l.truncated = l.missing > 0;
    if (l.type === ROUTING_SRH) {
      // Wireshark reads Last Entry + 1 segments whatever the header length says.
      const segments = 8 + 16 * (bytes[offset + 4]! + 1);
      if (segments > have) {
        ctx.fail(short('ipv6.routing', bytes, offset, end, segments, 'Last Entry field'));
        return l;
      }
    }
    ctx.next('ip.proto', l.nextHeader);
    return l;
  },
  fields: {
    'ipv6.routing.nxt': (l, out) => out.push(l.nextHeader),
    'ipv6.routing.type': (l, out) => out.push(l.type),
    'ipv6.routing.segleft': (l, out) => {
      const s = l.segmentsLeft;
      if (s !== undefined) out.push(s);
    },
  },
  summary(l, ctx) {
    const parts = [`len=${l.length / 8 - 1}`, `type=${l.type}`, `segleft=${l.segmentsLeft ?? '?'}`];
    if (l.tag !== undefined) parts.push(`last-entry=${l.lastEntry}`, `tag=${l.tag}`);
    l.addresses.forEach((a, i) => parts.push(`[${i}]${a}`));
    return `${ip6Prefix(ctx.layers, ctx.index)}RT6 (${parts.join(', ')})`;
  },
};
