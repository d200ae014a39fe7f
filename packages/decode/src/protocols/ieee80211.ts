import { hex, macAt, u16le, u32le } from '../bytes.js';
import { DecodeFailure, HeaderLayer, type Layer } from '../layer.js';
import type { DecodeContext, Protocol, SummaryContext, FieldValue } from '../registry.js';
import { short } from './need.js';
import { radiotapSummary, type Radiotap } from './radiotap.js';

/** Frame types (frame control bits 2-3). */
export const FrameType = { MANAGEMENT: 0, CONTROL: 1, DATA: 2, EXTENSION: 3 } as const;

/** Frame control flag bits (second byte). */
export const FcFlags = {
  TO_DS: 0x01,
  FROM_DS: 0x02,
  MORE_FRAGMENTS: 0x04,
  RETRY: 0x08,
  POWER_MANAGEMENT: 0x10,
  MORE_DATA: 0x20,
  PROTECTED: 0x40,
  ORDER: 0x80,
} as const;

/** Control frame subtypes. */
export const ControlSubtype = {
  TRIGGER: 2,
  TACK: 3,
  BEAMFORMING_REPORT_POLL: 4,
  VHT_NDP_ANNOUNCEMENT: 5,
  CONTROL_FRAME_EXTENSION: 6,
  CONTROL_WRAPPER: 7,
  BLOCK_ACK_REQUEST: 8,
  BLOCK_ACK: 9,
  PS_POLL: 10,
  RTS: 11,
  CTS: 12,
  ACK: 13,
  CF_END: 14,
  CF_END_CF_ACK: 15,
} as const;

/** How a protected frame body starts. The key is not guessed: the body stays encrypted. */
export type Protection = 'wep' | 'tkip' | 'ccmp';

/** Control subtypes whose second address is the transmitter. */
const CONTROL_WITH_TA = new Set([2, 3, 4, 5, 8, 9, 11, 15]);

/**
 * IEEE 802.11 MAC header. `header` holds the MAC header (QoS and HT control included, and
 * the whole frame for control frames); `payload` is the frame body without the FCS.
 *
 * Fields that lie beyond the captured bytes are undefined, in the order Wireshark reads them:
 * frame control, then the first address, then the rest of the fixed header at once.
 */
export class Ieee80211 extends HeaderLayer {
  readonly protocol = 'wlan';
  /** Offset within the packet of the frame check sequence, when the radio header announced one and the frame could hold it. */
  fcsOffset: number | undefined;
  /** Offset in `header` of the 802.11s mesh control field, when the frame has one. */
  meshControlAt: number | undefined;
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    /** Where the MAC header (and mesh control field) ends: not where the payload starts in an A-MSDU. */
    headerEnd: number,
    /** Length of the fixed header up to and including the sequence control or last address. */
    private readonly baseLength: number,
    /** Offset of the QoS control field, if the frame has one. */
    private readonly qosAt: number | undefined,
    /** Offset of the HT control field, if the frame has one. */
    private readonly htcAt: number | undefined,
    /** How the body of a protected frame starts, when it is protected. */
    readonly protection: Protection | undefined,
    /** A-MSDU subframes, when the QoS control field says the body is an A-MSDU. */
    readonly amsdu: readonly AmsduSubframe[] | undefined,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  /** The frame check sequence, when the radio header announced one and the frame could hold it. */
  get fcs(): Uint8Array | undefined {
    const at = this.fcsOffset;
    return at === undefined ? undefined : this.bytes.subarray(at, at + 4);
  }

  // Fields are read from the packet bytes in place: the frame control is read for every
  // frame (by the management decoder too), and reading it makes no view.
  /** Bytes of the MAC header captured. */
  private hlen(): number {
    return this.headerEnd - this.offset;
  }
  /** The little-endian 16-bit value at `o` in the header. */
  private le16(o: number): number {
    return u16le(this.bytes, this.offset + o);
  }
  /** The address at `o` in the header. */
  private mac(o: number): string {
    return macAt(this.bytes, this.offset + o);
  }

