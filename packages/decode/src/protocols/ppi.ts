import { u16le, u32le } from '../bytes.js';
import { DecodeFailure, type Layer } from '../layer.js';
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
export class Ppi implements Layer {
  readonly protocol = 'ppi';
  truncated = false;
  constructor(
    readonly offset: number,
    readonly header: Uint8Array,
    readonly payload: Uint8Array,
    /** True when the 802.11-common field says the frame ends with its 4-byte FCS. */
    readonly fcsAtEnd: boolean,
  ) {}

  get version(): number {
    return this.header[0]!;
  }
  get flags(): number {
    return this.header[1]!;
  }
  get length(): number {
    return u16le(this.header, 2);
  }
  /** LINKTYPE_ value of the frame that follows. */
  get dlt(): number {
    return u32le(this.header, 4);
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

export const ppi: Protocol<Ppi> = {
  name: 'ppi',
  decode(data, offset) {
    if (data.length < 8) return short('ppi', data, offset, 8);
    const len = u16le(data, 2);
    if (len < 8) return new DecodeFailure('ppi', offset, 8, len, 'header length field below 8', data);
    if (data.length < len) return short('ppi', data, offset, len, 'header length field');
    const header = data.subarray(0, len);
    const probe = new Ppi(offset, header, header, false);
    const common = probe.fields.find((f) => f.type === PPI_80211_COMMON);
    // Wireshark reads the 802.11-common field only at its full 20 bytes.
    const fcs = common !== undefined && common.data.length === 20 && (u16le(common.data, 8) & 0x0001) !== 0;
    const l = new Ppi(offset, header, data.subarray(len), fcs);
    return { layer: l, next: { table: 'linktype', keys: [l.dlt] } };
  },
  fields: {
    'ppi.version': (l, out) => out.push(String(l.version)),
    'ppi.length': (l, out) => out.push(String(l.length)),
    'ppi.dlt': (l, out) => out.push(String(l.dlt)),
  },
};
