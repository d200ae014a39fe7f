import { hex, u32 } from '../bytes.js';
import { DecodeFailure, HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { chainLength, ip6Prefix, MAX_EXTENSION_HEADERS, parentMissing } from './ipv6-chain.js';
import { short } from './need.js';

/** Next header, length, reserved, SPI and sequence number. */
const FIXED = 12;

/** IP Authentication Header (RFC 4302, `ah`, IP protocol 51). What it protects follows it in clear. */
export class Ah extends HeaderLayer {
  readonly protocol = 'ah';

  get nextHeader(): number {
    return this.header[0]!;
  }
  /** Header length in bytes ((Payload Len + 2) × 4). */
  get length(): number {
    return (this.header[1]! + 2) * 4;
  }
  get spi(): number {
    return u32(this.header, 4);
  }
  get sequence(): number {
    return u32(this.header, 8);
  }
  /** The Integrity Check Value. */
  get icv(): Uint8Array {
    return this.header.subarray(FIXED);
  }
}

/** Decodes AH in IPv4 or IPv6. Next: `ip.proto`. */
export const ah: Protocol<Ah> = {
  name: 'ah',
  decode(data, offset, ctx) {
    if (chainLength(ctx.layers) >= MAX_EXTENSION_HEADERS) {
      return new DecodeFailure('ah', offset, 0, 0, `more than ${MAX_EXTENSION_HEADERS} extension headers`, data);
    }
    if (data.length < FIXED) return short('ah', data, offset, FIXED);
    const length = (data[1]! + 2) * 4;
    if (length < FIXED) return new DecodeFailure('ah', offset, FIXED, length, 'Payload Len field below 1', data);
    if (data.length < length) return short('ah', data, offset, length, 'Payload Len field');
    const l = new Ah(offset, data.subarray(0, length), data.subarray(length));
    l.missing = parentMissing(ctx.layers);
    l.truncated = l.missing > 0;
    return { layer: l, next: { table: 'ip.proto', keys: [l.nextHeader] } };
  },
  fields: {
    'ah.spi': (l, out) => out.push(hex(l.spi, 8)),
    'ah.sequence': (l, out) => out.push(String(l.sequence)),
  },
  summary(l, ctx) {
    return `${ip6Prefix(ctx.layers, ctx.index)}AH(spi=${hex(l.spi, 8)},seq=${hex(l.sequence, 1)})`;
  },
};
