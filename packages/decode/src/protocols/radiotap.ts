import { hex, u16le, u32le } from '../bytes.js';
import { DecodeFailure, type Layer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { short } from './need.js';
import { FIELD_LAYOUT, RadiotapBit, RadiotapFlags, formatG, htRate, vhtRate } from './radiotap-fields.js';

export { RadiotapBit, RadiotapFlags } from './radiotap-fields.js';

/** Where one present field sits in the radiotap header. */
export interface RadiotapItem {
  /** Bit number within its namespace (see `RadiotapBit`). */
  readonly bit: number;
  /** Which radiotap namespace holds it: 0 for the first, 1 after the first namespace reset, … (one per antenna in practice). */
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
export class Radiotap implements Layer {
  readonly protocol = 'radiotap';
  truncated = false;
  constructor(
    readonly offset: number,
    /** The whole radiotap header (it_len bytes). */
    readonly header: Uint8Array,
    /** The 802.11 frame (its FCS included, when it has one: see `fcsAtEnd`). */
    readonly payload: Uint8Array,
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
  ) {}

  get version(): number {
    return this.header[0]!;
  }
  get pad(): number {
    return this.header[1]!;
  }
  /** it_len: the header length in bytes. */
  get length(): number {
    return u16le(this.header, 2);
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

  private u8(bit: number): number | undefined {
    const it = this.item(bit);
    return it ? this.header[it.offset] : undefined;
  }
  private u16(bit: number): number | undefined {
    const it = this.item(bit);
    return it ? u16le(this.header, it.offset) : undefined;
  }
  private s8All(bit: number): number[] {
    return this.itemsOf(bit).map((it) => (this.header[it.offset]! << 24) >> 24);
  }

  /** TSFT: the MAC timestamp in microseconds. */
  get tsft(): bigint | undefined {
    const it = this.item(RadiotapBit.TSFT);
    return it ? BigInt(u32le(this.header, it.offset)) | (BigInt(u32le(this.header, it.offset + 4)) << 32n) : undefined;
  }
  /** The Flags field (see `RadiotapFlags`). */
  get flags(): number | undefined {
    return this.u8(RadiotapBit.FLAGS);
  }
  /** True when the Flags field marks the FCS as bad. */
  get badFcs(): boolean {
    return ((this.flags ?? 0) & RadiotapFlags.BAD_FCS) !== 0;
  }
  /** True when the driver padded the 802.11 header to a 32-bit boundary. */
  get dataPad(): boolean {
    return this.itemsOf(RadiotapBit.FLAGS).some((it) => (this.header[it.offset]! & RadiotapFlags.DATA_PAD) !== 0);
  }
  /** The Rate field in Mb/s. */
  get rate(): number | undefined {
    const r = this.u8(RadiotapBit.RATE);
    return r === undefined ? undefined : r / 2;
  }
  /** Channel field: frequency in MHz and channel flags. */
  get channel(): { freq: number; flags: number } | undefined {
    const it = this.item(RadiotapBit.CHANNEL);
    return it ? { freq: u16le(this.header, it.offset), flags: u16le(this.header, it.offset + 2) } : undefined;
  }
  get fhss(): { hopSet: number; hopPattern: number } | undefined {
    const it = this.item(RadiotapBit.FHSS);
    return it ? { hopSet: this.header[it.offset]!, hopPattern: this.header[it.offset + 1]! } : undefined;
  }
  /** dBm antenna signal of every namespace (one per antenna). */
  get dbmAntSignal(): number[] {
    return this.s8All(RadiotapBit.DBM_ANTSIGNAL);
  }
  get dbmAntNoise(): number[] {
    return this.s8All(RadiotapBit.DBM_ANTNOISE);
  }
  get lockQuality(): number | undefined {
    return this.u16(RadiotapBit.LOCK_QUALITY);
  }
  get txAttenuation(): number | undefined {
    return this.u16(RadiotapBit.TX_ATTENUATION);
  }
  get dbTxAttenuation(): number | undefined {
    return this.u16(RadiotapBit.DB_TX_ATTENUATION);
  }
  get dbmTxPower(): number | undefined {
    return this.s8All(RadiotapBit.DBM_TX_POWER)[0];
  }
  /** Antenna index of every namespace. */
  get antenna(): number[] {
    return this.itemsOf(RadiotapBit.ANTENNA).map((it) => this.header[it.offset]!);
  }
  get dbAntSignal(): number[] {
    return this.itemsOf(RadiotapBit.DB_ANTSIGNAL).map((it) => this.header[it.offset]!);
  }
  get dbAntNoise(): number[] {
    return this.itemsOf(RadiotapBit.DB_ANTNOISE).map((it) => this.header[it.offset]!);
  }
  get rxFlags(): number | undefined {
    return this.u16(RadiotapBit.RX_FLAGS);
  }
  get txFlags(): number | undefined {
    return this.u16(RadiotapBit.TX_FLAGS);
  }
  get rtsRetries(): number | undefined {
    return this.u8(RadiotapBit.RTS_RETRIES);
  }
  get dataRetries(): number | undefined {
    return this.u8(RadiotapBit.DATA_RETRIES);
  }
  get xchannel(): { flags: number; freq: number; channel: number; maxPower: number } | undefined {
    const it = this.item(RadiotapBit.XCHANNEL);
    if (!it) return undefined;
    const h = this.header;
    return { flags: u32le(h, it.offset), freq: u16le(h, it.offset + 4), channel: h[it.offset + 6]!, maxPower: h[it.offset + 7]! };
  }
  get mcs(): RadiotapMcs | undefined {
    const it = this.item(RadiotapBit.MCS);
    if (!it) return undefined;
    const [known, flags, index] = [this.header[it.offset]!, this.header[it.offset + 1]!, this.header[it.offset + 2]!];
    return { known, flags, index, bandwidth: flags & 0x03, shortGi: (flags & 0x04) !== 0 };
  }
  get ampdu(): { reference: number; flags: number; delimiterCrc: number } | undefined {
    const it = this.item(RadiotapBit.AMPDU_STATUS);
    if (!it) return undefined;
    return { reference: u32le(this.header, it.offset), flags: u16le(this.header, it.offset + 4), delimiterCrc: this.header[it.offset + 6]! };
  }
  get vht(): RadiotapVht | undefined {
    const it = this.item(RadiotapBit.VHT);
    if (!it) return undefined;
    const h = this.header;
    const o = it.offset;
    const users = [0, 1, 2, 3].map((i) => ({ mcs: h[o + 4 + i]! >> 4, nss: h[o + 4 + i]! & 0x0f }));
    return { known: u16le(h, o), flags: h[o + 2]!, bandwidth: h[o + 3]! & 0x1f, users, coding: h[o + 8]!, groupId: h[o + 9]!, partialAid: u16le(h, o + 10) };
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
    const h = this.header;
    const o = it.offset;
    return { value: BigInt(u32le(h, o)) | (BigInt(u32le(h, o + 4)) << 32n), accuracy: u16le(h, o + 8), unitPosition: h[o + 10]!, flags: h[o + 11]! };
  }
  /** HE field: its six 16-bit data words. */
  get he(): number[] | undefined {
    const it = this.item(RadiotapBit.HE);
    return it ? [0, 2, 4, 6, 8, 10].map((i) => u16le(this.header, it.offset + i)) : undefined;
  }
  /** HE-MU field: flags1, flags2 and the two RU channel arrays. */
  get heMu(): { flags1: number; flags2: number; ruChannel1: Uint8Array; ruChannel2: Uint8Array } | undefined {
    const it = this.item(RadiotapBit.HE_MU);
    if (!it) return undefined;
    const o = it.offset;
    return { flags1: u16le(this.header, o), flags2: u16le(this.header, o + 2), ruChannel1: this.header.subarray(o + 4, o + 8), ruChannel2: this.header.subarray(o + 8, o + 12) };
  }
  /** 0-length PSDU type: 0 sounding, 1 not captured, 0xff vendor. */
  get zeroLengthPsdu(): number | undefined {
    return this.u8(RadiotapBit.ZERO_LENGTH_PSDU);
  }
  get lSig(): { data1: number; data2: number } | undefined {
    const it = this.item(RadiotapBit.L_SIG);
    return it ? { data1: u16le(this.header, it.offset), data2: u16le(this.header, it.offset + 2) } : undefined;
  }

  /**
   * Data rates in Mb/s in header order, as Wireshark's `radiotap.datarate`: the Rate field,
   * and the rate computed from an MCS field that gives index, bandwidth and guard interval.
   */
  get datarates(): number[] {
    const out: number[] = [];
    for (const it of this.items) {
      if (it.bit === RadiotapBit.RATE) out.push(this.header[it.offset]! / 2);
      else if (it.bit === RadiotapBit.MCS) {
        const known = this.header[it.offset]!;
        const flags = this.header[it.offset + 1]!;
        if ((known & 0x07) !== 0x07) continue;
        const r = htRate(this.header[it.offset + 2]!, (flags & 0x03) === 1, (flags & 0x04) !== 0);
        if (r !== undefined) out.push(r);
      }
    }
    return out;
  }

  /** The TLV list after the fixed fields (presence bit 28); walks at most to the header end. */
  get tlvs(): RadiotapTlv[] {
    const out: RadiotapTlv[] = [];
    if (this.tlvStart === undefined) return out;
    const h = this.header;
    for (let o = this.tlvStart; o + 4 <= h.length; ) {
      const type = u16le(h, o);
      const len = u16le(h, o + 2);
      const end = Math.min(h.length, o + 4 + len);
      out.push({ type, data: h.subarray(o + 4, end) });
      o += 4 + ((len + 3) & ~3);
    }
    return out;
  }
}

/** Result of walking the presence bitmaps. */
interface Walk {
  items: RadiotapItem[];
  vendors: RadiotapVendorNamespace[];
  problem: RadiotapProblem | undefined;
  tlvStart: number | undefined;
}

/**
 * Walks the fields exactly as the radiotap iterator used by Linux and Wireshark does:
 * alignment from the header start, namespaces reset by bit 29, vendor namespaces skipped by
 * their skip length, and the walk ends at the first bit of the radiotap namespace it cannot
 * size. Bounded by the number of presence bits.
 */
function walk(h: Uint8Array, words: readonly number[]): Walk {
  const len = h.length;
  const items: RadiotapItem[] = [];
  const vendors: RadiotapVendorNamespace[] = [];
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
          if (idx === RadiotapBit.TLV) return { items, vendors, problem: undefined, tlvStart: (pos + 3) & ~3 };
          break;
        }
        align = 0;
        size = 0;
      } else [align, size] = layout;
      if (align === 0) {
        // Nothing can be sized after this bit in this namespace: jump to where the
        // namespace's data ends, which only a vendor namespace has announced.
        if (nextNsData === undefined) return { items, vendors, problem: 'data past header', tlvStart: undefined };
        pos = nextNsData;
        known = false;
        shifter >>>= 1;
        idx++;
        continue;
      }
    }
    pos += (align - (pos % align)) % align;
    if (bit === RadiotapBit.VENDOR_NAMESPACE) {
      if (pos + 6 > len) return { items, vendors, problem: 'data past header', tlvStart: undefined };
      const skip = u16le(h, pos + 4);
      nextNsData = pos + 6 + skip;
      if (nextNsData <= len) {
        vendors.push({ oui: (h[pos]! << 16) | (h[pos + 1]! << 8) | h[pos + 2]!, subNamespace: h[pos + 3]!, data: h.subarray(pos + 6, nextNsData) });
      }
      size += skip;
    }
    const at = pos;
    pos += size;
    if (pos > len) return { items, vendors, problem: 'data past header', tlvStart: undefined };
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
  return { items, vendors, problem: undefined, tlvStart: undefined };
}

