import { hex, u32, u32le } from '../bytes.js';
import type { Layer } from '../layer.js';
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
export class Null implements Layer {
  readonly protocol = 'null';
  truncated = false;
  constructor(
    readonly offset: number,
    /** The 4-byte header (empty for PPP framing). */
    readonly header: Uint8Array,
    readonly payload: Uint8Array,
    /** Address family (2 IPv4; 24, 28, 30 IPv6 on the BSDs, macOS …); undefined for an EtherType. */
    readonly family: number | undefined,
    /** The EtherType, when a LINKTYPE_NULL header holds one. */
    readonly etherType: number | undefined,
  ) {}
}

/**
 * A LINKTYPE_NULL value written on a host of either byte order: Wireshark takes the
 * byte order that gives a small number, and so does this.
 */
export function hostOrderFamily(b: Uint8Array): number {
  const v = u32le(b, 0);
  if (v > 0xffff) {
    // One of the upper bytes is set: either a big-endian value, or (top byte clear and a
    // small second byte) a 16-bit value in the upper half.
    if (v <= 0x00ffffff && v >>> 16 < 6) return v >>> 16;
    return u32(b, 0);
  }
  // Upper half clear: a little-endian value, unless only the second byte is set (a 16-bit
  // big-endian value such as 00 02 00 00).
  if ((v & 0xff) === 0 && v >>> 8 < 6) return v >>> 8;
  return v;
}

function decodeWith(order: 'host' | 'network'): Protocol<Null>['decode'] {
  return (data, offset) => {
    if (data.length >= 2 && data[0] === 0xff && data[1] === 0x03) {
      // PPP in HDLC-like framing: no loopback header at all, and no PPP decoder here.
      return { layer: new Null(offset, data.subarray(0, 0), data, undefined, undefined) };
    }
    if (data.length < 4) return short('null', data, offset, 4);
    if (order === 'network') {
      const family = u32(data, 0);
      return { layer: new Null(offset, data.subarray(0, 4), data.subarray(4), family, undefined), next: { table: 'null.family', keys: [family] } };
    }
    const value = hostOrderFamily(data);
    if (value > MAX_802_3_LENGTH) {
      // Wireshark keeps the low 16 bits of a value this large as the EtherType.
      const type = value & 0xffff;
      return { layer: new Null(offset, data.subarray(0, 4), data.subarray(4), undefined, type), next: { table: 'ethertype', keys: [type] } };
    }
    return { layer: new Null(offset, data.subarray(0, 4), data.subarray(4), value, undefined), next: { table: 'null.family', keys: [value] } };
  };
}

const fields: Protocol<Null>['fields'] = {
  'null.family': (l, out) => {
    const f = l.family;
    if (f !== undefined) out.push(String(f));
  },
  'null.type': (l, out) => {
    const t = l.etherType;
    if (t !== undefined) out.push(hex(t, 4));
  },
};

const AF_NAMES: Record<number, string> = { 2: 'IPv4', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' };

function summary(l: Null): string {
  const len = l.header.length + l.payload.length;
  if (l.family !== undefined) return `AF ${AF_NAMES[l.family] ?? 'Unknown'} (${l.family}), length ${len}`;
  if (l.etherType !== undefined) return `ethertype ${hex(l.etherType, 4)}, length ${len}`;
  return `PPP, length ${len}`;
}

/** LINKTYPE_NULL (0). Next: `null.family` (2 → IPv4; 24, 28, 30 → IPv6), or `ethertype`. */
export const nullLink: Protocol<Null> = { name: 'null', decode: decodeWith('host'), fields, summary };

/** LINKTYPE_LOOP (108): the family is in network byte order. */
export const loop: Protocol<Null> = { name: 'null', decode: decodeWith('network'), fields, summary };