  /** Frame control field (little-endian 16 bits: byte 0 low). */
  get fc(): number {
    return this.le16(0);
  }
  get version(): number {
    return this.u8(0) & 0x03;
  }
  get type(): number {
    return (this.u8(0) >> 2) & 0x03;
  }
  get subtype(): number {
    return this.u8(0) >> 4;
  }
  /** Wireshark's `wlan.fc.type_subtype`: type << 4 | subtype (control frame extensions add their own 4 bits). */
  get typeSubtype(): number {
    const ts = (this.type << 4) | this.subtype;
    return ts === 0x16 ? (ts << 4) | (this.u8(1) & 0x0f) : ts;
  }
  /** The flags byte of the frame control field (see `FcFlags`). */
  get flags(): number {
    return this.u8(1);
  }
  get toDS(): boolean {
    return (this.flags & FcFlags.TO_DS) !== 0;
  }
  get fromDS(): boolean {
    return (this.flags & FcFlags.FROM_DS) !== 0;
  }
  get moreFragments(): boolean {
    return (this.flags & FcFlags.MORE_FRAGMENTS) !== 0;
  }
  get retry(): boolean {
    return (this.flags & FcFlags.RETRY) !== 0;
  }
  get powerManagement(): boolean {
    return (this.flags & FcFlags.POWER_MANAGEMENT) !== 0;
  }
  get moreData(): boolean {
    return (this.flags & FcFlags.MORE_DATA) !== 0;
  }
  get isProtected(): boolean {
    return (this.flags & FcFlags.PROTECTED) !== 0;
  }
  get order(): boolean {
    return (this.flags & FcFlags.ORDER) !== 0;
  }
  /** Duration/ID field. */
  get duration(): number | undefined {
    return this.hlen() >= 4 ? this.le16(2) : undefined;
  }

  private addr(i: 1 | 2 | 3 | 4): string | undefined {
    const o = i === 4 ? 24 : 4 + (i - 1) * 6;
    return this.hlen() >= o + 6 ? this.mac(o) : undefined;
  }
  private get complete(): boolean {
    return this.hlen() >= this.baseLength;
  }

  /** PV1 frame type (frame control bits 2-4) of a protocol version 1 (S1G) frame. */
  get pv1Type(): number | undefined {
    return this.version === 1 ? (this.u8(0) >> 2) & 0x07 : undefined;
  }
  /**
   * Addresses of a PV1 frame: receiver, transmitter SID-dependent third and fourth
   * addresses, as Wireshark places them (types 0 and 1 carry a sequence control first).
   */
  private pv1Addr(which: 'ra' | 'ta' | 'a3' | 'a4'): string | undefined {
    const t = this.pv1Type!;
    const hlen = this.hlen();
    if (t === 2 || hlen < 8) return undefined;
    if (which === 'ra') return this.mac(2);
    if (t === 3) return which === 'ta' && hlen >= 14 ? this.mac(8) : undefined;
    if (which === 'ta' || hlen < 10) return undefined;
    const sid = this.le16(8);
    const a3 = t <= 1 ? 12 : 10;
    if (which === 'a3') return sid & 0x2000 && hlen >= a3 + 6 ? this.mac(a3) : undefined;
    const a4 = t <= 1 ? 18 : 16;
    return sid & 0x2000 && sid & 0x4000 && hlen >= a4 + 6 ? this.mac(a4) : undefined;
  }

