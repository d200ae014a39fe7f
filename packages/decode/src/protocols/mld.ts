import { ipv6At, u16 } from '../bytes.js';

/**
 * Multicast Listener Discovery (RFC 2710, RFC 3810), carried by ICMPv6 types 130, 131,
 * 132 and 143. These read the ICMPv6 message from its type byte on.
 */

/** ICMPv6 types that are MLD messages. */
export const MLD_TYPES: ReadonlySet<number> = new Set([130, 131, 132, 143]);

/** An MLDv1 message (query, report, done) or an MLDv2 query. */
export interface MldMessage {
  readonly version: 1 | 2;
  readonly type: number;
  /** Maximum response delay in milliseconds (the MLDv2 exponential code decoded). */
  readonly maxResponseDelay: number;
  /** Multicast address; `::` in a general query. */
  readonly group: string;
  /** MLDv2 query: suppress router-side processing. */
  readonly suppress?: boolean;
  /** MLDv2 query: querier's robustness variable. */
  readonly robustness?: number;
  /** MLDv2 query: querier's query interval code. */
  readonly queryIntervalCode?: number;
  /** MLDv2 query: source addresses. */
  readonly sources?: readonly string[];
}

/** One multicast address record of an MLDv2 report. */
export interface MldRecord {
  /** Record type (1 MODE_IS_INCLUDE ... 6 BLOCK_OLD_SOURCES). */
  readonly type: number;
  readonly group: string;
  readonly sources: readonly string[];
  readonly auxData: Uint8Array;
}

/** MLDv2 report (type 143). */
export interface MldReport {
  readonly version: 2;
  readonly type: 143;
  /** Records as the header counts them; only those captured whole are in `records`. */
  readonly recordCount: number;
  readonly records: readonly MldRecord[];
}

/** The MLDv2 max response code as milliseconds (RFC 3810 §5.1.3). */
function maxRespDelay(code: number): number {
  if (code < 0x8000) return code;
  return ((code & 0x0fff) | 0x1000) << (((code >> 12) & 0x7) + 3);
}

/** Decodes an MLD message; undefined when `msg` is not one or too short for its fixed part. */
export function parseMld(msg: Uint8Array): MldMessage | MldReport | undefined {
  const type = msg[0];
  if (type === undefined || !MLD_TYPES.has(type)) return undefined;
  if (type === 143) return parseReport(msg);
  if (msg.length < 24) return undefined;
  const group = ipv6At(msg, 8);
  if (type === 130 && msg.length >= 28) {
    const n = u16(msg, 26);
    const sources: string[] = [];
    for (let i = 0; i < n && 28 + i * 16 + 16 <= msg.length; i++) sources.push(ipv6At(msg, 28 + i * 16));
    return {
      version: 2,
      type,
      maxResponseDelay: maxRespDelay(u16(msg, 4)),
      group,
      suppress: (msg[24]! & 0x08) !== 0,
      robustness: msg[24]! & 0x07,
      queryIntervalCode: msg[25]!,
      sources,
    };
  }
  return { version: 1, type, maxResponseDelay: u16(msg, 4), group };
}

function parseReport(msg: Uint8Array): MldReport | undefined {
  if (msg.length < 8) return undefined;
  const recordCount = u16(msg, 6);
  const records: MldRecord[] = [];
  let o = 8;
  // Each record is at least 20 bytes, so the walk ends within the message whatever the count says.
  for (let i = 0; i < recordCount && o + 20 <= msg.length; i++) {
    const auxWords = msg[o + 1]!;
    const n = u16(msg, o + 2);
    const end = o + 20 + n * 16 + auxWords * 4;
    if (end > msg.length) break;
    const sources: string[] = [];
    for (let s = 0; s < n; s++) sources.push(ipv6At(msg, o + 20 + s * 16));
    records.push({ type: msg[o]!, group: ipv6At(msg, o + 4), sources, auxData: msg.subarray(end - auxWords * 4, end) });
    o = end;
  }
  return { version: 2, type: 143, recordCount, records };
}

/** tcpdump's text for an MLD message. */
export function mldText(m: MldMessage | MldReport): string {
  if (m.type === 143) return `multicast listener report v2, ${(m as MldReport).recordCount} group record(s)`;
  const q = m as MldMessage;
  if (q.version === 2) {
    const n = q.sources?.length ?? 0;
    return `multicast listener query v2 [gaddr ${q.group}${n > 0 ? `, ${n} source(s)` : ''}]`;
  }
  const name = q.type === 130 ? 'query' : q.type === 131 ? 'report' : 'done';
  return `multicast listener ${name} max resp delay: ${q.maxResponseDelay} addr: ${q.group}`;
}
