import { u16le, u32le } from '../bytes.js';
import { DecodeFailure, HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { short } from './need.js';

/** One PPI field (type, and its data clamped to the header). */
export interface PpiField {
  readonly type: number;
  readonly data: Uint8Array;
}

/** PPI field type of the 802.11-common field. */
const PPI_80211_COMMON = 2;

/**
 * Per-Packet Information header (LINKTYPE_PPI): a list of fields in front of a frame of
 * the link type it names. An 802.11-common field with its FCS flag says the 802.11 frame
 * ends with its FCS (which the 802.11 layer takes off).
 */
export class Ppi extends HeaderLayer {
  readonly protocol = 'ppi';
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number,
    /** True when the 802.11-common field says the frame ends with its 4-byte FCS. */
    readonly fcsAtEnd: boolean,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get version(): number {
    return this.u8(0);
  }
  get flags(): number {
    return this.u8(1);
  }
  get length(): number {
    return u16le(this.bytes, this.offset + 2);
  }
  /** LINKTYPE_ value of the frame that follows. */
  get dlt(): number {
    return u32le(this.bytes, this.offset + 4);
  }
  /** Every field, in order; the walk stops at one that runs past the header. */
  get fields(): PpiField[] {
    const out: PpiField[] = [];
    const h = this.header;
    for (let o = 8; o + 4 <= h.length; ) {
      const len = u16le(h, o + 2);
      if (o + 4 + len > h.length) break;
      out.push({ type: u16le(h, o), data: h.subarray(o + 4, o + 4 + len) });
      o += 4 + len;
    }
    return out;
  }
}

/**
 * True when the first 802.11-common field of the PPI header of `len` bytes at `offset` has
 * its FCS flag set. The fields are walked as `Ppi.fields` walks them, reading in place.
 */
function commonFieldSaysFcs(bytes: Uint8Array, offset: number, len: number): boolean {
  for (let o = 8; o + 4 <= len; ) {
    const fieldLen = u16le(bytes, offset + o + 2);
    if (o + 4 + fieldLen > len) break;
    if (u16le(bytes, offset + o) === PPI_80211_COMMON) {
      // Wireshark reads the 802.11-common field only at its full 20 bytes.
      return fieldLen === 20 && (u16le(bytes, offset + o + 4 + 8) & 0x0001) !== 0;
    }
    o += 4 + fieldLen;
  }
  return false;
}

export const ppi: Protocol<Ppi> = {
  name: 'ppi',
  decode(bytes, offset, end, ctx) {
    if (end - offset < 8) return short('ppi', bytes, offset, end, 8);
    const len = u16le(bytes, offset + 2);
    if (len < 8) return new DecodeFailure('ppi', bytes, offset, end, 8, len, 'header length field below 8');
    if (end - offset < len) return short('ppi', bytes, offset, end, len, 'header length field');
    const at = offset + len;
    const l = new Ppi(bytes, offset, at, end, at, commonFieldSaysFcs(bytes, offset, len));
    ctx.next('linktype', l.dlt);
    return l;
  },
  fields: {
    'ppi.version': (l, out) => out.push(l.version),
    'ppi.length': (l, out) => out.push(l.length),
    'ppi.dlt': (l, out) => out.push(l.dlt),
  },
};
