import { hex, u16 } from '../bytes.js';
import { HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { lengthFrameNext } from './llc.js';
import { short } from './need.js';

/** Largest 802.3 length; after a tag, anything above it is an EtherType. */
const MAX_802_3_LENGTH = 1500;

/**
 * An IEEE 802.1Q tag (TPID 0x8100, or the pre-standard 0x9100 of stacked tags): the
 * 16-bit TCI and the EtherType (or 802.3 length) that follows it. The TPID itself is
 * the type field of the layer before. A tag cut after its TCI keeps the VLAN ID.
 */
export class Vlan extends HeaderLayer {
  readonly protocol = 'vlan';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }
  // The header is the TCI and type: 4 bytes, or 2 when the type was not captured.

  get tci(): number {
    return this.u16(0);
  }
  /** Priority code point (0-7). */
  get priority(): number {
    return this.u8(0) >> 5;
  }
  /** Drop eligible indicator (formerly CFI). */
  get dei(): boolean {
    return (this.u8(0) & 0x10) !== 0;
  }
  /** VLAN identifier (0-4095). */
  get id(): number {
    return this.tci & 0x0fff;
  }
  /** The EtherType or 802.3 length after the tag; undefined when not captured. */
  get typeOrLength(): number | undefined {
    return this.headerEnd - this.offset >= 4 ? this.u16(2) : undefined;
  }
  /** True when the field after the tag is an 802.3 length (LLC follows). */
  get isLength(): boolean {
    const t = this.typeOrLength;
    return t !== undefined && t <= MAX_802_3_LENGTH;
  }
}

export const vlan: Protocol<Vlan> = {
  name: 'vlan',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    if (have < 2) return short('vlan', bytes, offset, end, 4);
    if (have < 4) {
      const l = new Vlan(bytes, offset, offset + 2, offset + 2);
      l.truncated = true;
      ctx.fail(short('vlan', bytes, offset, end, 4));
      return l;
    }
    const type = u16(bytes, offset + 2);
    const at = offset + 4;
    if (type <= MAX_802_3_LENGTH) {
      const l = new Vlan(bytes, offset, at, Math.min(end, at + type));
      l.truncated = at + type > end;
      lengthFrameNext(bytes, at, l.payloadEnd, ctx);
      return l;
    }
    ctx.next('ethertype', type);
    return new Vlan(bytes, offset, at, end);
  },
  fields: {
    'vlan.priority': (l, out) => out.push(l.priority),
    'vlan.dei': (l, out) => out.push(l.dei ? '1' : '0'),
    'vlan.id': (l, out) => out.push(l.id),
    'vlan.etype': (l, out) => {
      const t = l.typeOrLength;
      if (t !== undefined && t > MAX_802_3_LENGTH) out.push(hex(t, 4));
    },
    'vlan.len': (l, out) => {
      if (l.isLength) out.push(l.typeOrLength!);
    },
  },
  summary(l) {
    const t = l.typeOrLength;
    const what = t === undefined ? '' : l.isLength ? `, 802.3 length ${t}` : `, ethertype ${hex(t, 4)}`;
    return `vlan ${l.id}, p ${l.priority}${l.dei ? ', DEI' : ''}${what}, length ${l.header.length + l.payload.length}`;
  },
};
