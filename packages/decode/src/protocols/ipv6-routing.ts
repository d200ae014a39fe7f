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

  get nextHeader(): number {
    return this.header[0]!;
  }
  /** Header length in bytes ((Hdr Ext Len + 1) × 8). */
  get length(): number {
    return (this.header[1]! + 1) * 8;
  }
  get type(): number {
    return this.header[2]!;
  }
  /** Segments left; undefined when not captured. */
  get segmentsLeft(): number | undefined {
    return this.header[3];
  }
  /** For type 0, 2 and 4: the addresses listed (segment list, home address), in header order. */
  get addresses(): string[] {
    const t = this.type;
    if (t !== 0 && t !== 2 && t !== ROUTING_SRH) return [];
    const out: string[] = [];
    for (let o = 8; o + 16 <= this.header.length; o += 16) out.push(ipv6At(this.header, o));
    return out;
  }
  /** SRH Last Entry field (index of the last segment). */
  get lastEntry(): number | undefined {
    return this.type === ROUTING_SRH ? this.header[4] : undefined;
  }
}

/** Decodes a Routing header. Next: `ip.proto`. */
export const ipv6Routing: Protocol<Ipv6Routing> = {
  name: 'ipv6.routing',
  decode(data, offset, ctx) {
    if (chainLength(ctx.layers) >= MAX_EXTENSION_HEADERS) {
      return new DecodeFailure('ipv6.routing', offset, 0, 0, `more than ${MAX_EXTENSION_HEADERS} extension headers`, data);
    }
    // Wireshark shows nothing before the type byte is there.
    if (data.length < 3) return short('ipv6.routing', data, offset, 8);
    const length = (data[1]! + 1) * 8;
    if (data.length < length) {
      const l = new Ipv6Routing(offset, data, data.subarray(data.length));
      l.truncated = true;
      return { layer: l, failure: short('ipv6.routing', data, offset, length, data.length < 8 ? 'minimum header' : 'Hdr Ext Len field') };
    }
    const l = new Ipv6Routing(offset, data.subarray(0, length), data.subarray(length));
    l.missing = parentMissing(ctx.layers);
    l.truncated = l.missing > 0;
    if (l.type === ROUTING_SRH) {
      // Wireshark reads Last Entry + 1 segments whatever the header length says.
      const segments = 8 + 16 * (data[4]! + 1);
      if (segments > data.length) return { layer: l, failure: short('ipv6.routing', data, offset, segments, 'Last Entry field') };
    }
    return { layer: l, next: { table: 'ip.proto', keys: [l.nextHeader] } };
  },
  fields: {
    'ipv6.routing.nxt': (l, out) => out.push(String(l.nextHeader)),
    'ipv6.routing.type': (l, out) => out.push(String(l.type)),
    'ipv6.routing.segleft': (l, out) => {
      const s = l.segmentsLeft;
      if (s !== undefined) out.push(String(s));
    },
  },
  summary(l, ctx) {
    const parts = [`len=${l.header[1] ?? 0}`, `type=${l.type}`, `segleft=${l.segmentsLeft ?? '?'}`];
    if (l.type === ROUTING_SRH && l.header.length >= 8) parts.push(`last-entry=${l.lastEntry}`, `tag=${(l.header[6]! << 8) | l.header[7]!}`);
    l.addresses.forEach((a, i) => parts.push(`[${i}]${a}`));
    return `${ip6Prefix(ctx.layers, ctx.index)}RT6 (${parts.join(', ')})`;
  },
};
