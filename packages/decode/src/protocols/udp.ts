import { hex, u16 } from '../bytes.js';
import { DecodeFailure, type Layer, HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { short } from './need.js';
import { declaredLength, writeEndpoints, nextByPort } from './tcp.js';

/** UDP header (RFC 768). */
export class Udp extends HeaderLayer {
  readonly protocol = 'udp';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get srcport(): number {
    return this.u16(0);
  }
  get dstport(): number {
    return this.u16(2);
  }
  /** The length field: header plus payload, in bytes. */
  get length(): number {
    return this.u16(4);
  }
  get checksum(): number {
    return this.u16(6);
  }
}

export const udp: Protocol<Udp> = {
  name: 'udp',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    // A header cut short keeps every whole field captured, as Wireshark shows it.
    if (have < 4) return short('udp', bytes, offset, end, 8);
    if (have < 8) {
      const l = new Udp(bytes, offset, end, end);
      l.truncated = true;
      ctx.fail(short('udp', bytes, offset, end, 8));
      return l;
    }
    const len = u16(bytes, offset + 4);
    // Over IPv6 a length of 0 is allowed (a jumbogram's); the IPv6 payload bounds the datagram.
    if (len < 8 && !(len === 0 && overIpv6(ctx.layers))) {
      // Wireshark shows the bogus length and stops before the checksum.
      const l = new Udp(bytes, offset, offset + 8, offset + 8, offset + 6);
      l.truncated = true;
      ctx.fail(new DecodeFailure('udp', bytes, offset, end, 8, len, 'length field below 8'));
      return l;
    }
    // A length field beyond the IP payload is bogus; the IP payload bounds the datagram then.
    const ipLen = declaredLength(ctx.layers, offset, end);
    const declared = len !== 0 && len <= ipLen ? len : ipLen;
    const l = new Udp(bytes, offset, offset + 8, offset + Math.min(declared, have));
    l.missing = Math.max(0, declared - have);
    l.truncated = l.missing > 0;
    nextByPort(ctx, 'udp.port', l.srcport, l.dstport);
    return l;
  },
  fields: {
    'udp.srcport': (l, out) => {
      // Wireshark reads both ports before showing either.
      if (l.headerBytes >= 4) out.push(l.srcport);
    },
    'udp.dstport': (l, out) => {
      if (l.headerBytes >= 4) out.push(l.dstport);
    },
    'udp.port': (l, out) => {
      if (l.headerBytes >= 4) out.push(l.srcport, l.dstport);
    },
    'udp.length': (l, out) => {
      if (l.headerBytes >= 6) out.push(l.length);
    },
    'udp.checksum': (l, out) => {
      if (l.headerBytes >= 8) out.push(hex(l.checksum, 4));
    },
  },
  writeSummary(l, ctx, out) {
    const whole = l.headerBytes >= 8;
    writeEndpoints(out, ctx.layers, ctx.index, l.srcport, l.headerBytes >= 4 ? l.dstport : 0);
    out.text(whole ? ': UDP, length ' : ': UDP');
    if (whole) out.decimal(Math.max(0, l.length - 8));
    else if (l.headerBytes === 6 && l.length < 8) {
      out.text(', bad length ');
      out.decimal(l.length);
    }
    return true;
  },
};

/** True when the IP header nearest below is IPv6 (extension headers skipped). */
function overIpv6(layers: readonly Layer[]): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const p = layers[i]!.protocol;
    if (p === 'ipv6') return true;
    if (p === 'ip') return false;
  }
  return false;
}
