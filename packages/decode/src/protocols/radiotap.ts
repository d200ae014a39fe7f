import { hex, u16le, u32le } from '../bytes.js';
import { DecodeFailure, HeaderLayer } from '../layer.js';
import type { Protocol, FieldValue } from '../registry.js';
import { short } from './need.js';
import { FIELD_LAYOUT, RadiotapBit, RadiotapFlags, formatG, htRate, vhtRate } from './radiotap-fields.js';

export { RadiotapBit, RadiotapFlags } from './radiotap-fields.js';

/** Where one present field sits in the radiotap header. */
export interface RadiotapItem {
  /** Bit number within its namespace (see `RadiotapBit`). */
  readonly bit: number;
  /** Which radiotap namespace holds it: 0 for the first, 1 after the first namespace reset, ... (one per antenna in practice). */
  readonly namespace: number;
  /** Offset from the start of the radiotap header. */
  readonly offset: number;
  readonly size: number;
}

/** A vendor namespace that was skipped by its skip length. */
export interface RadiotapVendorNamespace {
  readonly oui: number;
  readonly subNamespace: number;
  /** The vendor data (after the 6-byte namespace header). */
  readonly data: Uint8Array;
}

/** One entry of the TLV list that may follow the fixed fields (presence bit 28). */
export interface RadiotapTlv {
  readonly type: number;
  readonly data: Uint8Array;
}

/** MCS field (802.11n). */
export interface RadiotapMcs {
  readonly known: number;
  readonly flags: number;
  readonly index: number;
  /** 0 = 20, 1 = 40, 2 = 20L, 3 = 20U (when known & 0x01). */
  readonly bandwidth: number;
  readonly shortGi: boolean;
}

/** VHT field (802.11ac). `users` holds the MCS and NSS of each of the four users. */
export interface RadiotapVht {
  readonly known: number;
  readonly flags: number;
  readonly bandwidth: number;
  readonly users: ReadonlyArray<{ readonly mcs: number; readonly nss: number }>;
  readonly coding: number;
  readonly groupId: number;
  readonly partialAid: number;
}

/**
 * Why the walk over the fields stopped before the end of the presence bitmaps.
 * Wireshark reports each of these as malformed (or `invalid`) and still dissects the 802.11 frame.
 */
export type RadiotapProblem =
  /** Version other than 0: nothing past the length is interpreted. */
  | 'unsupported version'
  /** The extended presence bitmaps run to or past the header length. */
  | 'presence bitmaps past header'
  /** A field (or vendor namespace) ends past the header length. */
  | 'data past header'
  /** A bitmap word sets both the radiotap and the vendor namespace bits. */
  | 'both namespaces';

/**
 * Radiotap header (radiotap.org) in front of an 802.11 frame. Fields are found by walking
 * the presence bitmaps once at decode time; their values are read on demand.
 */
