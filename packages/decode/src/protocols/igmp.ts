import { hex, ipv4At, u16 } from '../bytes.js';
import { HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { writeIpPrefix } from './icmp.js';
import { short } from './need.js';
import { declaredLength } from './tcp.js';

/** IGMP message types (RFC 988, RFC 1112, RFC 2236, RFC 3376, mtrace draft). */
export const IgmpType = {
  MEMBERSHIP_QUERY: 0x11,
  V1_MEMBERSHIP_REPORT: 0x12,
  DVMRP: 0x13,
  PIM_V1: 0x14,
  V2_MEMBERSHIP_REPORT: 0x16,
  LEAVE_GROUP: 0x17,
  MTRACE_RESPONSE: 0x1e,
  MTRACE_QUERY: 0x1f,
  V3_MEMBERSHIP_REPORT: 0x22,
} as const;

/**
 * Types that share IP protocol 2 but that tshark hands to other protocols (DVMRP, PIMv1,
 * IGAP): it shows no igmp.* field for them, and neither do we.
 */
const NOT_IGMP = new Set<number>([0x13, 0x14, 0x40, 0x41, 0x42]);

/** Types with a group address (besides the RFC 988 types 1-8, which have it at byte 8). */
const GROUP_TYPES = new Set<number>([0x11, 0x12, 0x16, 0x17, 0x1e, 0x1f, 0x22]);

/** One group record of an IGMPv3 report (RFC 3376 §4.2.4). */
export interface IgmpGroupRecord {
  /** 1 MODE_IS_INCLUDE ... 6 BLOCK_OLD_SOURCES. */
  readonly type: number;
  readonly group: string;
  readonly sources: readonly string[];
  readonly auxData: Uint8Array;
}

/** IGMP message. `header` is the whole message as captured; `payload` is empty. */
export class Igmp extends HeaderLayer {
  readonly protocol = 'igmp';
  private recs: IgmpGroupRecord[] | undefined;
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number,
    /** Length of the message as the IP header declares it (may exceed what was captured). */
    readonly declaredLength: number,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get type(): number {
    return this.u8(0);
  }
  /**
   * IGMP version as tshark infers it: a query is v3 when 12 bytes or more long, else v2
   * with a non-zero max response time, else v1; reports and leaves by type; 0 for the
   * RFC 988 types 1-8; undefined for other types (mtrace included).
   */
  get version(): 0 | 1 | 2 | 3 | undefined {
    const t = this.type;
    if (t === 0x11) {
      if (this.declaredLength >= 12) return 3;
      return this.u8(1) ? 2 : 1;
    }
    if (t === 0x12) return 1;
    if (t === 0x16 || t === 0x17) return 2;
    if (t === 0x22) return 3;
    if (t >= 1 && t <= 8) return 0;
    return undefined;
  }
  /** Max response time in tenths of a second (v2), or the v3 max response code decoded. */
  get maxResponse(): number | undefined {
    if (captured(this) < 2 || this.type !== 0x11) return undefined;
    const c = this.u8(1);
    if (this.version !== 3 || c < 128) return c;
    return ((c & 0x0f) | 0x10) << (((c >> 4) & 0x07) + 3);
  }
  get checksum(): number | undefined {
    return captured(this) >= 4 ? this.u16(2) : undefined;
  }
  /**
   * Group address: of a v0/v1/v2 message, v3 query, or mtrace; of the first group record
   * of a v3 report; undefined when not captured or for other types.
   */
  get group(): string | undefined {
    const t = this.type;
    if (!GROUP_TYPES.has(t) && !(t >= 1 && t <= 8)) return undefined;
    if (t === 0x22) return this.records[0]?.group;
    const at = this.version === 0 ? 8 : 4;
    return captured(this) >= at + 4 ? ipv4At(this.bytes, this.offset + at) : undefined;
  }
  /** Source addresses of a v3 query. */
  get sources(): string[] {
    const h = this.header;
    if (this.type !== 0x11 || this.version !== 3 || h.length < 12) return [];
    const n = u16(h, 10);
    const out: string[] = [];
    for (let i = 0; i < n && 12 + i * 4 + 4 <= h.length; i++) out.push(ipv4At(h, 12 + i * 4));
    return out;
  }
  /** Number of group records a v3 report announces. */
  get recordCount(): number | undefined {
    return this.type === 0x22 && captured(this) >= 8 ? this.u16(6) : undefined;
  }
  /** Group records of a v3 report: those whose group address was captured. */
  get records(): readonly IgmpGroupRecord[] {
    if (this.recs) return this.recs;
    const out: IgmpGroupRecord[] = [];
    const h = this.header;
    const n = this.recordCount ?? 0;
    let o = 8;
    // A record takes at least 8 bytes, so the walk ends within the message.
    for (let i = 0; i < n && o + 8 <= h.length; i++) {
      const aux = h[o + 1]! * 4;
      const nsrc = u16(h, o + 2);
      const end = o + 8 + nsrc * 4 + aux;
      const sources: string[] = [];
      for (let s = 0; s < nsrc && o + 12 + s * 4 <= h.length; s++) sources.push(ipv4At(h, o + 8 + s * 4));
      out.push({ type: h[o]!, group: ipv4At(h, o + 4), sources, auxData: h.subarray(Math.min(end - aux, h.length), Math.min(end, h.length)) });
      o = end;
    }
    return (this.recs = out);
  }
}

/** Bytes of the message captured. */
function captured(l: Igmp): number {
  return l.headerEnd - l.offset;
}

export const igmp: Protocol<Igmp> = {
  name: 'igmp',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    if (have < 1) return short('igmp', bytes, offset, end, 1);
    const declared = declaredLength(ctx.layers, offset, end);
    const l = new Igmp(bytes, offset, end, end, end, declared);
    l.truncated = declared > have;
    if (have < 8) ctx.fail(short('igmp', bytes, offset, end, 8));
    return l;
  },
  fields: {
    'igmp.type': (l, out) => {
      if (typeShown(l)) out.push(hex(l.type, 2));
    },
    'igmp.version': (l, out) => {
      const v = l.version;
      if (v !== undefined && typeShown(l)) out.push(v);
    },
    'igmp.maddr': (l, out) => {
      if (l.type === 0x22) {
        for (const r of l.records) out.push(r.group);
        return;
      }
      const g = l.group;
      if (g !== undefined) out.push(g);
    },
    'igmp.num_grp_recs': (l, out) => {
      const v = l.recordCount;
      if (v !== undefined) out.push(v);
    },
  },
  writeSummary(l, ctx, out) {
    writeIpPrefix(out, ctx.layers, ctx.index);
    out.text(igmpText(l));
    return true;
  },
};

