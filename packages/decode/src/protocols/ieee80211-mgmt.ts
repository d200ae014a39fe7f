import { hex, hexBytes, macAt, u16le, u32le } from '../bytes.js';
import { DecodeFailure, HeaderLayer } from '../layer.js';
import type { Protocol, FieldValue } from '../registry.js';
import { FrameType, type Ieee80211, withRadio } from './ieee80211.js';
import {
  ElementId,
  parseCountry,
  parseHeCapabilities,
  parseHeOperation,
  parseHtCapabilities,
  parseHtOperation,
  parseRsn,
  parseTim,
  parseVendor,
  parseVhtCapabilities,
  parseVhtOperation,
  ratesText,
  walkElements,
  type Element,
  type Rsn,
} from './ieee80211-elements.js';
import { short } from './need.js';

/** Management frame subtypes. */
export const MgmtSubtype = {
  ASSOC_REQUEST: 0,
  ASSOC_RESPONSE: 1,
  REASSOC_REQUEST: 2,
  REASSOC_RESPONSE: 3,
  PROBE_REQUEST: 4,
  PROBE_RESPONSE: 5,
  TIMING_ADVERTISEMENT: 6,
  BEACON: 8,
  ATIM: 9,
  DISASSOCIATION: 10,
  AUTHENTICATION: 11,
  DEAUTHENTICATION: 12,
  ACTION: 13,
  ACTION_NO_ACK: 14,
} as const;

/** Offsets of the fixed fields of each management subtype, and whether elements follow. */
interface FixedLayout {
  length: number;
  elements: boolean;
  timestamp?: number;
  interval?: number;
  capabilities?: number;
  listenInterval?: number;
  currentAp?: number;
  status?: number;
  aid?: number;
  reason?: number;
  authAlgorithm?: number;
  authSeq?: number;
  category?: number;
  action?: number;
}

const FIXED: Record<number, FixedLayout> = {
  0: { length: 4, elements: true, capabilities: 0, listenInterval: 2 },
  1: { length: 6, elements: true, capabilities: 0, status: 2, aid: 4 },
  2: { length: 10, elements: true, capabilities: 0, listenInterval: 2, currentAp: 4 },
  3: { length: 6, elements: true, capabilities: 0, status: 2, aid: 4 },
  4: { length: 0, elements: true },
  5: { length: 12, elements: true, timestamp: 0, interval: 8, capabilities: 10 },
  6: { length: 10, elements: true, timestamp: 0, capabilities: 8 },
  8: { length: 12, elements: true, timestamp: 0, interval: 8, capabilities: 10 },
  10: { length: 2, elements: true, reason: 0 },
  11: { length: 6, elements: true, authAlgorithm: 0, authSeq: 2, status: 4 },
  12: { length: 2, elements: true, reason: 0 },
  13: { length: 2, elements: false, category: 0, action: 1 },
  14: { length: 2, elements: false, category: 0, action: 1 },
};

/** Prime length in bytes of the SAE finite-field/elliptic-curve groups Wireshark knows. */
const SAE_PRIME: Record<number, number> = { 19: 32, 20: 48, 21: 66, 28: 32, 29: 48, 30: 64 };

/**
 * Bytes of SAE fields after the authentication fixed fields (algorithm 3): a commit carries
 * group, scalar and element; anything Wireshark cannot size runs to the end of the body.
 */
function saeLength(body: Uint8Array): number {
  const seq = body.length >= 4 ? u16le(body, 2) : 0;
  const status = body.length >= 6 ? u16le(body, 4) : 0;
  const rest = Math.max(0, body.length - 6);
  if (seq !== 1 || status !== 0 || body.length < 8) return rest;
  const p = SAE_PRIME[u16le(body, 6)];
  return p === undefined ? rest : 2 + 3 * p;
}

/**
 * Length of the fixed fields (category and action code included) of the action frames
 * whose body continues with elements, by category and action code; Wireshark reads
 * whatever follows the fixed fields of an action frame as elements.
 */