  /** Receiver address (address 1). */
  get ra(): string | undefined {
    if (this.version === 1) return this.pv1Addr('ra');
    return this.version === 0 ? this.addr(1) : undefined;
  }
  /** Transmitter address: address 2 of management, data and most control frames. */
  get ta(): string | undefined {
    if (this.version === 1) return this.pv1Addr('ta');
    if (!this.complete) return undefined;
    if (this.type === FrameType.CONTROL) {
      const sub = this.subtype === ControlSubtype.CONTROL_WRAPPER ? this.u8(10) >> 4 : this.subtype;
      if (this.subtype === ControlSubtype.CONTROL_WRAPPER) return CONTROL_WITH_TA.has(sub) || sub === ControlSubtype.PS_POLL ? this.mac(16) : undefined;
      return CONTROL_WITH_TA.has(sub) || sub === ControlSubtype.PS_POLL ? this.addr(2) : undefined;
    }
    return this.type === FrameType.EXTENSION ? undefined : this.addr(2);
  }
  /** Destination address, by the To/From DS bits. */
  get da(): string | undefined {
    if (this.version === 1) return this.pv1Addr('a3');
    if (!this.complete) return undefined;
    if (this.type === FrameType.MANAGEMENT) return this.addr(1);
    if (this.type !== FrameType.DATA) return undefined;
    // In an A-MSDU sent to the DS, address 3 is the BSSID: the destinations are in the subframes.
    if (this.toDS && !this.fromDS && this.amsduPresent) return undefined;
    return this.toDS ? this.addr(3) : this.addr(1);
  }
  /** Source address, by the To/From DS bits (address 4 in a four-address frame). */
  get sa(): string | undefined {
    if (this.version === 1) return this.pv1Addr('a4');
    if (!this.complete) return undefined;
    if (this.type === FrameType.MANAGEMENT) return this.addr(2);
    if (this.type !== FrameType.DATA) return undefined;
    if (this.toDS && this.fromDS) return this.addr(4);
    if (this.fromDS && this.amsduPresent) return undefined;
    return this.fromDS ? this.addr(3) : this.addr(2);
  }
  /** BSSID, by the To/From DS bits; absent in four-address (WDS/mesh) frames. */
  get bssid(): string | undefined {
    if (this.version !== 0) return undefined;
    if (this.type === FrameType.CONTROL) {
      if (this.subtype === ControlSubtype.PS_POLL) return this.addr(1);
      if (this.subtype === ControlSubtype.CF_END && this.complete) return this.addr(2);
      return undefined;
    }
    if (this.type === FrameType.EXTENSION) return this.subtype === 0 ? this.addr(1) : undefined;
    if (!this.complete) return undefined;
    if (this.type === FrameType.MANAGEMENT) return this.addr(3);
    if (this.toDS && this.fromDS) return undefined;
    return this.toDS ? this.addr(1) : this.fromDS ? this.addr(2) : this.addr(3);
  }
  /** Every address of the frame, in header order. */
  get addresses(): string[] {
    const n = this.type === FrameType.CONTROL ? (this.baseLength >= 16 ? 2 : 1) : this.type === FrameType.EXTENSION ? 1 : this.baseLength >= 30 ? 4 : 3;
    const out: string[] = [];
    for (let i = 1; i <= n; i++) {
      const a = this.addr(i as 1 | 2 | 3 | 4);
      if (a) out.push(a);
    }
    return out;
  }

  private get hasSequence(): boolean {
    return (this.type === FrameType.MANAGEMENT || this.type === FrameType.DATA) && this.complete;
  }
  /** Sequence number (sequence control >> 4). */
  get seq(): number | undefined {
    const t = this.pv1Type;
    if (t !== undefined) {
      const at = t <= 1 ? 10 : t === 3 ? 14 : -1;
      return at > 0 && this.hlen() >= at + 2 ? this.le16(at) >> 4 : undefined;
    }
    return this.hasSequence ? this.le16(22) >> 4 : undefined;
  }
  /** Fragment number. */
  get frag(): number | undefined {
    return this.hasSequence ? this.le16(22) & 0x0f : undefined;
  }
  /** QoS control field. */
  get qos(): number | undefined {
    const o = this.qosAt;
    return o !== undefined && this.hlen() >= o + 2 ? this.le16(o) : undefined;
  }
  /** 802.11s mesh control field: flags, TTL, sequence number and extension addresses (4, 5, 6). */
  get meshControl(): { flags: number; ttl: number; seq: number; addresses: string[] } | undefined {
    const o = this.meshControlAt;
    const hlen = this.hlen();
    if (o === undefined || hlen < o + 6) return undefined;
    const addresses: string[] = [];
    for (let a = o + 6; a + 6 <= hlen; a += 6) addresses.push(this.mac(a));
    return { flags: this.u8(o), ttl: this.u8(o + 1), seq: u32le(this.bytes, this.offset + o + 2), addresses };
  }
  /** True when the QoS control field says the body is an A-MSDU. */
  get amsduPresent(): boolean {
    return !this.isNull && ((this.qos ?? 0) & 0x80) !== 0;
  }
  /** Traffic identifier from the QoS control field. */
  get tid(): number | undefined {
    const q = this.qos;
    return q === undefined ? undefined : q & 0x0f;
  }
  /** HT control field (present when the order bit is set on QoS data and management frames). */
  get htc(): number | undefined {
    const o = this.htcAt;
    return o !== undefined && this.hlen() >= o + 4 ? u32le(this.bytes, this.offset + o) : undefined;
  }
  /** True for data subtypes that carry no body (null function, QoS null, CF-Poll ...). */
  get isNull(): boolean {
    return this.type === FrameType.DATA && (this.subtype & 0x04) !== 0;
  }
  /** Frame control of the frame a control wrapper carries. */
  get carriedFc(): number | undefined {
    return this.type === FrameType.CONTROL && this.subtype === ControlSubtype.CONTROL_WRAPPER && this.hlen() >= 12 ? this.le16(10) : undefined;
  }
  /** Block Ack (Request) control field of BAR and BA frames. */
  get blockAckControl(): number | undefined {
    return this.type === FrameType.CONTROL && (this.subtype === 8 || this.subtype === 9) && this.hlen() >= 18 ? this.le16(16) : undefined;
  }
  /** Starting sequence control of BAR and (compressed) BA frames (sequence number << 4 | fragment). */
  get blockAckStartingSeq(): number | undefined {
    return this.blockAckControl !== undefined && this.hlen() >= 20 ? this.le16(18) : undefined;
  }
  /** Beacon interval (TU) of a DMG beacon (extension frame subtype 0). */
  get dmgBeaconInterval(): number | undefined {
    return this.type === FrameType.EXTENSION && this.subtype === 0 && this.version === 0 && this.hlen() >= 23 ? this.le16(21) : undefined;
  }
  /** Association ID of a PS-Poll frame (the duration field, low 14 bits). */
  get aid(): number | undefined {
    return this.type === FrameType.CONTROL && this.subtype === ControlSubtype.PS_POLL && this.hlen() >= 4 ? this.le16(2) & 0x3fff : undefined;
  }
}

