import { HeaderLayer } from '../layer.js';
import { hex } from '../bytes.js';
import type { Protocol } from '../registry.js';
import { ip6Prefix } from './ipv6-chain.js';
import { short } from './need.js';

/** SPI and sequence number: the part of ESP that is not encrypted. */
const FIXED = 8;

/**
 * IP Encapsulating Security Payload (RFC 4303, `esp`, IP protocol 50). Everything after
 * the sequence number is encrypted, so decoding stops here: the payload is data.
 */
export class Esp extends HeaderLayer {
  readonly protocol = 'esp';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get spi(): number {
    return this.u32(0);
  }
  get sequence(): number {
    return this.u32(4);
  }
}

/** Decodes the clear part of ESP. No next table: the rest is ciphertext. */
export const esp: Protocol<Esp> = {
  name: 'esp',
  decode(bytes, offset, end) {
    if (end - offset < FIXED) return short('esp', bytes, offset, end, FIXED);
    return new Esp(bytes, offset, offset + FIXED, end);
  },
  fields: {
    'esp.spi': (l, out) => out.push(hex(l.spi, 8)),
    'esp.sequence': (l, out) => out.push(l.sequence),
  },
  summary(l, ctx) {
    return `${ip6Prefix(ctx.layers, ctx.index)}ESP(spi=${hex(l.spi, 8)},seq=${hex(l.sequence, 1)}), length ${l.payloadEnd - l.offset}`;
  },
};
