/**
 * IEEE 802.11 information elements ("tagged parameters"): the walk over an element list,
 * the rule for where Wireshark gives up on a malformed one, and readers for the common ones.
 */
import { hex, u16le, u32le } from '../bytes.js';

/** Element IDs this module reads. */
export const ElementId = {
  SSID: 0,
  SUPPORTED_RATES: 1,
  DS_PARAMETER: 3,
  TIM: 5,
  COUNTRY: 7,
  POWER_CONSTRAINT: 32,
  ERP: 42,
  HT_CAPABILITIES: 45,
  RSN: 48,
  EXTENDED_RATES: 50,
  HT_OPERATION: 61,
  EXTENDED_CAPABILITIES: 127,
  VHT_CAPABILITIES: 191,
  VHT_OPERATION: 192,
  VENDOR_SPECIFIC: 221,
  EXTENSION: 255,
} as const;

/** Element ID Extension values (element 255) read here. */
export const ElementIdExtension = {
  HE_CAPABILITIES: 35,
  HE_OPERATION: 36,
  MU_EDCA: 38,
  SPATIAL_REUSE: 39,
} as const;

/** One element as found on the wire. */
export interface Element {
  readonly id: number;
  /** The length byte. */
  readonly length: number;
  /** The content (after ID and length), clamped to the bytes present. */
  readonly data: Uint8Array;
  /** Offset of the ID byte within the element list. */
  readonly offset: number;
  /** True for an element inside another element's content. */
  readonly nested?: boolean;
}

/** The element list and, if Wireshark would have stopped inside it, where and why. */
export interface ElementWalk {
  readonly elements: readonly Element[];
  readonly stop?: { readonly offset: number; readonly required: number; readonly actual: number; readonly reason: string } | undefined;
}

/** Most elements a list can hold (each takes at least two bytes of a frame of at most 64 KiB). */
const MAX_ELEMENTS = 32768;

/** Elements whose content is itself an element list (SSID List, Channel Switch Wrapper). */
const NESTING = new Set([84, 196]);

/**
 * Walks an element list. Every element whose ID and length are present is listed; the walk
 * stops (as Wireshark's dissection does, with an exception) at an element that runs past the
 * end, at a lone trailing ID byte, and at an element whose content is too short for the reads
 * Wireshark makes of it (`elementThrows`). The elements inside an SSID List or Channel Switch
 * Wrapper follow their parent, marked `nested`.
 */
export function walkElements(list: Uint8Array): ElementWalk {
  const elements: Element[] = [];
  const stop = walkInto(list, 0, elements, 0);
  return stop ? { elements, stop } : { elements };
}

function walkInto(list: Uint8Array, base: number, elements: Element[], depth: number): ElementWalk['stop'] {
  for (let o = 0; o < list.length && elements.length < MAX_ELEMENTS; ) {
    if (o + 2 > list.length) return { offset: base + o, required: 2, actual: list.length - o, reason: 'element header' };
    const id = list[o]!;
    const length = list[o + 1]!;
    const end = o + 2 + length;
    const data = list.subarray(o + 2, Math.min(end, list.length));
    elements.push(depth > 0 ? { id, length, data, offset: base + o, nested: true } : { id, length, data, offset: base + o });
    if (end > list.length) return { offset: base + o, required: 2 + length, actual: list.length - o, reason: 'element length' };
    if (elementThrows(id, data)) return { offset: base + o, required: 2 + length + 1, actual: 2 + length, reason: `element ${id} content` };
    if (NESTING.has(id) && depth < 4) {
      const inner = walkInto(data, base + o + 2, elements, depth + 1);
      if (inner) return inner;
    }
    o = end;
  }
  return undefined;
}

/**
 * Content lengths at which Wireshark 4.0's reader of an element throws (reads past the
 * content), by element ID. Measured against tshark 4.0 with zero-filled content; readers
 * that only flag a wrong length are absent.
 */