/**
 * Whether tshark shows this message as IGMP at all: not for types other protocols take,
 * and not for a v1/v2 query whose second byte (which tells v1 from v2) was not captured.
 */
function typeShown(l: Igmp): boolean {
  if (NOT_IGMP.has(l.type)) return false;
  return !(l.type === 0x11 && captured(l) < 2 && l.declaredLength < 12);
}

function igmpText(l: Igmp): string {
  const g = l.group ?? '?';
  switch (l.type) {
    case 0x11: {
      const v = l.version;
      if (v === 1) return 'igmp query v1';
      const gaddr = g !== '0.0.0.0' && g !== '?' ? ` [gaddr ${g}]` : '';
      // tcpdump leaves out the default of 10 seconds.
      const mrt = l.maxResponse ?? 100;
      if (v === 2) return `igmp query v2${mrt !== 100 ? ` [max resp time ${mrt}]` : ''}${gaddr}`;
      const time = mrt < 600 ? `${(mrt / 10).toFixed(1)}s` : relativeTime(Math.floor(mrt / 10));
      const n = l.sources.length;
      return `igmp query v3${mrt !== 100 ? ` [max resp time ${time}]` : ''}${gaddr}${n ? ` [${n} source(s)]` : ''}`;
    }
    case 0x12:
      return `igmp v1 report ${g}`;
    case 0x16:
      return `igmp v2 report ${g}`;
    case 0x17:
      return `igmp leave ${g}`;
    case 0x22:
      return `igmp v3 report, ${l.recordCount ?? 0} group record(s)`;
    case 0x13:
      return 'igmp dvmrp';
    case 0x14:
      return 'igmp pimv1';
    case 0x1e:
    case 0x1f: {
      // Query id, source, destination and response address of the trace.
      const h = l.header;
      if (h.length < 24) return `igmp ${l.type === 0x1e ? 'mresp' : 'mtrace'} ${g}`;
      const qid = (h[21]! << 16) | (h[22]! << 8) | h[23]!;
      return `${l.type === 0x1e ? 'mresp' : 'mtrace'} ${qid}: ${ipv4At(h, 8)} to ${ipv4At(h, 12)} reply-to ${ipv4At(h, 16)}`;
    }
    default:
      return `igmp-${l.type}`;
  }
}

const UNITS: Array<[number, string]> = [
  [31536000, 'y'],
  [604800, 'w'],
  [86400, 'd'],
  [3600, 'h'],
  [60, 'm'],
  [1, 's'],
];

/** tcpdump's text of a duration in seconds: `51m12s`. */
function relativeTime(secs: number): string {
  if (secs === 0) return '0s';
  let out = '';
  for (const [n, unit] of UNITS) {
    if (secs >= n) {
      out += `${Math.floor(secs / n)}${unit}`;
      secs %= n;
    }
  }
  return out;
}
