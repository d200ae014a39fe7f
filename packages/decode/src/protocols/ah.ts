import { hex } from '../bytes.js';
import { DecodeFailure, HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { chainLength, ip6Prefix, MAX_EXTENSION_HEADERS, parentMissing } from './ipv6-chain.js';
import { short } from './need.js';

/** Next header, length, reserved, SPI and sequence number. */
const FIXED = 12;

/** IP Authentication Header (RFC 4302, `ah`, IP protocol 51). What it protects follows it in clear. */
export class Ah extends HeaderLayer {
  readonly protocol = 'ah';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get nextHeader(): number {
    return this.u8(0);
  }
  /** Header length in bytes ((Payload Len + 2) × 4). */
  get length(): number {
    return (this.u8(1) + 2) * 4;
  }
  get spi(): number {
    return this.u32(4);
  }
  get sequence(): number {
    return this.u32(8);
  }
  /** The Integrity Check Value. */
  get icv(): Uint8Array {
    return this.bytes.subarray(this.offset + FIXED, this.headerEnd);
  }
}

/** Decodes AH in IPv4 or IPv6. Next: `ip.proto`. */
export const ah: Protocol<Ah> = {
  name: 'ah',
  decode(bytes, offset, end, ctx) {
    if (chainLength(ctx.layers) >= MAX_EXTENSION_HEADERS) {
      return new DecodeFailure('ah', bytes, offset, end, 0, 0, `more than ${MAX_EXTENSION_HEADERS} extension headers`);
    }
    const have = end - offset;
    if (have < FIXED) return short('ah', bytes, offset, end, FIXED);
    const length = (bytes[offset + 1]! + 2) * 4;
    if (length < FIXED) return new DecodeFailure('ah', bytes, offset, end, FIXED, length, 'Payload Len field below 1');
    if (have < length) return short('ah', bytes, offset, end, length, 'Payload Len field');
    const l = new Ah(bytes, offset, offset + length, end);
    l.missing = parentMissing(ctx.layers);
    l.truncated = l.missing > 0;
    ctx.next('ip.proto', l.nextHeader);
    return l;
  },
  fields: {
    'ah.spi': (l, out) => out.push(hex(l.spi, 8)),
    'ah.sequence': (l, out) => out.push(l.sequence),
  },
  summary(l, ctx) {
    return `${ip6Prefix(ctx.layers, ctx.index)}AH(spi=${hex(l.spi, 8)},seq=${hex(l.sequence, 1)})`;
  },
};