const THROWS: Readonly<Record<number, (L: number) => boolean>> = {
  9: (L) => L >= 5 && L % 2 === 1,
  14: (L) => L >= 5 && L <= 16,
  38: (L) => L >= 3 && L <= 13,
  39: (L) => L >= 4 && L <= 14,
  52: (L) => L >= 14 && L % 2 === 0,
  66: (L) => L === 0 || L >= 3,
  83: (L) => L < 2,
  85: (L) => L === 0 || L === 2,
  90: (L) => L < 3,
  91: (L) => L < 2,
  93: (L) => L < 4,
  111: (L) => L < 5,
  117: () => true,
  120: (L) => L >= 2 && L % 6 !== 1,
  126: (L) => L < 21,
  130: (L) => L < 26,
  131: (L) => L < 31,
  132: (L) => L < 2,
  133: (L) => L >= 26 && L <= 29,
  150: (L) => L === 3,
  163: (L) => L === 4,
  177: (L) => L === 10,
  185: (L) => L < 4,
  193: (L) => L < 6,
  194: (L) => L < 3,
  201: (L) => L % 4 !== 0,
  208: (L) => L < 3,
  209: (L) => L < 4,
  211: (L) => L < 5,
  213: (L) => L < 8,
  214: (L) => L < 2,
  217: (L) => L < 15,
  220: (L) => L < 4,
  222: (L) => L < 2,
  225: (L) => L < 7,
  230: (L) => L < 4,
  232: (L) => L < 6,
  234: (L) => L < 2,
  235: (L) => L < 2,
};
/** Element IDs whose reader throws on empty content. */
const THROWS_WHEN_EMPTY = new Set([56, 69, 107, 108, 154, 199, 207, 210, 212, 215, 223, 224, 226, 233, 236]);

/** The same for the Element ID Extension values of element 255; `L` counts the extension ID byte. */
const EXT_THROWS: Readonly<Record<number, (L: number) => boolean>> = {
  11: (L) => L % 3 !== 1,
  14: (L) => L < 5,
  37: (L) => L < 2,
  38: (L) => L < 14,
  39: (L) => L < 2,
  41: (L) => L < 2,
  42: (L) => L < 3,
  43: (L) => L < 5,
  45: (L) => L < 2,
  55: (L) => L < 3,
  56: (L) => L < 3,
  58: (L) => L % 4 !== 1,
  88: (L) => L < 8,
  89: (L) => L < 17,
  92: (L) => L % 2 === 0,
  94: (L) => L < 12,
  98: (L) => L < 3,
  99: (L) => L < 2,
  100: (L) => L < 2,
  101: (L) => L === 7 || L >= 10,
};

/**
 * True when Wireshark 4.0 would throw while reading an element of this ID and content
 * (reading past its end), which ends the dissection of the whole frame there.
 */
export function elementThrows(id: number, d: Uint8Array): boolean {
  const L = d.length;
  switch (id) {
    case ElementId.RSN:
      return L >= 2 && rsnNeeds(d, 2) > L;
    case ElementId.VENDOR_SPECIFIC: {
      if (L < 3) return false;
      if (L < 4) return true; // the OUI type byte
      if (d[0] === 0x00 && d[1] === 0x50 && d[2] === 0xf2) {
        if (d[3] === 1) return wpaNeeds(d) > L;
        if (d[3] === 2) return L < (L < 5 ? 5 : d[4] === 0 ? 7 : d[4] === 1 ? 24 : 6);
      }
      return false;
    }
    case ElementId.EXTENSION: {
      if (L < 1) return false;
      switch (d[0]) {
        case ElementIdExtension.HE_CAPABILITIES: {
          if (L < 18) return true;
          if (L < 20) return false; // no room for the MCS/NSS maps: Wireshark stops quietly
          const width = d[7]!; // first PHY capabilities byte: channel width set
          return L < 22 + (width & 0x08 ? 4 : 0) + (width & 0x10 ? 4 : 0);
        }
        case ElementIdExtension.HE_OPERATION: {
          const params = L >= 4 ? d[1]! | (d[2]! << 8) | (d[3]! << 16) : 0;
          return L < 7 + (params & 0x4000 ? 3 : 0) + (params & 0x8000 ? 1 : 0) + (params & 0x20000 ? 5 : 0);
        }
        default:
          return EXT_THROWS[d[0]!]?.(L) ?? false;
      }
    }
    default:
      if (L === 0 && THROWS_WHEN_EMPTY.has(id)) return true;
      return THROWS[id]?.(L) ?? false;
  }
}

/** Reads of an RSN element body (also the WPA element after its OUI and type), from `start`. */
function rsnNeeds(d: Uint8Array, start: number): number {
  const L = d.length;
  let o = start; // version read by the caller's length check
  if (o >= L) return 0;
  if (o + 4 > L) return o + 4; // group cipher suite
  o += 4;
  if (o >= L) return 0;
  if (o + 2 > L) return o + 2; // pairwise count
  o += 2 + 4 * Math.min(u16le(d, o), Math.floor((L - o - 2) / 4));
  if (o >= L) return 0;
  if (o + 2 > L) return o + 2; // AKM count
  o += 2 + 4 * Math.min(u16le(d, o), Math.floor((L - o - 2) / 4));
  if (o + 2 > L) return o + 2; // capabilities: read whether or not there is room
  o += 2;
  if (o >= L) return 0;
  if (o + 2 > L) return o + 2; // PMKID count
  o += 2 + 16 * Math.min(u16le(d, o), Math.floor((L - o - 2) / 16));
  if (o >= L) return 0;
  return o + 4; // group management cipher suite
}