export class Radiotap extends HeaderLayer {
  readonly protocol = 'radiotap';
  constructor(
    bytes: Uint8Array,
    offset: number,
    /** Where the 802.11 frame starts (its FCS included, when it has one: see `fcsAtEnd`). */
    payloadOffset: number,
    payloadEnd: number,
    /** Where the header ends: it_len bytes in, or fewer when the header is cut short or invalid. */
    headerEnd: number,
    /** Every presence bitmap word, in order (empty when the header is invalid). */
    readonly presentWords: readonly number[],
    /** Every present field of a radiotap namespace, in header order. */
    readonly items: readonly RadiotapItem[],
    /** Vendor namespaces skipped over. */
    readonly vendorNamespaces: readonly RadiotapVendorNamespace[],
    /** Why the field walk stopped early, if it did. */
    readonly problem: RadiotapProblem | undefined,
    /** True when the Flags field says the frame ends with its 4-byte FCS. */
    readonly fcsAtEnd: boolean,
    /** Where the TLV list starts, when presence bit 28 was reached. */
    private readonly tlvStart: number | undefined,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get version(): number {
    return this.bytes[this.offset]!;
  }
  get pad(): number {
    return this.bytes[this.offset + 1]!;
  }
  /** it_len: the header length in bytes. */
  get length(): number {
    return u16le(this.bytes, this.offset + 2);
  }

  // Items give offsets from the header start; these read the packet bytes there in place.
  /** The byte at `o` from the header start. */
  private at(o: number): number {
    return this.bytes[this.offset + o]!;
  }
  /** The little-endian 16-bit value at `o` from the header start. */
  private le16(o: number): number {
    return u16le(this.bytes, this.offset + o);
  }
  /** The little-endian 32-bit value at `o` from the header start. */
  private le32(o: number): number {
    return u32le(this.bytes, this.offset + o);
  }

  /** The first field with this bit, in the first namespace that has it. */
  item(bit: number): RadiotapItem | undefined {
    for (const it of this.items) if (it.bit === bit) return it;
    return undefined;
  }
  /** Every field with this bit, one per namespace that has it. */
  itemsOf(bit: number): RadiotapItem[] {
    return this.items.filter((it) => it.bit === bit);
  }

  private u8Of(bit: number): number | undefined {
    const it = this.item(bit);
    return it ? this.at(it.offset) : undefined;
  }
  private u16Of(bit: number): number | undefined {
    const it = this.item(bit);
    return it ? this.le16(it.offset) : undefined;
  }
  private s8All(bit: number): number[] {
    return this.itemsOf(bit).map((it) => (this.at(it.offset) << 24) >> 24);
  }

  /** TSFT: the MAC timestamp in microseconds. */
  get tsft(): bigint | undefined {
    const it = this.item(RadiotapBit.TSFT);
    return it ? BigInt(this.le32(it.offset)) | (BigInt(this.le32(it.offset + 4)) << 32n) : undefined;
  }
  /** The Flags field (see `RadiotapFlags`). */
  get flags(): number | undefined {
    return this.u8Of(RadiotapBit.FLAGS);
  }
  /** True when the Flags field marks the FCS as bad. */
  get badFcs(): boolean {
    return ((this.flags ?? 0) & RadiotapFlags.BAD_FCS) !== 0;
  }
  /** True when the driver padded the 802.11 header to a 32-bit boundary. */
  get dataPad(): boolean {
    // Read by the 802.11 decoder of every frame: no array or view is made here.
    for (const it of this.items) if (it.bit === RadiotapBit.FLAGS && this.at(it.offset) & RadiotapFlags.DATA_PAD) return true;
    return false;
  }
  /** The Rate field in Mb/s. */
  get rate(): number | undefined {
    const r = this.u8Of(RadiotapBit.RATE);
    return r === undefined ? undefined : r / 2;
  }
  /** Channel field: frequency in MHz and channel flags. */
  get channel(): { freq: number; flags: number } | undefined {
    const it = this.item(RadiotapBit.CHANNEL);
    return it ? { freq: this.le16(it.offset), flags: this.le16(it.offset + 2) } : undefined;
  }
  get fhss(): { hopSet: number; hopPattern: number } | undefined {
    const it = this.item(RadiotapBit.FHSS);
    return it ? { hopSet: this.at(it.offset), hopPattern: this.at(it.offset + 1) } : undefined;
  }
  /** dBm antenna signal of every namespace (one per antenna). */
  get dbmAntSignal(): number[] {
    return this.s8All(RadiotapBit.DBM_ANTSIGNAL);
  }
  get dbmAntNoise(): number[] {
    return this.s8All(RadiotapBit.DBM_ANTNOISE);
  }
  get lockQuality(): number | undefined {
    return this.u16Of(RadiotapBit.LOCK_QUALITY);
  }
  get txAttenuation(): number | undefined {
    return this.u16Of(RadiotapBit.TX_ATTENUATION);
  }
  get dbTxAttenuation(): number | undefined {
    return this.u16Of(RadiotapBit.DB_TX_ATTENUATION);
  }
  get dbmTxPower(): number | undefined {
    return this.s8All(RadiotapBit.DBM_TX_POWER)[0];
  }
  /** Antenna index of every namespace. */
  get antenna(): number[] {
    return this.itemsOf(RadiotapBit.ANTENNA).map((it) => this.at(it.offset));
  }
  get dbAntSignal(): number[] {
    return this.itemsOf(RadiotapBit.DB_ANTSIGNAL).map((it) => this.at(it.offset));
  }
  get dbAntNoise(): number[] {
    return this.itemsOf(RadiotapBit.DB_ANTNOISE).map((it) => this.at(it.offset));
  }
  get rxFlags(): number | undefined {
    return this.u16Of(RadiotapBit.RX_FLAGS);
  }
  get txFlags(): number | undefined {
    return this.u16Of(RadiotapBit.TX_FLAGS);
  }
  get rtsRetries(): number | undefined {
    return this.u8Of(RadiotapBit.RTS_RETRIES);
  }
  get dataRetries(): number | undefined {
    return this.u8Of(RadiotapBit.DATA_RETRIES);
  }
  get xchannel(): { flags: number; freq: number; channel: number; maxPower: number } | undefined {
    const it = this.item(RadiotapBit.XCHANNEL);
    if (!it) return undefined;
    return { flags: this.le32(it.offset), freq: this.le16(it.offset + 4), channel: this.at(it.offset + 6), maxPower: this.at(it.offset + 7) };
  }
  get mcs(): RadiotapMcs | undefined {
    const it = this.item(RadiotapBit.MCS);
    if (!it) return undefined;
    const [known, flags, index] = [this.at(it.offset), this.at(it.offset + 1), this.at(it.offset + 2)];
    return { known, flags, index, bandwidth: flags & 0x03, shortGi: (flags & 0x04) !== 0 };
  }
  get ampdu(): { reference: number; flags: number; delimiterCrc: number } | undefined {
    const it = this.item(RadiotapBit.AMPDU_STATUS);
    if (!it) return undefined;
    return { reference: this.le32(it.offset), flags: this.le16(it.offset + 4), delimiterCrc: this.at(it.offset + 6) };
  }
  get vht(): RadiotapVht | undefined {
    const it = this.item(RadiotapBit.VHT);
    if (!it) return undefined;
    const o = it.offset;
    const users = [0, 1, 2, 3].map((i) => ({ mcs: this.at(o + 4 + i) >> 4, nss: this.at(o + 4 + i) & 0x0f }));
    return { known: this.le16(o), flags: this.at(o + 2), bandwidth: this.at(o + 3) & 0x1f, users, coding: this.at(o + 8), groupId: this.at(o + 9), partialAid: this.le16(o + 10) };
  }
  /** VHT data rate of each user whose MCS and NSS are set, as Wireshark computes it (needs bandwidth and GI known). */
  get vhtRates(): Array<number | undefined> {
    const v = this.vht;
    if (!v || (v.known & 0x44) !== 0x44) return [];
    return v.users.map((u) => vhtRate(u.mcs, u.nss, v.bandwidth, (v.flags & 0x04) !== 0));
  }
  /** Timestamp field: 64-bit value, accuracy, unit/position and flags. */
  get timestamp(): { value: bigint; accuracy: number; unitPosition: number; flags: number } | undefined {
    const it = this.item(RadiotapBit.TIMESTAMP);
    if (!it) return undefined;
    const o = it.offset;
    return { value: BigInt(this.le32(o)) | (BigInt(this.le32(o + 4)) << 32n), accuracy: this.le16(o + 8), unitPosition: this.at(o + 10), flags: this.at(o + 11) };
  }
  /** HE field: its six 16-bit data words. */
  get he(): number[] | undefined {
    const it = this.item(RadiotapBit.HE);
    return it ? [0, 2, 4, 6, 8, 10].map((i) => this.le16(it.offset + i)) : undefined;
  }
  /** HE-MU field: flags1, flags2 and the two RU channel arrays. */
  get heMu(): { flags1: number; flags2: number; ruChannel1: Uint8Array; ruChannel2: Uint8Array } | undefined {
    const it = this.item(RadiotapBit.HE_MU);
    if (!it) return undefined;
    const o = this.offset + it.offset;
    return { flags1: u16le(this.bytes, o), flags2: u16le(this.bytes, o + 2), ruChannel1: this.bytes.subarray(o + 4, o + 8), ruChannel2: this.bytes.subarray(o + 8, o + 12) };
  }
  /** 0-length PSDU type: 0 sounding, 1 not captured, 0xff vendor. */
  get zeroLengthPsdu(): number | undefined {
    return this.u8Of(RadiotapBit.ZERO_LENGTH_PSDU);
  }
  get lSig(): { data1: number; data2: number } | undefined {
    const it = this.item(RadiotapBit.L_SIG);
    return it ? { data1: this.le16(it.offset), data2: this.le16(it.offset + 2) } : undefined;
  }

  /**
   * Data rates in Mb/s in header order, as Wireshark's `radiotap.datarate`: the Rate field,
   * and the rate computed from an MCS field that gives index, bandwidth and guard interval.
   */
  get datarates(): number[] {
    const out: number[] = [];
    for (const it of this.items) {
      if (it.bit === RadiotapBit.RATE) out.push(this.at(it.offset) / 2);
      else if (it.bit === RadiotapBit.MCS) {
        const known = this.at(it.offset);
        const flags = this.at(it.offset + 1);
        if ((known & 0x07) !== 0x07) continue;
        const r = htRate(this.at(it.offset + 2), (flags & 0x03) === 1, (flags & 0x04) !== 0);
        if (r !== undefined) out.push(r);
      }
    }
    return out;
  }

  /** The TLV list after the fixed fields (presence bit 28); walks at most to the header end. */
  get tlvs(): RadiotapTlv[] {
    const out: RadiotapTlv[] = [];
    if (this.tlvStart === undefined) return out;
    const hlen = this.headerEnd - this.offset;
    for (let o = this.tlvStart; o + 4 <= hlen; ) {
      const type = this.le16(o);
      const len = this.le16(o + 2);
      const end = Math.min(hlen, o + 4 + len);
      out.push({ type, data: this.bytes.subarray(this.offset + o + 4, this.offset + end) });
      o += 4 + ((len + 3) & ~3);
    }
    return out;
  }
}

/** `walk` found every field it could size, and no TLV list. */
const WALK_DONE = -1;
/** `walk` stopped at a field (or vendor namespace) that ends past the header length. */
const WALK_PAST_HEADER = -2;

/**
 * Walks the fields exactly as the radiotap iterator used by Linux and Wireshark does:
 * alignment from the header start, namespaces reset by bit 29, vendor namespaces skipped by
 * their skip length, and the walk ends at the first bit of the radiotap namespace it cannot
 * size. Reads the `len` header bytes at `base` in place, adding the fields it finds to `items`
 * and `vendors`. Returns where the TLV list starts (from the header start) when presence
 * bit 28 was reached, else `WALK_DONE` or `WALK_PAST_HEADER`. Bounded by the number of
 * presence bits.
 */
function walk(bytes: Uint8Array, base: number, len: number, words: readonly number[], items: RadiotapItem[], vendors: RadiotapVendorNamespace[]): number {
  let pos = 4 + words.length * 4;
  let idx = 0;
  let shifter = words[0]!;
  let nextWord = 1;
  let inRadiotap = true; // false inside a vendor namespace (we know none)
  let known = true; // false once a namespace cannot be sized any further
  let resetOnExt = false;
  let namespace = 0;
  let nextNsData: number | undefined;
  const limit = words.length * 32 + 1;
  for (let step = 0; step < limit; step++) {
    const bit = idx % 32;
    if (bit === RadiotapBit.EXT && !(shifter & 1)) break;
    if (!(shifter & 1)) {
      shifter >>>= 1;
      idx++;
      continue;
    }
    let align: number;
    let size: number;
    if (bit === RadiotapBit.RADIOTAP_NAMESPACE || bit === RadiotapBit.EXT) {
      align = 1;
      size = 0;
    } else if (bit === RadiotapBit.VENDOR_NAMESPACE) {
      align = 2;
      size = 6;
    } else {
      const layout = known && inRadiotap ? FIELD_LAYOUT[idx] : undefined;
      if (!layout) {
        if (known && inRadiotap) {
          // A bit past the table: only the TLV list can follow (and only as bit 28).
          if (idx === RadiotapBit.TLV) return (pos + 3) & ~3;
          break;
        }
        align = 0;
        size = 0;
      } else [align, size] = layout;
      if (align === 0) {
        // Nothing can be sized after this bit in this namespace: jump to where the
        // namespace's data ends, which only a vendor namespace has announced.
        if (nextNsData === undefined) return WALK_PAST_HEADER;
        pos = nextNsData;
        known = false;
        shifter >>>= 1;
        idx++;
        continue;
      }
    }
    pos += (align - (pos % align)) % align;
    if (bit === RadiotapBit.VENDOR_NAMESPACE) {
      if (pos + 6 > len) return WALK_PAST_HEADER;
      const at = base + pos;
      const skip = u16le(bytes, at + 4);
      nextNsData = pos + 6 + skip;
      if (nextNsData <= len) {
        vendors.push({ oui: (bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!, subNamespace: bytes[at + 3]!, data: bytes.subarray(at + 6, base + nextNsData) });
      }
      size += skip;
    }
    const at = pos;
    pos += size;
    if (pos > len) return WALK_PAST_HEADER;
    if (bit === RadiotapBit.VENDOR_NAMESPACE) {
      resetOnExt = true;
      inRadiotap = false;
      known = false;
    } else if (bit === RadiotapBit.RADIOTAP_NAMESPACE) {
      resetOnExt = true;
      inRadiotap = true;
      known = true;
      namespace++;
    } else if (bit === RadiotapBit.EXT) {
      shifter = words[nextWord++] ?? 0;
      idx = resetOnExt ? 0 : idx + 1;
      resetOnExt = false;
      continue;
    } else if (inRadiotap) {
      items.push({ bit: idx, namespace, offset: at, size });
    }
    shifter >>>= 1;
    idx++;
  }
  return WALK_DONE;
}

/**
 * Reads the TLV list the way Wireshark 4.0 does: a TLV whose type is a presence bit number
 * and whose length is that field's size is read as the field; a list cut short is data past
 * the header; a TLV type past the presence bits is unreadable. Reads the `len` header bytes
 * at `base` in place from `start`; bounded by the header length.
 */
function readTlvs(bytes: Uint8Array, base: number, len: number, start: number, namespace: number, items: RadiotapItem[]): RadiotapProblem | 'unreadable' | undefined {
  for (let o = start; o < len; ) {
    if (o + 4 > len) return 'data past header';
    const type = u16le(bytes, base + o);
    const tlvLen = u16le(bytes, base + o + 2);
    if (o + 4 + tlvLen > len) return 'data past header';
    if (type >= 32) return 'unreadable';
    const layout = FIELD_LAYOUT[type];
    if (layout && layout[0] !== 0 && layout[1] === tlvLen) items.push({ bit: type, namespace, offset: o + 4, size: tlvLen });
    o += 4 + ((tlvLen + 3) & ~3);
  }
  return undefined;
}

export const radiotap: Protocol<Radiotap> = {
  name: 'radiotap',
  decode(bytes, offset, end, ctx) {
    if (end - offset < 4) return short('radiotap', bytes, offset, end, 4);
    const len = u16le(bytes, offset + 2);
    if (len < 8) {
      ctx.fail(new DecodeFailure('radiotap', bytes, offset, end, 8, len, 'it_len field below 8'));
      return new Radiotap(bytes, offset, end, end, offset + 4, [], [], [], undefined, false, undefined);
    }
    if (end - offset < len) {
      const l = new Radiotap(bytes, offset, end, end, end, [], [], [], undefined, false, undefined);
      l.truncated = true;
      ctx.fail(short('radiotap', bytes, offset, end, len, 'it_len field'));
      return l;
    }
    const headerEnd = offset + len;
    const words: number[] = [];
    const items: RadiotapItem[] = [];
    const vendors: RadiotapVendorNamespace[] = [];
    let problem: RadiotapProblem | undefined;
    let tlvStart: number | undefined;
    if (bytes[offset] !== 0) problem = 'unsupported version';
    else {
      for (let o = 4; ; o += 4) {
        if (o + 4 > len) {
          problem = 'presence bitmaps past header';
          words.length = 0;
          break;
        }
        const word = u32le(bytes, offset + o);
        words.push(word);
        if (!(word & 0x80000000)) break;
      }
      if (!problem) {
        for (let i = 0; i < words.length; i++) {
          if ((words[i]! & 0x60000000) === 0x60000000) {
            words.length = i + 1;
            problem = 'both namespaces';
            break;
          }
        }
        if (!problem) {
          const walked = walk(bytes, offset, len, words, items, vendors);
          if (walked === WALK_PAST_HEADER) problem = 'data past header';
          else if (walked !== WALK_DONE) tlvStart = walked;
        }
      }
    }
    // The last Flags field decides whether the frame ends with its FCS, as in Wireshark;
    // the 802.11 layer takes it off (it alone knows whether the frame is long enough).
    let flags = 0;
    for (const it of items) if (it.bit === RadiotapBit.FLAGS) flags = bytes[offset + it.offset]!;
    const tlv = tlvStart === undefined ? undefined : readTlvs(bytes, offset, len, tlvStart, items.length ? items[items.length - 1]!.namespace : 0, items);
    if (tlv && tlv !== 'unreadable') problem = tlv;
    const l = new Radiotap(bytes, offset, headerEnd, end, headerEnd, words, items, vendors, problem, (flags & RadiotapFlags.FCS) !== 0, tlvStart);
    if (tlv === 'unreadable') {
      // Wireshark 4.0 gives up on the whole frame at a TLV of a type it does not know.
      const at = tlvStart!;
      ctx.fail(new DecodeFailure('radiotap', bytes, offset + at, headerEnd, len - at, len - at, 'TLV of unknown type'));
      return l;
    }
    // A 0-length-PSDU field says no frame was captured at all.
    for (const it of items) if (it.bit === RadiotapBit.ZERO_LENGTH_PSDU) return l;
    ctx.next('wlan', 0);
    return l;
  },
  fields: {
    'radiotap.version': (l, out) => out.push(l.version),
    'radiotap.pad': (l, out) => out.push(l.pad),
    'radiotap.length': (l, out) => out.push(l.length),
    'radiotap.present.word': (l, out) => {
      for (const w of l.presentWords) out.push(hex(w, 8));
    },
    'radiotap.mactime': (l, out) => push(out, l.tsft),
    'radiotap.flags': (l, out) => {
      for (const it of l.itemsOf(RadiotapBit.FLAGS)) out.push(hex(l.bytes[l.offset + it.offset]!, 2));
    },
    'radiotap.flags.fcs': (l, out) => {
      for (const it of l.itemsOf(RadiotapBit.FLAGS)) out.push(l.bytes[l.offset + it.offset]! & RadiotapFlags.FCS ? '1' : '0');
    },
    'radiotap.flags.badfcs': (l, out) => {
      for (const it of l.itemsOf(RadiotapBit.FLAGS)) out.push(l.bytes[l.offset + it.offset]! & RadiotapFlags.BAD_FCS ? '1' : '0');
    },
    'radiotap.datarate': (l, out) => {
      for (const r of l.datarates) out.push(formatG(r));
    },
    'radiotap.channel.freq': (l, out) => {
      for (const it of l.itemsOf(RadiotapBit.CHANNEL)) out.push(u16le(l.bytes, l.offset + it.offset));
    },
    'radiotap.channel.flags': (l, out) => {
      for (const it of l.itemsOf(RadiotapBit.CHANNEL)) out.push(hex(u16le(l.bytes, l.offset + it.offset + 2), 4));
    },
    'radiotap.fhss.hopset': (l, out) => push(out, l.fhss?.hopSet),
    'radiotap.fhss.pattern': (l, out) => push(out, l.fhss?.hopPattern),
    'radiotap.dbm_antsignal': (l, out) => {
      for (const v of l.dbmAntSignal) out.push(v);
    },
    'radiotap.dbm_antnoise': (l, out) => {
      for (const v of l.dbmAntNoise) out.push(v);
    },
    'radiotap.quality': (l, out) => push(out, l.lockQuality),
    'radiotap.txattenuation': (l, out) => push(out, l.txAttenuation),
    'radiotap.db_txattenuation': (l, out) => push(out, l.dbTxAttenuation),
    'radiotap.txpower': (l, out) => push(out, l.dbmTxPower),
    'radiotap.antenna': (l, out) => {
      for (const v of l.antenna) out.push(v);
    },
    'radiotap.db_antsignal': (l, out) => {
      for (const v of l.dbAntSignal) out.push(v);
    },
    'radiotap.db_antnoise': (l, out) => {
      for (const v of l.dbAntNoise) out.push(v);
    },
    'radiotap.rxflags': (l, out) => {
      const v = l.rxFlags;
      if (v !== undefined) out.push(hex(v, 4));
    },
    'radiotap.txflags': (l, out) => {
      const v = l.txFlags;
      if (v !== undefined) out.push(hex(v, 4));
    },
    'radiotap.xchannel.freq': (l, out) => push(out, l.xchannel?.freq),
    'radiotap.xchannel.channel': (l, out) => push(out, l.xchannel?.channel),
    'radiotap.xchannel.flags': (l, out) => {
      const x = l.xchannel;
      if (x) out.push(hex(x.flags, 8));
    },
    'radiotap.mcs.index': (l, out) => {
      const m = l.mcs;
      if (m && m.known & 0x02) out.push(m.index);
    },
    'radiotap.ampdu.reference': (l, out) => push(out, l.ampdu?.reference),
    'radiotap.vht.datarate.0': (l, out) => pushRate(out, l.vhtRates[0]),
    'radiotap.vht.datarate.1': (l, out) => pushRate(out, l.vhtRates[1]),
    'radiotap.vht.datarate.2': (l, out) => pushRate(out, l.vhtRates[2]),
    'radiotap.vht.datarate.3': (l, out) => pushRate(out, l.vhtRates[3]),
  },
  summary(l) {
    return radiotapSummary(l);
  },
};

function push(out: FieldValue[], v: number | bigint | undefined): void {
  if (v !== undefined) out.push(typeof v === 'bigint' ? String(v) : v);
}

function pushRate(out: FieldValue[], v: number | undefined): void {
  if (v !== undefined) out.push(formatG(v));
}

const MCS_BW = ['20', '40', '20L', '20U'];

/** tcpdump's name of a channel: `11a`, `11b`, `11g` (`11n` when an MCS field is present). */
function bandName(flags: number, ht: boolean): string {
  if (ht) return '11n';
  if (flags & 0x0100 && flags & 0x0040) return '11a';
  if (flags & 0x0080 && (flags & 0x0040 || flags & 0x0400)) return '11g';
  if (flags & 0x0080 && flags & 0x0020) return '11b';
  return '';
}

/** tcpdump's radio prefix, field by field in header order: `1.0 Mb/s 2412 MHz 11b -40dBm signal ...`. */
export function radiotapSummary(l: Radiotap): string {
  const parts: string[] = [];
  const h = l.bytes;
  const ht = l.item(RadiotapBit.MCS) !== undefined;
  for (const it of l.items) {
    const o = l.offset + it.offset;
    switch (it.bit) {
      case RadiotapBit.TSFT:
        parts.push(`${BigInt(u32le(h, o)) | (BigInt(u32le(h, o + 4)) << 32n)}us tsft`);
        break;
      case RadiotapBit.FLAGS: {
        const f = h[o]!;
        if (f & RadiotapFlags.CFP) parts.push('cfp');
        if (f & RadiotapFlags.SHORT_PREAMBLE) parts.push('short preamble');
        if (f & RadiotapFlags.WEP) parts.push('wep');
        if (f & RadiotapFlags.FRAGMENTATION) parts.push('fragmented');
        if (f & RadiotapFlags.BAD_FCS) parts.push('bad-fcs');
        break;
      }
      case RadiotapBit.RATE:
        parts.push(`${(h[o]! / 2).toFixed(1)} Mb/s`);
        break;
      case RadiotapBit.CHANNEL: {
        const band = bandName(u16le(h, o + 2), ht);
        parts.push(`${u16le(h, o)} MHz${band ? ` ${band}` : ''}`);
        break;
      }
      case RadiotapBit.DBM_ANTSIGNAL:
        parts.push(`${(h[o]! << 24) >> 24}dBm signal`);
        break;
      case RadiotapBit.DBM_ANTNOISE:
        parts.push(`${(h[o]! << 24) >> 24}dBm noise`);
        break;
      case RadiotapBit.DBM_TX_POWER:
        parts.push(`${(h[o]! << 24) >> 24}dBm tx power`);
        break;
      case RadiotapBit.ANTENNA:
        parts.push(`antenna ${h[o]}`);
        break;
      case RadiotapBit.DB_ANTSIGNAL:
        parts.push(`${h[o]}dB signal`);
        break;
      case RadiotapBit.DB_ANTNOISE:
        parts.push(`${h[o]}dB noise`);
        break;
      case RadiotapBit.MCS: {
        const [known, flags, index] = [h[o]!, h[o + 1]!, h[o + 2]!];
        if (!(known & 0x02)) break;
        const r = (known & 0x07) === 0x07 ? htRate(index, (flags & 0x03) === 1, (flags & 0x04) !== 0) : undefined;
        if (r !== undefined) parts.push(`${r.toFixed(1)} Mb/s`);
        parts.push(`MCS ${index}${known & 0x01 ? ` ${MCS_BW[flags & 0x03]} MHz` : ''}${known & 0x04 ? (flags & 0x04 ? ' short GI' : ' long GI') : ''}`);
        break;
      }
    }
  }
  return parts.join(' ');
}