/** One subframe of an A-MSDU. */
export interface AmsduSubframe {
  readonly da: string;
  readonly sa: string;
  /** The MSDU (an LLC/SNAP frame), clamped to what was captured. */
  readonly msdu: Uint8Array;
}

/** Most A-MSDU subframes read (each takes at least 14 bytes). */
const MAX_AMSDU = 4096;

/** The subframes of the A-MSDU in the packet's bytes from `start` to `end`. */
function amsduSubframes(bytes: Uint8Array, start: number, end: number): AmsduSubframe[] {
  const out: AmsduSubframe[] = [];
  for (let o = start; o + 14 <= end && out.length < MAX_AMSDU; ) {
    const len = (bytes[o + 12]! << 8) | bytes[o + 13]!;
    out.push({ da: macAt(bytes, o), sa: macAt(bytes, o + 6), msdu: bytes.subarray(o + 14, Math.min(end, o + 14 + len)) });
    o += (14 + len + 3) & ~3;
  }
  return out;
}

/** The TKIP/CCMP/WEP header kind of a protected body (the packet's bytes from `start` to `end`). */
function protectionOf(bytes: Uint8Array, start: number, end: number): Protection | undefined {
  if (end - start < 4) return undefined;
  if (!(bytes[start + 3]! & 0x20)) return 'wep';
  // TKIP's second byte is the WEP seed, (TSC1 | 0x20) & 0x7f.
  return bytes[start + 1] === ((bytes[start]! | 0x20) & 0x7f) ? 'tkip' : 'ccmp';
}

/** The radiotap (or PPI) layer below the frame, and what it may say about it. */
type Radio = (Layer & { dataPad?: boolean; fcsAtEnd?: boolean }) | undefined;

/** True when the radiotap (or PPI) layer below says the frame ends with its FCS. */
function radioSaysFcs(ctx: DecodeContext): boolean {
  return (ctx.layers[ctx.layers.length - 1] as Radio)?.fcsAtEnd === true;
}

/** True when the radiotap layer below says the driver padded the MAC header to 32 bits. */
function radioSaysPad(ctx: DecodeContext): boolean {
  return (ctx.layers[ctx.layers.length - 1] as Radio)?.dataPad === true;
}

interface Layout {
  base: number;
  qosAt?: number;
  htcAt?: number;
  length: number;
  /** Bytes Wireshark needs before it shows anything of the frame. */
  atomic: number;
}