/** Reads of a WPA (Microsoft OUI type 1) element: no count is clamped there. */
function wpaNeeds(d: Uint8Array): number {
  const L = d.length;
  let o = 4 + 2 + 4; // OUI+type, version, multicast cipher
  if (o + 2 > L) return o + 2;
  o += 2 + 4 * u16le(d, o);
  if (o + 2 > L) return o + 2;
  o += 2 + 4 * u16le(d, o);
  return o > L ? o : 0;
}

/** A cipher or AKM suite selector. */
export interface Suite {
  readonly oui: number;
  readonly type: number;
}

/** RSN element (also WPA, which has the same layout after its OUI and type). */
export interface Rsn {
  readonly version: number;
  readonly groupCipher?: Suite | undefined;
  readonly pairwiseCiphers: readonly Suite[];
  readonly akms: readonly Suite[];
  readonly capabilities?: number | undefined;
  readonly pmkids: readonly Uint8Array[];
  readonly groupManagementCipher?: Suite | undefined;
}

function suite(d: Uint8Array, o: number): Suite {
  return { oui: (d[o]! << 16) | (d[o + 1]! << 8) | d[o + 2]!, type: d[o + 3]! };
}

function suites(d: Uint8Array, o: number, count: number, size: number): { list: Suite[]; next: number } {
  const n = Math.min(count, Math.floor((d.length - o) / size));
  const list: Suite[] = [];
  for (let i = 0; i < n; i++) list.push(suite(d, o + i * size));
  return { list, next: o + n * size };
}

/** Reads an RSN body; absent parts are left out, counts are clamped to the content. */
export function parseRsn(d: Uint8Array, start = 0): Rsn | undefined {
  let o = start;
  if (o + 2 > d.length) return undefined;
  const r: { -readonly [K in keyof Rsn]: Rsn[K] } = { version: u16le(d, o), pairwiseCiphers: [], akms: [], pmkids: [] };
  o += 2;
  if (o + 4 > d.length) return r;
  r.groupCipher = suite(d, o);
  o += 4;
  if (o + 2 > d.length) return r;
  let s = suites(d, o + 2, u16le(d, o), 4);
  r.pairwiseCiphers = s.list;
  o = s.next;
  if (o + 2 > d.length) return r;
  s = suites(d, o + 2, u16le(d, o), 4);
  r.akms = s.list;
  o = s.next;
  if (o + 2 > d.length) return r;
  r.capabilities = u16le(d, o);
  o += 2;
  if (o + 2 > d.length) return r;
  const n = Math.min(u16le(d, o), Math.floor((d.length - o - 2) / 16));
  o += 2;
  const pmkids: Uint8Array[] = [];
  for (let i = 0; i < n; i++, o += 16) pmkids.push(d.subarray(o, o + 16));
  r.pmkids = pmkids;
  if (o + 4 <= d.length) r.groupManagementCipher = suite(d, o);
  return r;
}

/** Traffic Indication Map. */
export interface Tim {
  readonly dtimCount: number;
  readonly dtimPeriod: number;
  readonly bitmapControl: number;
  readonly partialVirtualBitmap: Uint8Array;
}

export function parseTim(d: Uint8Array): Tim | undefined {
  if (d.length < 3) return undefined;
  return { dtimCount: d[0]!, dtimPeriod: d[1]!, bitmapControl: d[2]!, partialVirtualBitmap: d.subarray(3) };
}

/** Country element: code, environment and (first channel, number of channels, max power) triplets. */
export interface Country {
  readonly code: string;
  readonly environment: number;
  readonly triplets: ReadonlyArray<readonly [number, number, number]>;
}

export function parseCountry(d: Uint8Array): Country | undefined {
  if (d.length < 3) return undefined;
  const triplets: Array<[number, number, number]> = [];
  for (let o = 3; o + 3 <= d.length; o += 3) triplets.push([d[o]!, d[o + 1]!, d[o + 2]!]);
  return { code: String.fromCharCode(d[0]!, d[1]!), environment: d[2]!, triplets };
}

/** HT Capabilities (main fields). */
export interface HtCapabilities {
  readonly info: number;
  readonly ampduParameters: number;
  /** The 16-byte supported MCS set; bit n of the first 10 bytes = RX MCS n. */
  readonly mcsSet: Uint8Array;
  readonly extended: number;
  readonly txBeamforming: number;
  readonly asel: number;
}

export function parseHtCapabilities(d: Uint8Array): HtCapabilities | undefined {
  if (d.length < 26) return undefined;
  return { info: u16le(d, 0), ampduParameters: d[2]!, mcsSet: d.subarray(3, 19), extended: u16le(d, 19), txBeamforming: u32le(d, 21), asel: d[25]! };
}