/**
 * Reads the TLV list the way Wireshark 4.0 does: a TLV whose type is a presence bit number
 * and whose length is that field's size is read as the field; a list cut short is data past
 * the header; a TLV type past the presence bits is unreadable. Bounded by the header length.
 */
function readTlvs(h: Uint8Array, start: number, namespace: number, items: RadiotapItem[]): RadiotapProblem | 'unreadable' | undefined {
  for (let o = start; o < h.length; ) {
    if (o + 4 > h.length) return 'data past header';
    const type = u16le(h, o);
    const len = u16le(h, o + 2);
    if (o + 4 + len > h.length) return 'data past header';
    if (type >= 32) return 'unreadable';
    const layout = FIELD_LAYOUT[type];
    if (layout && layout[0] !== 0 && layout[1] === len) items.push({ bit: type, namespace, offset: o + 4, size: len });
    o += 4 + ((len + 3) & ~3);
  }
  return undefined;
}

export const radiotap: Protocol<Radiotap> = {
  name: 'radiotap',
  decode(data, offset) {
    if (data.length < 4) return short('radiotap', data, offset, 4);
    const len = u16le(data, 2);
    if (len < 8) {
      const l = new Radiotap(offset, data.subarray(0, 4), data.subarray(data.length), [], [], [], undefined, false, undefined);
      return { layer: l, failure: new DecodeFailure('radiotap', offset, 8, len, 'it_len field below 8', data) };
    }
    if (data.length < len) {
      const l = new Radiotap(offset, data, data.subarray(data.length), [], [], [], undefined, false, undefined);
      l.truncated = true;
      return { layer: l, failure: short('radiotap', data, offset, len, 'it_len field') };
    }
    const header = data.subarray(0, len);
    const words: number[] = [];
    let problem: RadiotapProblem | undefined;
    let w: Walk = { items: [], vendors: [], problem: undefined, tlvStart: undefined };
    if (data[0] !== 0) problem = 'unsupported version';
    else {
      for (let o = 4; ; o += 4) {
        if (o + 4 > len) {
          problem = 'presence bitmaps past header';
          words.length = 0;
          break;
        }
        const word = u32le(data, o);
        words.push(word);
        if (!(word & 0x80000000)) break;
      }
      if (!problem) {
        const both = words.findIndex((x) => (x & 0x60000000) === 0x60000000);
        if (both >= 0) {
          words.length = both + 1;
          problem = 'both namespaces';
        } else {
          w = walk(header, words);
          problem = w.problem;
        }
      }
    }
    // The last Flags field decides whether the frame ends with its FCS, as in Wireshark;
    // the 802.11 layer takes it off (it alone knows whether the frame is long enough).
    let flags = 0;
    for (const it of w.items) if (it.bit === RadiotapBit.FLAGS) flags = header[it.offset]!;
    const tlv = w.tlvStart === undefined ? undefined : readTlvs(header, w.tlvStart, w.items.length ? w.items[w.items.length - 1]!.namespace : 0, w.items);
    if (tlv && tlv !== 'unreadable') problem = tlv;
    const l = new Radiotap(offset, header, data.subarray(len), words, w.items, w.vendors, problem, (flags & RadiotapFlags.FCS) !== 0, w.tlvStart);
    if (tlv === 'unreadable') {
      // Wireshark 4.0 gives up on the whole frame at a TLV of a type it does not know.
      const at = w.tlvStart!;
      return { layer: l, failure: new DecodeFailure('radiotap', offset + at, len - at, len - at, 'TLV of unknown type', data.subarray(at, len)) };
    }
    // A 0-length-PSDU field says no frame was captured at all.
    if (w.items.some((it) => it.bit === RadiotapBit.ZERO_LENGTH_PSDU)) return { layer: l };
    return { layer: l, next: { table: 'wlan', keys: [0] } };
  },
  fields: {
    'radiotap.version': (l, out) => out.push(String(l.version)),
    'radiotap.pad': (l, out) => out.push(String(l.pad)),
    'radiotap.length': (l, out) => out.push(String(l.length)),
    'radiotap.present.word': (l, out) => {
      for (const w of l.presentWords) out.push(hex(w, 8));
    },
    'radiotap.mactime': (l, out) => push(out, l.tsft),
    'radiotap.flags': (l, out) => {
      for (const it of l.itemsOf(RadiotapBit.FLAGS)) out.push(hex(l.header[it.offset]!, 2));
    },
    'radiotap.flags.fcs': (l, out) => {
      for (const it of l.itemsOf(RadiotapBit.FLAGS)) out.push(l.header[it.offset]! & RadiotapFlags.FCS ? '1' : '0');
    },
    'radiotap.flags.badfcs': (l, out) => {
      for (const it of l.itemsOf(RadiotapBit.FLAGS)) out.push(l.header[it.offset]! & RadiotapFlags.BAD_FCS ? '1' : '0');
    },
    'radiotap.datarate': (l, out) => {
      for (const r of l.datarates) out.push(formatG(r));
    },
    'radiotap.channel.freq': (l, out) => {
      for (const it of l.itemsOf(RadiotapBit.CHANNEL)) out.push(String(u16le(l.header, it.offset)));
    },
    'radiotap.channel.flags': (l, out) => {
      for (const it of l.itemsOf(RadiotapBit.CHANNEL)) out.push(hex(u16le(l.header, it.offset + 2), 4));
    },
    'radiotap.fhss.hopset': (l, out) => push(out, l.fhss?.hopSet),
    'radiotap.fhss.pattern': (l, out) => push(out, l.fhss?.hopPattern),
    'radiotap.dbm_antsignal': (l, out) => {
      for (const v of l.dbmAntSignal) out.push(String(v));
    },
    'radiotap.dbm_antnoise': (l, out) => {
      for (const v of l.dbmAntNoise) out.push(String(v));
    },
    'radiotap.quality': (l, out) => push(out, l.lockQuality),
    'radiotap.txattenuation': (l, out) => push(out, l.txAttenuation),
    'radiotap.db_txattenuation': (l, out) => push(out, l.dbTxAttenuation),
    'radiotap.txpower': (l, out) => push(out, l.dbmTxPower),
    'radiotap.antenna': (l, out) => {
      for (const v of l.antenna) out.push(String(v));
    },
    'radiotap.db_antsignal': (l, out) => {
      for (const v of l.dbAntSignal) out.push(String(v));
    },
    'radiotap.db_antnoise': (l, out) => {
      for (const v of l.dbAntNoise) out.push(String(v));
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
      if (m && m.known & 0x02) out.push(String(m.index));
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

function push(out: string[], v: number | bigint | undefined): void {
  if (v !== undefined) out.push(String(v));
}

function pushRate(out: string[], v: number | undefined): void {
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

/** tcpdump's radio prefix, field by field in header order: `1.0 Mb/s 2412 MHz 11b -40dBm signal …`. */
export function radiotapSummary(l: Radiotap): string {
  const parts: string[] = [];
  const h = l.header;
  const ht = l.item(RadiotapBit.MCS) !== undefined;
  for (const it of l.items) {
    const o = it.offset;
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
