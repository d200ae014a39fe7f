import { hex } from '../bytes.js';
import { DecodeFailure, HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { chainLength, ip6Prefix, MAX_EXTENSION_HEADERS, parentMissing } from './ipv6-chain.js';
import { short } from './need.js';

/** The Fragment header's fixed length. */
const LENGTH = 8;

/** IPv6 Fragment header (`ipv6.fraghdr`, next header 44). */
export class Ipv6Fragment extends HeaderLayer {
  readonly protocol = 'ipv6.fraghdr';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get nextHeader(): number {
    return this.u8(0);
  }
  /** Fragment offset in 8-byte units. */
  get fragmentOffset(): number {
    return this.u16(2) >> 3;
  }
  /** The M flag: more fragments follow. */
  get moreFragments(): boolean {
    return (this.u8(3) & 1) !== 0;
  }
  get identification(): number {
    return this.u32(4);
  }
}

/**
 * Decodes a Fragment header (Wireshark shows nothing of one cut short). Next: `ip.proto`
 * for the first fragment; a later fragment starts mid-datagram and stays data.
 */
export const ipv6Fragment: Protocol<Ipv6Fragment> = {
  name: 'ipv6.fraghdr',
  decode(bytes, offset, end, ctx) {
    if (chainLength(ctx.layers) >= MAX_EXTENSION_HEADERS) {
      return new DecodeFailure('ipv6.fraghdr', bytes, offset, end, 0, 0, `more than ${MAX_EXTENSION_HEADERS} extension headers`);
    }
    if (end - offset < LENGTH) return short('ipv6.fraghdr', bytes, offset, end, LENGTH);
    const l = new Ipv6Fragment(bytes, offset, offset + LENGTH, end);
    l.missing = parentMissing(ctx.layers);
    l.truncated = l.missing > 0;
    if (l.fragmentOffset === 0) ctx.next('ip.proto', l.nextHeader);
    return l;
  },
  fields: {
    'ipv6.fraghdr.nxt': (l, out) => out.push(l.nextHeader),
    'ipv6.fraghdr.offset': (l, out) => out.push(l.fragmentOffset),
    'ipv6.fraghdr.more': (l, out) => out.push(l.moreFragments ? '1' : '0'),
    'ipv6.fraghdr.ident': (l, out) => out.push(hex(l.identification, 8)),
  },
  summary(l, ctx) {
    const len = l.payloadEnd - l.payloadOffset + l.missing;
    return `${ip6Prefix(ctx.layers, ctx.index)}frag (${l.fragmentOffset * 8}|${len})`;
  },
};