function layout(fc0: number, fc1: number): Layout {
  const type = (fc0 >> 2) & 0x03;
  const subtype = fc0 >> 4;
  const order = (fc1 & FcFlags.ORDER) !== 0;
  switch (type) {
    case FrameType.MANAGEMENT:
      return order ? { base: 24, htcAt: 24, length: 28, atomic: 2 } : { base: 24, length: 24, atomic: 2 };
    case FrameType.CONTROL:
      switch (subtype) {
        case ControlSubtype.CTS:
        case ControlSubtype.ACK:
        case ControlSubtype.CONTROL_FRAME_EXTENSION:
        case 0:
        case 1:
          return { base: 10, length: 10, atomic: 2 };
        case ControlSubtype.CONTROL_WRAPPER:
          return { base: 22, htcAt: 12, length: 16, atomic: 12 };
        default:
          return { base: 16, length: 16, atomic: 2 };
      }
    case FrameType.DATA: {
      const base = (fc1 & 0x03) === 0x03 ? 30 : 24;
      if (!(subtype & 0x08)) return { base, length: base, atomic: 2 };
      // Wireshark reads the QoS control field before it shows anything of a QoS frame.
      return order ? { base, qosAt: base, htcAt: base + 2, length: base + 6, atomic: base + 2 } : { base, qosAt: base, length: base + 2, atomic: base + 2 };
    }
    default:
      return { base: 10, length: 10, atomic: 2 };
  }
}

/** Decodes the frame at `offset`, whose bytes (its FCS already taken off) end at `end`. */
function decodeFrame(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): Ieee80211 | DecodeFailure {
  const have = end - offset;
  if (have < 2) return short('wlan', bytes, offset, end, 2, 'frame control');
  const fc0 = bytes[offset]!;
  const fc1 = bytes[offset + 1]!;
  const version = fc0 & 0x03;
  if (version !== 0) {
    // Protocol version 1 (S1G) headers are read for their addresses only; versions 2 and 3 are undefined.
    return new Ieee80211(bytes, offset, end, end, end, Infinity, undefined, undefined, undefined, undefined);
  }
  const lay = layout(fc0, fc1);
  if (have < lay.atomic) return short('wlan', bytes, offset, end, lay.atomic, 'QoS control field');
  const type = (fc0 >> 2) & 0x03;
  let length = lay.length;
  if (have < length) {
    const l = new Ieee80211(bytes, offset, end, end, end, lay.base, lay.qosAt, lay.htcAt, undefined, undefined);
    l.truncated = true;
    ctx.fail(short('wlan', bytes, offset, end, length, 'MAC header'));
    return l;
  }
  if (type === FrameType.DATA && radioSaysPad(ctx)) length = Math.min(have, (length + 3) & ~3);
  // BA bitmaps, trigger user info ...: a control frame is all header.
  if (type !== FrameType.MANAGEMENT && type !== FrameType.DATA) length = have;
  const body = offset + length;
  const isProtected = (fc1 & FcFlags.PROTECTED) !== 0;
  // Without reassembly only a first fragment's body can be read (as in Wireshark).
  if ((type === FrameType.MANAGEMENT || type === FrameType.DATA) && bytes[offset + 22]! & 0x0f) {
    return new Ieee80211(bytes, offset, body, end, body, lay.base, lay.qosAt, lay.htcAt, isProtected ? protectionOf(bytes, body, end) : undefined, undefined);
  }
  if (type === FrameType.MANAGEMENT) {
    const l = new Ieee80211(bytes, offset, body, end, body, lay.base, undefined, lay.htcAt, isProtected ? protectionOf(bytes, body, end) : undefined, undefined);
    if (!isProtected && body < end) ctx.next('wlan.mgt', fc0 >> 4);
    return l;
  }
  if (type !== FrameType.DATA) {
    return new Ieee80211(bytes, offset, body, end, body, lay.base, undefined, lay.htcAt, undefined, undefined);
  }
  const subtype = fc0 >> 4;
  if (subtype & 0x04) return new Ieee80211(bytes, offset, body, end, body, lay.base, lay.qosAt, lay.htcAt, undefined, undefined);
  if (isProtected) {
    return new Ieee80211(bytes, offset, body, end, body, lay.base, lay.qosAt, lay.htcAt, protectionOf(bytes, body, end), undefined);
  }
  const qos = lay.qosAt !== undefined ? u16le(bytes, offset + lay.qosAt) : 0;
  // 802.11s: a QoS data frame from the DS side with the mesh-control-present bit starts its
  // body with the mesh control field (6 bytes, plus 6 or 12 of address extension).
  // An address extension mode of 3 is reserved: Wireshark then reads no mesh control.
  if (qos & 0x0100 && fc1 & FcFlags.FROM_DS && end - body >= 1 && (bytes[body]! & 0x03) !== 3) {
    const meshEnd = body + Math.min(end - body, 6 + 6 * (bytes[body]! & 0x03));
    const l = new Ieee80211(bytes, offset, meshEnd, end, meshEnd, lay.base, lay.qosAt, lay.htcAt, undefined, undefined);
    l.meshControlAt = length;
    ctx.next('llc', 0);
    return l;
  }
  if (qos & 0x80) {
    const subframes = amsduSubframes(bytes, body, end);
    const first = subframes[0];
    // The first subframe's MSDU is carried on; the header stays the MAC header.
    const l = first
      ? new Ieee80211(bytes, offset, body + 14, body + 14 + first.msdu.length, body, lay.base, lay.qosAt, lay.htcAt, undefined, subframes)
      : new Ieee80211(bytes, offset, end, end, body, lay.base, lay.qosAt, lay.htcAt, undefined, subframes);
    if (first) ctx.next('llc', 0);
    return l;
  }
  ctx.next('llc', 0);
  return new Ieee80211(bytes, offset, body, end, body, lay.base, lay.qosAt, lay.htcAt, undefined, undefined);
}

