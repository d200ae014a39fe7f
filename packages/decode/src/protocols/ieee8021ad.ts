import { hex, u16 } from '../bytes.js';
import { HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { short } from './need.js';

/** TPID of an 802.1ad service tag. */
const TPID_8021AD = 0x88a8;

/**
 * An IEEE 802.1ad service tag (S-tag, TPID 0x88a8). As in Wireshark, an S-tag directly
 * followed by another 0x88a8 tag is read as one S-VID/C-VID pair; otherwise the S-tag
 * stands alone and the tag after it (usually an 802.1Q C-tag) is a layer of its own.
 */
export class Ieee8021ad extends HeaderLayer {
  readonly protocol = 'ieee8021ad';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }
  // The header is 4 bytes (TCI, type), or 8 for a pair (TCI, 0x88a8, TCI, type); 6 when a pair's type was not captured.

  /** True for an S-VID/C-VID pair. */
  get isPair(): boolean {
    return this.u16(2) === TPID_8021AD && this.headerEnd - this.offset >= 6;
  }
  get priority(): number {
    return this.u8(0) >> 5;
  }
  get dei(): boolean {
    return (this.u8(0) & 0x10) !== 0;
  }
  /** Service VLAN ID: the first tag's VLAN ID. */
  get id(): number {
    return this.u16(0) & 0x0fff;
  }
  /** The inner VLAN ID of a pair. */
  get cid(): number | undefined {
    return this.isPair ? this.u16(4) & 0x0fff : undefined;
  }
  /** The EtherType after the tag(s); undefined when not captured. */
  get etherType(): number | undefined {
    const at = this.isPair ? 6 : 2;
    return this.headerEnd - this.offset >= at + 2 ? this.u16(at) : undefined;
  }
}

export const ieee8021ad: Protocol<Ieee8021ad> = {
  name: 'ieee8021ad',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    // Wireshark reads the TCI and the next type before showing anything.
    if (have < 4) return short('ieee8021ad', bytes, offset, end, 4);
    const type = u16(bytes, offset + 2);
    if (type !== TPID_8021AD) {
      ctx.next('ethertype', type);
      return new Ieee8021ad(bytes, offset, offset + 4, end);
    }
    if (have < 6) return short('ieee8021ad', bytes, offset, end, 8, 'S-tag pair');
    if (have < 8) {
      const l = new Ieee8021ad(bytes, offset, offset + 6, offset + 6);
      l.truncated = true;
      ctx.fail(short('ieee8021ad', bytes, offset, end, 8, 'S-tag pair'));
      return l;
    }
    ctx.next('ethertype', u16(bytes, offset + 6));
    return new Ieee8021ad(bytes, offset, offset + 8, end);
  },
  fields: {
    'ieee8021ad.priority': (l, out) => out.push(l.priority),
    'ieee8021ad.dei': (l, out) => out.push(l.dei ? '1' : '0'),
    'ieee8021ad.id': (l, out) => {
      if (!l.isPair) out.push(l.id);
    },
    'ieee8021ad.svid': (l, out) => {
      if (l.isPair) out.push(l.id);
    },
    'ieee8021ad.cvid': (l, out) => {
      const c = l.cid;
      if (c !== undefined) out.push(c);
    },
  },
  summary(l) {
    const t = l.etherType;
    const ids = l.isPair ? `${l.id}/${l.cid}` : String(l.id);
    return `802.1ad vlan ${ids}, p ${l.priority}${l.dei ? ', DEI' : ''}${t === undefined ? '' : `, ethertype ${hex(t, 4)}`}, length ${l.payloadEnd - l.offset}`;
  },
};
