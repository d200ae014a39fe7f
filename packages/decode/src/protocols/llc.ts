import { HeaderLayer } from '../layer.js';
import { hex, u16, u24 } from '../bytes.js';
import type { DecodeContext, Protocol } from '../registry.js';
import { short } from './need.js';

/** SNAP's own SAP: DSAP and SSAP 0xAA (the low bit is the group/response bit). */
const SAP_SNAP = 0xaa;
/** OUIs whose SNAP protocol id is an EtherType: RFC 1042 encapsulation and Cisco's 802.1H variant. */
const ETHERTYPE_OUIS: ReadonlySet<number> = new Set([0x000000, 0x0000f8]);

/**
 * The `llc.snap` table key of a SNAP header: the OUI and protocol id in one number,
 * e.g. `snapKey(0x00000c, 0x2000)` for Cisco CDP.
 */
export function snapKey(oui: number, pid: number): number {
  return oui * 0x10000 + pid;
}

/**
 * IEEE 802.2 LLC header, with the SNAP header (OUI and protocol id) that follows it when
 * both SAPs are 0xAA. Wireshark shows both as one `llc` protocol, and so does this layer.
 * A header cut short keeps the fields that were captured (`dsap` alone, say).
 */
export class Llc extends HeaderLayer {
  readonly protocol = 'llc';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get dsap(): number | undefined {
    return this.header[0];
  }
  get ssap(): number | undefined {
    return this.header[1];
  }
  /** Control field length: 1 for U-format frames, 2 for I- and S-format (modulo-128) frames. */
  get controlLength(): number {
    const c = this.header[2];
    return c === undefined || (c & 3) === 3 ? 1 : 2;
  }
  /** The control field as Wireshark shows it (the two-byte form is little-endian). */
  get control(): number | undefined {
    const h = this.header;
    if (h.length < 3) return undefined;
    if (this.controlLength === 1) return h[2];
    return h.length < 4 ? undefined : h[2]! | (h[3]! << 8);
  }
  /** True when both SAPs say a SNAP header follows. */
  get isSnap(): boolean {
    return h8(this.dsap) === SAP_SNAP && h8(this.ssap) === SAP_SNAP;
  }
  /** SNAP organisationally unique identifier (0 for an EtherType), when captured. */
  get oui(): number | undefined {
    const at = 2 + this.controlLength;
    return this.isSnap && this.header.length >= at + 5 ? u24(this.header, at) : undefined;
  }
  /** SNAP protocol id (an EtherType when the OUI is 0 or 00-00-f8), when captured. */
  get pid(): number | undefined {
    const at = 2 + this.controlLength;
    return this.isSnap && this.header.length >= at + 5 ? u16(this.header, at + 3) : undefined;
  }
  /** True for frames that carry data for the protocol above: I-format and UI frames. */
  get isInformation(): boolean {
    const c = this.header[2];
    return c !== undefined && ((c & 1) === 0 || c === 0x03);
  }
  /** The protocol id as an EtherType, when the OUI makes it one and the frame carries data. */
  get etherType(): number | undefined {
    const oui = this.oui;
    return oui !== undefined && ETHERTYPE_OUIS.has(oui) && this.isInformation ? this.pid : undefined;
  }
}

function h8(sap: number | undefined): number | undefined {
  return sap === undefined ? undefined : sap & 0xfe;
}

/**
 * Decodes LLC and SNAP. Next: SNAP with an EtherType OUI goes to `ethertype`; other SNAP
 * to `llc.snap` (see `snapKey`); plain LLC information frames to `llc.sap` by DSAP.
 */
export const llc: Protocol<Llc> = {
  name: 'llc',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    if (have < 1) return short('llc', bytes, offset, end, 3);
    const parentMissing = ctx.layers[ctx.layers.length - 1]?.missing ?? 0;
    let need = 3;
    if (have >= 3 && (bytes[offset + 2]! & 3) !== 3) need = 4;
    const snap = have >= 2 && (bytes[offset]! & 0xfe) === SAP_SNAP && (bytes[offset + 1]! & 0xfe) === SAP_SNAP;
    const headerLength = snap ? need + 5 : need;
    if (have < headerLength) {
      // Wireshark shows what it could read (the SAPs, say) and then gives up.
      const l = new Llc(bytes, offset, end, end, offset + Math.min(have, need));
      l.truncated = true;
      ctx.fail(short('llc', bytes, offset, end, headerLength, snap ? 'SNAP header' : 'minimum header'));
      return l;
    }
    const l = new Llc(bytes, offset, offset + headerLength, end);
    l.missing = parentMissing;
    l.truncated = parentMissing > 0;
    nextOf(l, ctx);
    return l;
  },
  fields: {
    'llc.dsap': (l, out) => {
      if (l.dsap !== undefined) out.push(hex(l.dsap, 2));
    },
    'llc.ssap': (l, out) => {
      if (l.ssap !== undefined) out.push(hex(l.ssap, 2));
    },
    'llc.control': (l, out) => {
      const c = l.control;
      if (c !== undefined) out.push(hex(c, l.controlLength === 1 ? 2 : 4));
    },
    'llc.oui': (l, out) => {
      if (l.oui !== undefined) out.push(l.oui);
    },
    'llc.type': (l, out) => {
      const t = l.etherType;
      if (t !== undefined) out.push(hex(t, 4));
    },
    'llc.pid': (l, out) => {
      const oui = l.oui;
      if (oui !== undefined && !ETHERTYPE_OUIS.has(oui)) out.push(hex(l.pid!, 4));
    },
  },
  summary(l) {
    const oui = l.oui;
    const len = l.header.length + l.payload.length;
    if (oui !== undefined) {
      const t = l.etherType;
      return `LLC/SNAP, oui ${hex(oui, 6)}, ${t !== undefined ? `ethertype ${hex(t, 4)}` : `pid ${hex(l.pid!, 4)}`}, length ${len}`;
    }
    const c = l.control;
    return `LLC, dsap ${hex(l.dsap ?? 0, 2)}, ssap ${hex(l.ssap ?? 0, 2)}${c === undefined ? '' : `, ctrl ${hex(c, l.controlLength === 1 ? 2 : 4)}`}, length ${len}`;
  },
};

function nextOf(l: Llc, ctx: DecodeContext): void {
  // Only information-carrying frames (I and UI) have a payload for the protocol above.
  if (!l.isInformation) return;
  if (l.isSnap) {
    const t = l.etherType;
    if (t !== undefined) ctx.next('ethertype', t);
    else ctx.next('llc.snap', snapKey(l.oui!, l.pid!));
    return;
  }
  ctx.next('llc.sap', l.dsap!);
}

/**
 * Says where the payload of an 802.3 length frame (`bytes` from `offset` to `end`) goes:
 * `llc` key 0 (an LLC header), or key 0xffff for Novell's "raw 802.3" IPX, whose payload
 * starts with a 0xFFFF checksum instead of LLC. 802.11 data frames and cooked captures use
 * key 0 directly.
 */
export function lengthFrameNext(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): void {
  ctx.next('llc', end - offset >= 2 && bytes[offset] === 0xff && bytes[offset + 1] === 0xff ? 0xffff : 0);
}