export const ieee80211: Protocol<Ieee80211> = {
  name: 'wlan',
  decode(bytes, offset, end, ctx) {
    // The FCS comes off only when the frame is long enough to hold its header and an FCS, as in Wireshark.
    if (end - offset >= 2 && (bytes[offset]! & 0x03) === 0 && radioSaysFcs(ctx) && end - offset >= layout(bytes[offset]!, bytes[offset + 1]!).length + 4) {
      const l = decodeFrame(bytes, offset, end - 4, ctx);
      if (!(l instanceof DecodeFailure)) l.fcsOffset = end - 4;
      return l;
    }
    return decodeFrame(bytes, offset, end, ctx);
  },
  fields: {
    'wlan.fc.version': (l, out) => out.push(l.version),
    'wlan.fc.type': (l, out) => v0(l) && out.push(l.type),
    'wlan.fc.subtype': (l, out) => v0(l) && out.push(l.subtype),
    'wlan.fc.type_subtype': (l, out) => {
      if (!v0(l)) return;
      out.push(hex(l.typeSubtype, 4));
      const c = l.carriedFc;
      if (c !== undefined) out.push(hex(((c >> 2) & 0x03) << 4 | ((c >> 4) & 0x0f), 4));
    },
    'wlan.flags': (l, out) => v0(l) && !isExt(l) && out.push(hex(l.flags, 2)),
    'wlan.fc.tods': (l, out) => dsBit(l, out, 0x01),
    'wlan.fc.fromds': (l, out) => dsBit(l, out, 0x02),
    'wlan.fc.frag': (l, out) => flagBit(l, out, FcFlags.MORE_FRAGMENTS),
    'wlan.fc.retry': (l, out) => flagBit(l, out, FcFlags.RETRY),
    'wlan.fc.pwrmgt': (l, out) => flagBit(l, out, FcFlags.POWER_MANAGEMENT),
    'wlan.fc.moredata': (l, out) => flagBit(l, out, FcFlags.MORE_DATA),
    'wlan.fc.protected': (l, out) => flagBit(l, out, FcFlags.PROTECTED),
    'wlan.fc.order': (l, out) => flagBit(l, out, FcFlags.ORDER),
    'wlan.duration': (l, out) => {
      const d = l.duration;
      if (v0(l) && d !== undefined && !(l.type === FrameType.CONTROL && l.subtype === ControlSubtype.PS_POLL)) out.push(d & 0x7fff);
    },
    'wlan.ra': (l, out) => pushIf(out, l.ra),
    'wlan.ta': (l, out) => {
      pushIf(out, l.ta);
      // Wireshark lists a PV1 control frame's transmitter twice.
      if (l.pv1Type === 3 && l.ta) out.push(l.ta);
    },
    'wlan.da': (l, out) => {
      pushIf(out, l.da);
      for (const s of l.amsdu ?? []) out.push(s.da);
    },
    'wlan.sa': (l, out) => {
      pushIf(out, l.sa);
      for (const s of l.amsdu ?? []) out.push(s.sa);
    },
    'wlan.bssid': (l, out) => pushIf(out, l.bssid),
    'wlan.seq': (l, out) => pushIf(out, l.seq),
    'wlan.frag': (l, out) => pushIf(out, v0(l) ? l.frag : undefined),
    'wlan.qos': (l, out) => {
      const q = l.qos;
      if (q !== undefined) out.push(hex(q, 4));
    },
    'wlan.qos.tid': (l, out) => pushIf(out, l.tid),
    'wlan.qos.priority': (l, out) => pushIf(out, l.qos === undefined ? undefined : l.qos & 0x07),
    'wlan.qos.amsdupresent': (l, out) => {
      const q = l.qos;
      if (q !== undefined) out.push(q & 0x80 ? '1' : '0');
    },
    'wlan.htc': (l, out) => {
      const h = l.htc;
      if (h !== undefined) out.push(hex(h, 8));
    },
    'wlan.ba.control': (l, out) => {
      const c = l.blockAckControl;
      if (c !== undefined) out.push(hex(c, 4));
    },
    'wlan.fixed.beacon': (l, out) => pushIf(out, l.dmgBeaconInterval),
    'wlan.fcs': (l, out) => {
      if (l.fcs) out.push(hex(u32le(l.fcs, 0), 8));
    },
  },
  summary(l, ctx) {
    return withRadio(ctx, wlanSummary(l));
  },
};

