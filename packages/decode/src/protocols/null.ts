import { hex, u32, u32le } from '../bytes.js';
import { HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { short } from './need.js';

/** Largest 802.3 length; a bigger LINKTYPE_NULL value is an EtherType rather than an address family. */
const MAX_802_3_LENGTH = 1500;

/**
 * BSD loopback header: LINKTYPE_NULL (0), a 4-byte address family in the byte order of
 * the host that wrote the capture, or LINKTYPE_LOOP (108), the same in network order.
 * Wireshark calls both `null`. A few writers put an EtherType there instead; and a
 * header starting FF 03 is really PPP in HDLC framing, which has no `null` fields.
 */
export class Null extends HeaderLayer {
  readonly protocol = 'null';
  // The header is the 4-byte family or type field, or empty for PPP framing.
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number,
    /** Address family (2 IPv4; 24, 28, 30 IPv6 on the BSDs, macOS ...); undefined for an EtherType. */
    readonly family: number | undefined,
    /** The EtherType, when a LINKTYPE_NULL header holds one. */
    readonly etherType: number | undefined,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }
}

/**
 * A LINKTYPE_NULL value (the four bytes of `b` at `o`) written on a host of either byte
 * order: Wireshark takes the byte order that gives a small number, and so does this.
 */
export function hostOrderFamily(b: Uint8Array, o = 0): number {
  const v = u32le(b, o);
  if (v > 0xffff) {
    // One of the upper bytes is set: either a big-endian value, or (top byte clear and a
    // small second byte) a 16-bit value in the upper half.
    if (v <= 0x00ffffff && v >>> 16 < 6) return v >>> 16;
    return u32(b, o);
  }
  // Upper half clear: a little-endian value, unless only the second byte is set (a 16-bit
  // big-endian value such as 00 02 00 00).
  if ((v & 0xff) === 0 && v >>> 8 < 6) return v >>> 8;
  return v;
}

function decodeWith(order: 'host' | 'network'): Protocol<Null>['decode'] {
  return (bytes, offset, end, ctx) => {
    if (end - offset >= 2 && bytes[offset] === 0xff && bytes[offset + 1] === 0x03) {
      // PPP in HDLC-like framing: no loopback header at all, and no PPP decoder here.
      return new Null(bytes, offset, offset, end, offset, undefined, undefined);
    }
    const at = offset + 4;
    if (at > end) return short('null', bytes, offset, end, 4);
    if (order === 'network') {
      const family = u32(bytes, offset);
      ctx.next('null.family', family);
      return new Null(bytes, offset, at, end, at, family, undefined);
    }
    const value = hostOrderFamily(bytes, offset);
    if (value > MAX_802_3_LENGTH) {
      // Wireshark keeps the low 16 bits of a value this large as the EtherType.
      const type = value & 0xffff;
      ctx.next('ethertype', type);
      return new Null(bytes, offset, at, end, at, undefined, type);
    }
    ctx.next('null.family', value);
    return new Null(bytes, offset, at, end, at, value, undefined);
  };
}

const fields: Protocol<Null>['fields'] = {
  'null.family': (l, out) => {
    const f = l.family;
    if (f !== undefined) out.push(f);
  },
  'null.type': (l, out) => {
    const t = l.etherType;
    if (t !== undefined) out.push(hex(t, 4));
  },
};

const AF_NAMES: Record<number, string> = { 2: 'IPv4', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' };

function summary(l: Null): string {
  const len = l.payloadEnd - l.offset;
  if (l.family !== undefined) return `AF ${AF_NAMES[l.family] ?? 'Unknown'} (${l.family}), length ${len}`;
  if (l.etherType !== undefined) return `ethertype ${hex(l.etherType, 4)}, length ${len}`;
  return `PPP, length ${len}`;
}

/** LINKTYPE_NULL (0). Next: `null.family` (2 -> IPv4; 24, 28, 30 -> IPv6), or `ethertype`. */
export const nullLink: Protocol<Null> = { name: 'null', decode: decodeWith('host'), fields, summary };

/** LINKTYPE_LOOP (108): the family is in network byte order. */
export const loop: Protocol<Null> = { name: 'null', decode: decodeWith('network'), fields, summary };