function actionFixedLength(category: number, action: number): number | undefined {
  switch (category) {
    case 0: // spectrum management: measurement and TPC requests/reports carry a dialog token
      return action <= 3 ? 3 : action === 4 ? 2 : undefined;
    case 3: // block ack: ADDBA request/response, DELBA; other codes have no fixed fields at all
      return action === 0 || action === 1 ? 9 : action === 2 ? 6 : 0;
    case 5: // radio measurement
      return action === 0 ? 5 : action === 1 || action === 4 || action === 5 ? 3 : undefined;
    case 13: // mesh
      return 2;
    case 15: // self-protected: mesh peering open, confirm, close
      return action === 1 ? 4 : action === 2 ? 6 : action === 3 ? 2 : undefined;
    default:
      return undefined;
  }
}
const NO_BODY: FixedLayout = { length: 0, elements: false };

/**
 * The body of a management frame: fixed fields, then information elements (read as
 * `elements`). `header` holds the whole body; nothing is carried further. A field beyond
 * the captured bytes reads as undefined.
 */
export class Ieee80211Mgmt extends HeaderLayer {
  readonly protocol = 'wlan.mgt';
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number,
    /** Bytes of fixed fields at the start of `header` (fewer when the body was cut short). */
    readonly fixedLength: number,
    /** The management subtype (see `MgmtSubtype`). */
    readonly subtype: number,
    /** Every element whose ID and length byte were present, in order. */
    readonly elements: readonly Element[],
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  private get layout(): FixedLayout {
    return FIXED[this.subtype] ?? NO_BODY;
  }
  private at(key: keyof FixedLayout, size: number): number | undefined {
    const o = this.layout[key] as number | undefined;
    return o !== undefined && this.fixedLength >= o + size ? o : undefined;
  }
  private le16(key: keyof FixedLayout): number | undefined {
    const o = this.at(key, 2);
    return o === undefined ? undefined : u16le(this.bytes, this.offset + o);
  }

  /** TSF timestamp of beacons and probe responses (µs). */
  get timestamp(): bigint | undefined {
    const o = this.at('timestamp', 8);
    return o === undefined ? undefined : BigInt(u32le(this.bytes, this.offset + o)) | (BigInt(u32le(this.bytes, this.offset + o + 4)) << 32n);
  }
  /** Beacon interval in time units (1024 µs). */
  get beaconInterval(): number | undefined {
    return this.le16('interval');
  }
  /** Capability information (bit 0 ESS, 1 IBSS, 4 privacy, ...). */
  get capabilities(): number | undefined {
    return this.le16('capabilities');
  }
  get listenInterval(): number | undefined {
    return this.le16('listenInterval');
  }
  /** Current AP address of a reassociation request. */
  get currentAp(): string | undefined {
    const o = this.at('currentAp', 6);
    return o === undefined ? undefined : macAt(this.bytes, this.offset + o);
  }
  get statusCode(): number | undefined {
    return this.le16('status');
  }
  /** Association ID (low 14 bits). */
  get aid(): number | undefined {
    const v = this.le16('aid');
    return v === undefined ? undefined : v & 0x3fff;
  }
  get reasonCode(): number | undefined {
    return this.le16('reason');
  }
  get authAlgorithm(): number | undefined {
    return this.le16('authAlgorithm');
  }
  get authSeq(): number | undefined {
    return this.le16('authSeq');
  }
  /** Category of an action frame. */
  get category(): number | undefined {
    const o = this.at('category', 1);
    return o === undefined ? undefined : this.u8(o);
  }
  /** Action code of an action frame (meaning depends on the category). */
  get actionCode(): number | undefined {
    const o = this.at('action', 1);
    return o === undefined ? undefined : this.u8(o);
  }
  /** The bytes after the fixed fields of an action frame. */
  get actionBody(): Uint8Array {
    return this.header.subarray(this.fixedLength);
  }

