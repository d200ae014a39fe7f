import { hex, macAt, u16 } from '../bytes.js';
import { HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { lengthFrameNext } from './llc.js';
import { short } from './need.js';

/** Largest 802.3 length field. */
const MAX_802_3_LENGTH = 1500;
/** Smallest EtherType; values between the two are neither. */
const MIN_ETHERTYPE = 0x0600;

/** Ethernet II or IEEE 802.3 frame header (no preamble, no FCS). */
export class Ethernet extends HeaderLayer {
  readonly protocol = 'eth';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  /** EtherType (>= 0x0600) or, for an 802.3 frame, the length of its LLC payload. */
  get typeOrLength(): number {
    return u16(this.bytes, this.offset + 12);
  }
  get dst(): string {
    return macAt(this.bytes, this.offset);
  }
  get src(): string {
    return macAt(this.bytes, this.offset + 6);
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
  decode(bytes, offset, end, ctx) {
    const at = offset + 14;
    if (at > end) return short('eth', bytes, offset, end, 14);
    const type = u16(bytes, offset + 12);
    if (type > MAX_802_3_LENGTH && type < MIN_ETHERTYPE) {
      // Neither a length nor an EtherType: Wireshark leaves the payload as data.
      return new Ethernet(bytes, offset, at, end);
    }
    if (type < MIN_ETHERTYPE) {
      const l = new Ethernet(bytes, offset, at, Math.min(end, at + type));
      l.truncated = at + type > end;
      lengthFrameNext(bytes, at, l.payloadEnd, ctx);
      return l;
    }
    ctx.next('ethertype', type);
    return new Ethernet(bytes, offset, at, end);
  },
  fields: {
    'eth.dst': (l, out) => out.push(l.dst),
    'eth.src': (l, out) => out.push(l.src),
    'eth.type': (l, out) => {
      if (l.isEtherType) out.push(hex(l.typeOrLength, 4));
    },
    'eth.len': (l, out) => {
      if (l.isLength) out.push(l.typeOrLength);
    },
  },
  summary(l) {
    return `${l.src} > ${l.dst}, ${l.isLength ? `802.3, length ${l.typeOrLength}` : `ethertype ${hex(l.typeOrLength, 4)}`}, length ${l.header.length + l.payload.length}`;
  },
};
