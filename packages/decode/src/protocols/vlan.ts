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
  /** TCI and type: 4 bytes, or 2 when the type was not captured. */
  declare readonly header: Uint8Array;

  get tci(): number {
    return u16(this.header, 0);
  }
  /** Priority code point (0–7). */
  get priority(): number {
    return this.header[0]! >> 5;
  }
  /** Drop eligible indicator (formerly CFI). */
  get dei(): boolean {
    return (this.header[0]! & 0x10) !== 0;
  }
  /** VLAN identifier (0–4095). */
  get id(): number {
    return this.tci & 0x0fff;
  }
  /** The EtherType or 802.3 length after the tag; undefined when not captured. */
  get typeOrLength(): number | undefined {
    return this.header.length >= 4 ? u16(this.header, 2) : undefined;
  }
  /** True when the field after the tag is an 802.3 length (LLC follows). */
  get isLength(): boolean {
    const t = this.typeOrLength;
    return t !== undefined && t <= MAX_802_3_LENGTH;
  }
}

export const vlan: Protocol<Vlan> = {
  name: 'vlan',
  decode(data, offset) {
    if (data.length < 2) return short('vlan', data, offset, 4);
    if (data.length < 4) {
      const l = new Vlan(offset, data.subarray(0, 2), data.subarray(2, 2));
      l.truncated = true;
      return { layer: l, failure: short('vlan', data, offset, 4) };
    }
    const type = u16(data, 2);
    if (type <= MAX_802_3_LENGTH) {
      const end = Math.min(data.length, 4 + type);
      const l = new Vlan(offset, data.subarray(0, 4), data.subarray(4, end));
      l.truncated = 4 + type > data.length;
      return { layer: l, next: lengthFrameNext(l.payload) };
    }
    return { layer: new Vlan(offset, data.subarray(0, 4), data.subarray(4)), next: { table: 'ethertype', keys: [type] } };
  },
  fields: {
    'vlan.priority': (l, out) => out.push(String(l.priority)),
    'vlan.dei': (l, out) => out.push(l.dei ? '1' : '0'),
    'vlan.id': (l, out) => out.push(String(l.id)),
    'vlan.etype': (l, out) => {
      const t = l.typeOrLength;
      if (t !== undefined && t > MAX_802_3_LENGTH) out.push(hex(t, 4));
    },
    'vlan.len': (l, out) => {
      if (l.isLength) out.push(String(l.typeOrLength));
    },
  },
  summary(l) {
    const t = l.typeOrLength;
    const what = t === undefined ? '' : l.isLength ? `, 802.3 length ${t}` : `, ethertype ${hex(t, 4)}`;
    return `vlan ${l.id}, p ${l.priority}${l.dei ? ', DEI' : ''}${what}, length ${l.header.length + l.payload.length}`;
  },
};
