import { hex } from '../bytes.js';
import { DecodeFailure, HeaderLayer } from '../layer.js';
import type { DecodeContext, Protocol, SummaryContext, FieldValue } from '../registry.js';
import { chainLength, ip6Prefix, MAX_EXTENSION_HEADERS, parentMissing } from './ipv6-chain.js';
import { short } from './need.js';

/** Option type of Pad1, the one option without a length byte. */
const PAD1 = 0;
/** Option type of CALIPSO (RFC 5570). */
const CALIPSO = 0x07;

/** One TLV option of a Hop-by-Hop or Destination Options header; `data` excludes type and length. */
export interface Ipv6Option {
  readonly type: number;
  readonly data: Uint8Array;
}

/**
 * IPv6 Hop-by-Hop Options (`ipv6.hopopts`, next header 0) or Destination Options
 * (`ipv6.dstopts`, 60) header. `options` lists every option Wireshark shows, Pad1 and
 * PadN included; a header that was cut short or whose last option overruns it keeps the
 * options before that point.
 */
export class Ipv6Options extends HeaderLayer {
  #options: Ipv6Option[] | undefined;
  constructor(
    readonly protocol: 'ipv6.hopopts' | 'ipv6.dstopts',
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number = payloadOffset,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get nextHeader(): number {
    return this.u8(0);
  }
  /** Header length in bytes ((Hdr Ext Len + 1) × 8). */
  get length(): number {
    return (this.u8(1) + 1) * 8;
  }
  /**
   * The options, listed on first use (decoding only checks where the walk stops). The walk
   * may read past the header into the bytes that follow it, as far as they were captured,
   * because an option overrunning the header is shown all the same.
   */
  get options(): readonly Ipv6Option[] {
    if (this.#options === undefined) {
      const list: Ipv6Option[] = [];
      walk(this.bytes, this.offset, this.offset + this.length, this.payloadEnd, list);
      this.#options = list;
    }
    return this.#options;
  }
}

/**
 * Walks the options of the header at `at`, from its byte 2 up to `end` (the header's end
 * by its length field), as Wireshark does: each option needs its type and the byte after
 * it captured (before `captured`), even Pad1; an option running past the header ends the
 * walk after being listed, and the decoding too when it runs past the captured bytes.
 * Lists the options in `out` when given; returns why the decoding stops, if it does.
 * Bounded by `end`.
 */
export function walk(b: Uint8Array, at: number, end: number, captured: number, out?: Ipv6Option[]): string | undefined {
  for (let i = at + 2; i < end; ) {
    if (i + 1 >= captured) return 'option';
    const type = b[i]!;
    if (type === PAD1) {
      out?.push({ type, data: b.subarray(i + 1, i + 1) });
      i++;
      continue;
    }
    const len = b[i + 1]!;
    out?.push({ type, data: b.subarray(i + 2, Math.min(i + 2 + len, end, captured)) });
    // Wireshark moves past a CALIPSO option by the length of its own fields (8 bytes, plus
    // 4 per compartment word, a count read at byte 4 of the option data) rather than by
    // the option length.
    if (type === CALIPSO && i + 6 >= captured) return 'option';
    const size = type === CALIPSO ? 10 + 4 * b[i + 6]! : 2 + len;
    if (i + size > end) {
      // An option running past the header ends the list; Wireshark reads it all the same,
      // and gives up when that runs past the captured bytes.
      return i + size > captured ? 'option length past the captured bytes' : undefined;
    }
    i += size;
  }
  return undefined;
}

function decodeOptions(protocol: 'ipv6.hopopts' | 'ipv6.dstopts'): Protocol<Ipv6Options>['decode'] {
  return (bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): Ipv6Options | DecodeFailure => {
    if (chainLength(ctx.layers) >= MAX_EXTENSION_HEADERS) {
      return new DecodeFailure(protocol, bytes, offset, end, 0, 0, `more than ${MAX_EXTENSION_HEADERS} extension headers`);
    }
    const have = end - offset;
    if (have < 2) return short(protocol, bytes, offset, end, 8);
    const length = (bytes[offset + 1]! + 1) * 8;
    const stop = walk(bytes, offset, offset + length, end);
    if (stop !== undefined || have < length) {
      const l = new Ipv6Options(protocol, bytes, offset, end, end, offset + Math.min(length, have));
      l.truncated = true;
      ctx.fail(have < length ? short(protocol, bytes, offset, end, length, 'Hdr Ext Len field') : new DecodeFailure(protocol, bytes, offset, end, length, have, stop!));
      return l;
    }
    const l = new Ipv6Options(protocol, bytes, offset, offset + length, end);
    l.missing = parentMissing(ctx.layers);
    l.truncated = l.missing > 0;
    ctx.next('ip.proto', l.nextHeader);
    return l;
  };
}

const OPTION_NAMES: Record<number, string> = { 0x00: 'pad1', 0x01: 'padn', 0x05: 'rtalert', 0xc2: 'jumbo', 0xc9: 'homeaddr' };

function summaryOf(name: string) {
  return (l: Ipv6Options, ctx: SummaryContext): string =>
    `${ip6Prefix(ctx.layers, ctx.index)}${name} (${l.options.map((o) => OPTION_NAMES[o.type] ?? `opt_type ${hex(o.type, 2)}`).join(', ')})`;
}

function fieldsOf(prefix: string): Protocol<Ipv6Options>['fields'] {
  return {
    'ipv6.opt.type': (l, out) => {
      for (const o of l.options) out.push(hex(o.type, 2));
    },
    [`${prefix}.nxt`]: (l: Ipv6Options, out: FieldValue[]) => out.push(l.nextHeader),
    // Hdr Ext Len, the length in 8-byte units past the first 8.
    [`${prefix}.len`]: (l: Ipv6Options, out: FieldValue[]) => out.push(l.length / 8 - 1),
  };
}

/** Hop-by-Hop Options header (`ip.proto` 0). Next: `ip.proto`. */
export const hopopts: Protocol<Ipv6Options> = {
  name: 'ipv6.hopopts',
  decode: decodeOptions('ipv6.hopopts'),
  fields: fieldsOf('ipv6.hopopts'),
  summary: summaryOf('HBH'),
};

/** Destination Options header (`ip.proto` 60). Next: `ip.proto`. */
export const dstopts: Protocol<Ipv6Options> = {
  name: 'ipv6.dstopts',
  decode: decodeOptions('ipv6.dstopts'),
  fields: fieldsOf('ipv6.dstopts'),
  summary: summaryOf('DSTOPT'),
};