  /** The first element with this ID. */
  element(id: number): Element | undefined {
    for (const e of this.elements) if (e.id === id && !e.nested) return e;
    return undefined;
  }
  /** SSID bytes (any bytes; empty for a hidden network), from the first SSID element. */
  get ssid(): Uint8Array | undefined {
    return this.element(ElementId.SSID)?.data;
  }
  /** SSID as text (UTF-8, invalid sequences replaced). */
  get ssidText(): string | undefined {
    const s = this.ssid;
    return s === undefined ? undefined : new TextDecoder().decode(s);
  }
  /** Supported Rates bytes (500 kb/s units, 0x80 = basic). */
  get supportedRates(): Uint8Array {
    return concat(this.elements.filter((e) => e.id === ElementId.SUPPORTED_RATES).map((e) => e.data));
  }
  get extendedRates(): Uint8Array {
    return concat(this.elements.filter((e) => e.id === ElementId.EXTENDED_RATES).map((e) => e.data));
  }
  /** Current channel from the DS Parameter Set. */
  get channel(): number | undefined {
    const e = this.element(ElementId.DS_PARAMETER);
    return e && e.data.length >= 1 ? e.data[0] : undefined;
  }
  get tim(): ReturnType<typeof parseTim> {
    const e = this.element(ElementId.TIM);
    return e ? parseTim(e.data) : undefined;
  }
  get country(): ReturnType<typeof parseCountry> {
    const e = this.element(ElementId.COUNTRY);
    return e ? parseCountry(e.data) : undefined;
  }
  /** Local power constraint (dB). */
  get powerConstraint(): number | undefined {
    const e = this.element(ElementId.POWER_CONSTRAINT);
    return e && e.data.length >= 1 ? e.data[0] : undefined;
  }
  get erp(): number | undefined {
    const e = this.element(ElementId.ERP);
    return e && e.data.length >= 1 ? e.data[0] : undefined;
  }
  get rsn(): Rsn | undefined {
    const e = this.element(ElementId.RSN);
    return e ? parseRsn(e.data) : undefined;
  }
  /** The WPA (Microsoft OUI type 1) element, read like RSN. */
  get wpa(): Rsn | undefined {
    const e = this.elements.find((x) => x.id === ElementId.VENDOR_SPECIFIC && parseVendor(x.data)?.kind === 'wpa');
    return e ? parseRsn(e.data, 4) : undefined;
  }
  get htCapabilities(): ReturnType<typeof parseHtCapabilities> {
    const e = this.element(ElementId.HT_CAPABILITIES);
    return e ? parseHtCapabilities(e.data) : undefined;
  }
  get htOperation(): ReturnType<typeof parseHtOperation> {
    const e = this.element(ElementId.HT_OPERATION);
    return e ? parseHtOperation(e.data) : undefined;
  }
  get vhtCapabilities(): ReturnType<typeof parseVhtCapabilities> {
    const e = this.element(ElementId.VHT_CAPABILITIES);
    return e ? parseVhtCapabilities(e.data) : undefined;
  }
  get vhtOperation(): ReturnType<typeof parseVhtOperation> {
    const e = this.element(ElementId.VHT_OPERATION);
    return e ? parseVhtOperation(e.data) : undefined;
  }
  get heCapabilities(): ReturnType<typeof parseHeCapabilities> {
    for (const e of this.elements) if (e.id === ElementId.EXTENSION && e.data[0] === 35) return parseHeCapabilities(e.data);
    return undefined;
  }
  get heOperation(): ReturnType<typeof parseHeOperation> {
    for (const e of this.elements) if (e.id === ElementId.EXTENSION && e.data[0] === 36) return parseHeOperation(e.data);
    return undefined;
  }
  /** Extended Capabilities bits (bit n of the field = bit n % 8 of byte n / 8). */
  get extendedCapabilities(): Uint8Array | undefined {
    return this.element(ElementId.EXTENDED_CAPABILITIES)?.data;
  }
  /** Every vendor-specific element, with WPA, WMM and WPS recognised. */
  get vendors(): Array<NonNullable<ReturnType<typeof parseVendor>>> {
    const out: Array<NonNullable<ReturnType<typeof parseVendor>>> = [];
    for (const e of this.elements) {
      if (e.id !== ElementId.VENDOR_SPECIFIC) continue;
      const v = parseVendor(e.data);
      if (v) out.push(v);
    }
    return out;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const ieee80211Mgmt: Protocol<Ieee80211Mgmt> = {
  name: 'wlan.mgt',
  decode(bytes, offset, end, ctx) {
    const wlan = ctx.layers[ctx.layers.length - 1] as Ieee80211 | undefined;
    const subtype = wlan?.protocol === 'wlan' && wlan.type === FrameType.MANAGEMENT ? wlan.subtype : -1;
    const lay = FIXED[subtype] ?? NO_BODY;
    const have = end - offset;
    // The whole body is header (fixed fields and elements): nothing is carried further.
    if (have < lay.length) {
      const l = new Ieee80211Mgmt(bytes, offset, end, end, end, have, subtype, []);
      l.truncated = true;
      ctx.fail(short('wlan.mgt', bytes, offset, end, lay.length, 'fixed parameters'));
      return l;
    }
    let fixed = lay.length;
    let elements = lay.elements;
    if (lay.category !== undefined) {
      const known = actionFixedLength(bytes[offset]!, bytes[offset + 1]!);
      if (known !== undefined && have >= known) {
        fixed = known;
        elements = true;
      }
    }
    if (subtype === MgmtSubtype.AUTHENTICATION && u16le(bytes, offset) === 3) fixed = Math.min(have, 6 + saeLength(bytes.subarray(offset, end)));
    if (!elements) return new Ieee80211Mgmt(bytes, offset, end, end, end, fixed, subtype, []);
    const walk = walkElements(bytes.subarray(offset + fixed, end));
    const l = new Ieee80211Mgmt(bytes, offset, end, end, end, fixed, subtype, walk.elements);
    if (!walk.stop) return l;
    l.truncated = true;
    const at = offset + fixed + walk.stop.offset;
    ctx.fail(new DecodeFailure('wlan.mgt', bytes, at, end, walk.stop.required, walk.stop.actual, walk.stop.reason));
    return l;
  },
  fields: {
    'wlan.fixed.timestamp': (l, out) => pushIf(out, l.timestamp),
    'wlan.fixed.beacon': (l, out) => pushIf(out, l.beaconInterval),
    'wlan.fixed.capabilities': (l, out) => pushHex(out, l.capabilities, 4),
    'wlan.fixed.listen_ival': (l, out) => pushHex(out, l.listenInterval, 4),
    'wlan.fixed.current_ap': (l, out) => pushIf(out, l.currentAp),
    'wlan.fixed.status_code': (l, out) => pushHex(out, l.statusCode, 4),
    'wlan.fixed.aid': (l, out) => pushHex(out, l.aid, 4),
    'wlan.fixed.reason_code': (l, out) => pushHex(out, l.reasonCode, 4),
    'wlan.fixed.auth.alg': (l, out) => pushIf(out, l.authAlgorithm),
    'wlan.fixed.auth_seq': (l, out) => pushHex(out, l.authSeq, 4),
    'wlan.fixed.category_code': (l, out) => pushIf(out, l.category),
    'wlan.fixed.action_code': (l, out) => pushIf(out, l.actionCode),
    'wlan.tag.number': (l, out) => {
      for (const e of l.elements) out.push(e.id);
    },
    'wlan.tag.length': (l, out) => {
      for (const e of l.elements) out.push(e.length);
    },
    'wlan.ssid': (l, out) => {
      // Only the first SSID element is read as an SSID, and only when it is all there.
      const e = l.element(ElementId.SSID);
      if (e && e.data.length === e.length) out.push(e.length === 0 ? '<MISSING>' : hexBytes(e.data));
    },
    'wlan.supported_rates': (l, out) => {
      for (const b of l.supportedRates) out.push(hex(b, 2));
    },
    'wlan.extended_supported_rates': (l, out) => {
      for (const b of l.extendedRates) out.push(hex(b, 2));
    },
    'wlan.ds.current_channel': (l, out) => {
      for (const e of l.elements) if (e.id === ElementId.DS_PARAMETER && e.length === 1 && e.data.length === 1) out.push(e.data[0]!);
    },
    'wlan.tim.dtim_count': (l, out) => pushIf(out, l.tim?.dtimCount),
    'wlan.tim.dtim_period': (l, out) => pushIf(out, l.tim?.dtimPeriod),
    'wlan.country_info.code': (l, out) => pushIf(out, l.country?.code),
    'wlan.powercon.local': (l, out) => pushIf(out, l.powerConstraint),
    'wlan.erp_info': (l, out) => pushHex(out, l.erp, 2),
    'wlan.rsn.version': (l, out) => pushIf(out, l.rsn?.version),
    'wlan.rsn.gcs.type': (l, out) => pushIf(out, l.rsn?.groupCipher?.type),
    'wlan.rsn.pcs.type': (l, out) => {
      for (const s of l.rsn?.pairwiseCiphers ?? []) out.push(s.type);
    },
    'wlan.rsn.akms.type': (l, out) => {
      for (const s of l.rsn?.akms ?? []) out.push(s.type);
    },
    'wlan.rsn.capabilities': (l, out) => pushHex(out, l.rsn?.capabilities, 4),
    'wlan.ht.capabilities': (l, out) => pushHex(out, l.htCapabilities?.info, 4),
    'wlan.ht.info.primarychannel': (l, out) => pushIf(out, l.htOperation?.primaryChannel),
    'wlan.vht.op.channelwidth': (l, out) => pushIf(out, l.vhtOperation?.channelWidth),
    'wlan.tag.oui': (l, out) => {
      for (const v of l.vendors) out.push(v.oui);
    },
    'wlan.tag.vendor.oui.type': (l, out) => {
      for (const v of l.vendors) if (v.type !== undefined) out.push(v.type);
    },
    'wlan.ext_tag.number': (l, out) => {
      for (const e of l.elements) if (e.id === ElementId.EXTENSION && e.data.length >= 1) out.push(e.data[0]!);
    },
  },
  summary(l, ctx) {
    return withRadio(ctx, mgmtSummary(l, ctx.layers[ctx.index - 1] as Ieee80211 | undefined));
  },
};

function pushIf(out: FieldValue[], v: string | number | bigint | undefined): void {
  if (v !== undefined) out.push(typeof v === 'bigint' ? String(v) : v);
}
function pushHex(out: FieldValue[], v: number | undefined, digits: number): void {
  if (v !== undefined) out.push(hex(v, digits));
}

const NAMES: Record<number, string> = {
  0: 'Assoc Request',
  1: 'Assoc Response',
  2: 'ReAssoc Request',
  3: 'ReAssoc Response',
  4: 'Probe Request',
  5: 'Probe Response',
  6: 'Timing Advertisement',
  8: 'Beacon',
  9: 'ATIM',
  10: 'Disassociation',
  11: 'Authentication',
  12: 'DeAuthentication',
  13: 'Action',
  14: 'Action No Ack',
};

const STATUS: Record<number, string> = {
  0: 'Successful',
  1: 'Unspecified failure',
  10: 'Cannot support all requested capabilities in the Capability Information field',
  11: 'Reassociation denied due to inability to confirm that association exists',
  12: 'Association denied due to reason outside the scope of the standard',
  13: 'Responding station does not support the specified authentication algorithm',
  14: 'Received an Authentication frame with authentication transaction sequence number out of expected sequence',
  15: 'Authentication rejected because of challenge failure',
  16: 'Authentication rejected due to timeout waiting for next frame in sequence',
  17: 'Association denied because AP is unable to handle additional associated stations',
  18: 'Association denied due to requesting station not supporting all of the data rates in the BSSBasicRateSet parameter',
};

const REASON: Record<number, string> = {
  0: 'Reserved',
  1: 'Unspecified reason',
  2: 'Previous authentication no longer valid',
  3: 'Deauthenticated because sending STA is leaving (or has left) IBSS or ESS',
  4: 'Disassociated due to inactivity',
  5: 'Disassociated because AP is unable to handle all currently associated STAs',
  6: 'Class 2 frame received from nonauthenticated STA',
  7: 'Class 3 frame received from nonassociated STA',
  8: 'Disassociated because sending STA is leaving (or has left) BSS',
  9: 'STA requesting (re)association is not authenticated with responding STA',
};

const AUTH_ALG = ['Open System', 'Shared Key', 'Fast BSS Transition', 'SAE'];

const BA_ACTIONS = ['ADDBA Request', 'ADDBA Response', 'DELBA'];

/** tcpdump's description of a management frame: `Beacon (ssid) [1.0* 2.0* Mbit] ESS CH: 6, PRIVACY`. */
export function mgmtSummary(l: Ieee80211Mgmt, wlan?: Ieee80211): string {
  const name = NAMES[l.subtype] ?? `Management subtype ${l.subtype}`;
  const ssid = (): string => `(${l.ssid ? printable(l.ssid) : ''})`;
  const rates = (): string => {
    const all = l.supportedRates;
    return all.length ? ` [${ratesText(all)} Mbit]` : '';
  };
  const cap = l.capabilities ?? 0;
  const privacy = cap & 0x10 ? ', PRIVACY' : '';
  switch (l.subtype) {
    case MgmtSubtype.BEACON:
    case MgmtSubtype.PROBE_RESPONSE: {
      let s = `${name} ${ssid()}${rates()}`;
      if (l.subtype === MgmtSubtype.BEACON) s += cap & 0x01 ? ' ESS' : ' IBSS';
      const ch = l.channel;
      if (ch !== undefined) s += ` CH: ${ch}`;
      return s + privacy;
    }
    case MgmtSubtype.PROBE_REQUEST:
    case MgmtSubtype.ASSOC_REQUEST:
      return `${name} ${ssid()}${rates()}`;
    case MgmtSubtype.REASSOC_REQUEST:
      return `${name} ${ssid()}${rates()}${l.currentAp ? ` AP : ${l.currentAp}` : ''}`;
    case MgmtSubtype.ASSOC_RESPONSE:
    case MgmtSubtype.REASSOC_RESPONSE: {
      const st = l.statusCode;
      return `${name} AID(${(l.aid ?? 0).toString(16)}) :${cap & 0x10 ? ' PRIVACY ' : ''}: ${st === undefined ? '' : (STATUS[st] ?? 'n/a')}`;
    }
    case MgmtSubtype.AUTHENTICATION: {
      const alg = l.authAlgorithm ?? 0;
      const seq = l.authSeq ?? 0;
      const st = l.statusCode ?? 0;
      return `${name} (${AUTH_ALG[alg] ?? 'Reserved'})-${seq.toString(16)}: ${seq % 2 ? (STATUS[st] ?? 'n/a') : ''}`;
    }
    case MgmtSubtype.DEAUTHENTICATION:
    case MgmtSubtype.DISASSOCIATION: {
      const r = l.reasonCode;
      const who = l.subtype === MgmtSubtype.DEAUTHENTICATION && wlan?.sa ? ` (${wlan.sa})` : '';
      return `${name}${who}: ${r === undefined ? '' : (REASON[r] ?? 'Reserved')}`;
    }
    case MgmtSubtype.ACTION:
    case MgmtSubtype.ACTION_NO_ACK: {
      const who = wlan?.sa ? ` (${wlan.sa})` : '';
      const cat = l.category;
      const act = l.actionCode;
      const text = cat === 3 && act !== undefined ? `BA ${BA_ACTIONS[act] ?? `Act#${act}`}` : `Act#${cat ?? '?'}/${act ?? '?'}`;
      return `${name}${who}: ${text}`;
    }
    default:
      return name;
  }
}

/** SSID bytes as tcpdump prints them: up to the first NUL, printable ASCII kept, anything else escaped. */
function printable(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    if (c === 0) break;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : c & 0x80 ? `M-${String.fromCharCode(c & 0x7f)}` : `^${String.fromCharCode(c ^ 0x40)}`;
  }
  return s;
}