/** HT Operation (main fields). */
export interface HtOperation {
  readonly primaryChannel: number;
  /** Secondary channel offset: 0 none, 1 above, 3 below. */
  readonly secondaryChannelOffset: number;
  readonly staChannelWidth: number;
  readonly info: Uint8Array;
  readonly basicMcsSet: Uint8Array;
}

export function parseHtOperation(d: Uint8Array): HtOperation | undefined {
  if (d.length < 22) return undefined;
  return { primaryChannel: d[0]!, secondaryChannelOffset: d[1]! & 0x03, staChannelWidth: (d[1]! >> 2) & 1, info: d.subarray(1, 6), basicMcsSet: d.subarray(6, 22) };
}

/** VHT Capabilities. */
export interface VhtCapabilities {
  readonly info: number;
  readonly rxMcsMap: number;
  readonly rxHighestRate: number;
  readonly txMcsMap: number;
  readonly txHighestRate: number;
}

export function parseVhtCapabilities(d: Uint8Array): VhtCapabilities | undefined {
  if (d.length < 12) return undefined;
  return { info: u32le(d, 0), rxMcsMap: u16le(d, 4), rxHighestRate: u16le(d, 6) & 0x1fff, txMcsMap: u16le(d, 8), txHighestRate: u16le(d, 10) & 0x1fff };
}

/** VHT Operation. */
export interface VhtOperation {
  /** 0 = 20/40 MHz, 1 = 80/160/80+80 MHz, ... */
  readonly channelWidth: number;
  readonly centerSegment0: number;
  readonly centerSegment1: number;
  readonly basicMcsMap: number;
}

export function parseVhtOperation(d: Uint8Array): VhtOperation | undefined {
  if (d.length < 5) return undefined;
  return { channelWidth: d[0]!, centerSegment0: d[1]!, centerSegment1: d[2]!, basicMcsMap: u16le(d, 3) };
}

/** HE Capabilities (element 255, extension 35): MAC and PHY capability bytes and the MCS/NSS maps. */
export interface HeCapabilities {
  readonly mac: Uint8Array;
  readonly phy: Uint8Array;
  readonly rxMcsMap80: number;
  readonly txMcsMap80: number;
}

export function parseHeCapabilities(d: Uint8Array): HeCapabilities | undefined {
  if (d.length < 22 || d[0] !== ElementIdExtension.HE_CAPABILITIES) return undefined;
  return { mac: d.subarray(1, 7), phy: d.subarray(7, 18), rxMcsMap80: u16le(d, 18), txMcsMap80: u16le(d, 20) };
}

/** HE Operation (element 255, extension 36). */
export interface HeOperation {
  readonly parameters: number;
  readonly bssColor: number;
  readonly basicMcsMap: number;
}

export function parseHeOperation(d: Uint8Array): HeOperation | undefined {
  if (d.length < 7 || d[0] !== ElementIdExtension.HE_OPERATION) return undefined;
  return { parameters: d[1]! | (d[2]! << 8) | (d[3]! << 16), bssColor: d[4]! & 0x3f, basicMcsMap: u16le(d, 5) };
}

/** What a vendor-specific element is, by OUI and type. */
export type VendorKind = 'wpa' | 'wmm' | 'wps' | 'other';

export interface Vendor {
  readonly oui: number;
  /** The byte after the OUI (the OUI type), when present. */
  readonly type?: number | undefined;
  readonly kind: VendorKind;
  /** The content after OUI and type. */
  readonly data: Uint8Array;
}

const MICROSOFT_OUI = 0x0050f2;

export function parseVendor(d: Uint8Array): Vendor | undefined {
  if (d.length < 3) return undefined;
  const oui = (d[0]! << 16) | (d[1]! << 8) | d[2]!;
  const type = d[3];
  let kind: VendorKind = 'other';
  if (oui === MICROSOFT_OUI) kind = type === 1 ? 'wpa' : type === 2 ? 'wmm' : type === 4 ? 'wps' : 'other';
  return { oui, type, kind, data: d.subarray(4) };
}

/** The rate of a Supported/Extended Rates byte in Mb/s (low 7 bits in 500 kb/s units). */
export function rateMbps(b: number): number {
  return (b & 0x7f) / 2;
}

/** tcpdump's text of a rates list: `1.0* 2.0* 5.5 ...` (`*` marks basic rates). */
export function ratesText(rates: Uint8Array): string {
  return Array.from(rates, (b) => `${rateMbps(b).toFixed(1)}${b & 0x80 ? '*' : ''}`).join(' ');
}

/** An OUI as `00:50:f2`. */
export function ouiText(oui: number): string {
  return `${hex(oui >> 16, 2).slice(2)}:${hex((oui >> 8) & 0xff, 2).slice(2)}:${hex(oui & 0xff, 2).slice(2)}`;
}

