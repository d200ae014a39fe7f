import { hex, macAt, u16 } from '../bytes.js';
import type { Layer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { lengthFrameNext } from './llc.js';
import { short } from './need.js';

/** Largest 802.3 length field. */
const MAX_802_3_LENGTH = 1500;
/** Smallest EtherType; values between the two are neither. */
const MIN_ETHERTYPE = 0x0600;

/** Ethernet II or IEEE 802.3 frame header (no preamble, no FCS). */
export class Ethernet implements Layer {
  readonly protocol = 'eth';
  truncated = false;
  constructor(
    readonly offset: number,
    readonly header: Uint8Array,
    readonly payload: Uint8Array,
    /** EtherType (>= 0x0600) or, for an 802.3 frame, the length of its LLC payload. */
    readonly typeOrLength: number,
  ) {}

  get dst(): string {
    return macAt(this.header, 0);
  }
  get src(): string {
    return macAt(this.header, 6);
  }
  /** True for an IEEE 802.3 frame, whose type field is a length and whose payload starts with LLC. */
  get isLength(): boolean {
    return this.typeOrLength <= MAX_802_3_LENGTH;
  }
  /** True for an Ethernet II frame, whose type field is an EtherType. */
  get isEtherType(): boolean {
    return this.typeOrLength >= MIN_ETHERTYPE;
  }
}

export const ethernet: Protocol<Ethernet> = {
  name: 'eth',
  decode(data, offset) {
    if (data.length < 14) return short('eth', data, offset, 14);
    const type = u16(data, 12);
    if (type > MAX_802_3_LENGTH && type < MIN_ETHERTYPE) {
      // Neither a length nor an EtherType: Wireshark leaves the payload as data.
      return { layer: new Ethernet(offset, data.subarray(0, 14), data.subarray(14), type) };
    }
    if (type < MIN_ETHERTYPE) {
      const end = Math.min(data.length, 14 + type);
      const l = new Ethernet(offset, data.subarray(0, 14), data.subarray(14, end), type);
      l.truncated = 14 + type > data.length;
      return { layer: l, next: lengthFrameNext(l.payload) };
    }
    return { layer: new Ethernet(offset, data.subarray(0, 14), data.subarray(14), type), next: { table: 'ethertype', keys: [type] } };
  },
  fields: {
    'eth.dst': (l, out) => out.push(l.dst),
    'eth.src': (l, out) => out.push(l.src),
    'eth.type': (l, out) => {
      if (l.isEtherType) out.push(hex(l.typeOrLength, 4));
    },
    'eth.len': (l, out) => {
      if (l.isLength) out.push(String(l.typeOrLength));
    },
  },
  summary(l) {
    return `${l.src} > ${l.dst}, ${l.isLength ? `802.3, length ${l.typeOrLength}` : `ethertype ${hex(l.typeOrLength, 4)}`}, length ${l.header.length + l.payload.length}`;
  },
};