function v0(l: Ieee80211): boolean {
  return l.version === 0;
}
function isExt(l: Ieee80211): boolean {
  return l.type === FrameType.CONTROL && l.subtype === ControlSubtype.CONTROL_FRAME_EXTENSION;
}
function dsBit(l: Ieee80211, out: FieldValue[], bit: number): void {
  if (!v0(l) || isExt(l)) return;
  out.push(l.flags & bit ? '1' : '0');
  const c = l.carriedFc;
  if (c !== undefined) out.push((c >> 8) & bit ? '1' : '0');
}
function flagBit(l: Ieee80211, out: FieldValue[], bit: number): void {
  if (v0(l) && !isExt(l)) out.push(l.flags & bit ? '1' : '0');
}
function pushIf(out: FieldValue[], v: string | number | undefined): void {
  if (v !== undefined) out.push(v);
}

/** Prefixes a frame's text with the radio information of the radiotap layer below it, if any. */
export function withRadio(ctx: SummaryContext, text: string): string {
  for (let i = ctx.index - 1; i >= 0; i--) {
    const l = ctx.layers[i]!;
    if (l.protocol === 'radiotap') {
      const radio = radiotapSummary(l as Radiotap);
      return radio ? `${radio} ${text}` : text;
    }
  }
  return text;
}

const CONTROL_NAMES: Record<number, string> = {
  2: 'Trigger',
  3: 'TACK',
  4: 'Beamforming Report Poll',
  5: 'VHT NDP Announcement',
  6: 'Control Frame Extension',
  7: 'Control Wrapper',
  8: 'BAR',
  9: 'BA',
  10: 'Power Save-Poll',
  11: 'Request-To-Send',
  12: 'Clear-To-Send',
  13: 'Acknowledgment',
  14: 'CF-End',
  15: 'CF-End+CF-Ack',
};

/** tcpdump's text of the 802.11 header alone (management frames are described by their body). */
export function wlanSummary(l: Ieee80211): string {
  if (l.version !== 0) return `802.11 version ${l.version}`;
  const name = (): string => {
    switch (l.type) {
      case FrameType.CONTROL: {
        const n = CONTROL_NAMES[l.subtype] ?? `Control subtype ${l.subtype}`;
        switch (l.subtype) {
          case ControlSubtype.PS_POLL:
            return l.aid !== undefined ? `${n} AID(${l.aid.toString(16)})` : n;
          case ControlSubtype.BLOCK_ACK_REQUEST: {
            const c = l.blockAckControl;
            const s = l.blockAckStartingSeq;
            return `${n} RA:${l.ra} TA:${l.ta}${c !== undefined ? ` CTL(${c.toString(16)})` : ''}${s !== undefined ? ` SEQ(${s})` : ''}`;
          }
          case ControlSubtype.RTS:
            return `${n} TA:${l.ta ?? '?'}`;
          default:
            return l.ra ? `${n} RA:${l.ra}` : n;
        }
      }
      case FrameType.DATA:
        if (l.protection) return `Data ${l.protection.toUpperCase()}`;
        return l.isNull ? (l.subtype & 0x08 ? 'QoS Null function (No data)' : 'Null function (No data)') : `Data`;
      case FrameType.MANAGEMENT:
        return l.protection ? 'Protected management frame' : `Management subtype ${l.subtype}`;
      default:
        return `Extension subtype ${l.subtype}`;
    }
  };
  return name();
}

