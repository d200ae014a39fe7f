import { hex } from '../bytes.js';
import { DecodeFailure, type Layer } from '../layer.js';
import type { Dissection, Protocol, SummaryContext } from '../registry.js';
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
export class Ipv6Options implements Layer {
  truncated = false;
  missing = 0;
  constructor(
    readonly protocol: 'ipv6.hopopts' | 'ipv6.dstopts',
    readonly offset: number,
    readonly header: Uint8Array,
    readonly payload: Uint8Array,
    readonly options: readonly Ipv6Option[],
  ) {}

  get nextHeader(): number {
    return this.header[0]!;
  }
  /** Header length in bytes ((Hdr Ext Len + 1) × 8). */
  get length(): number {
    return (this.header[1]! + 1) * 8;
  }
}

/**
 * Walks the options from byte 2 up to `end`, as Wireshark does: each option needs its
 * type and the byte after it captured (even Pad1); an option running past the header
 * ends the walk after being listed, and the decoding too when it runs past the captured
 * bytes. Bounded by `end`.
 */
function walk(data: Uint8Array, end: number): { options: Ipv6Option[]; stop?: string } {
  const options: Ipv6Option[] = [];
  for (let i = 2; i < end; ) {
    if (i + 1 >= data.length) return { options, stop: 'option' };
    const type = data[i]!;
    if (type === PAD1) {
      options.push({ type, data: data.subarray(i + 1, i + 1) });
      i++;
      continue;
    }
    const len = data[i + 1]!;
    options.push({ type, data: data.subarray(i + 2, Math.min(i + 2 + len, end, data.length)) });
    // Wireshark moves past a CALIPSO option by the length of its own fields (8 bytes, plus
    // 4 per compartment word, a count read at byte 4 of the option data) rather than by
    // the option length.
    if (type === CALIPSO && i + 6 >= data.length) return { options, stop: 'option' };
    const size = type === CALIPSO ? 10 + 4 * data[i + 6]! : 2 + len;
    if (i + size > end) {
      // An option running past the header ends the list; Wireshark reads it all the same,
      // and gives up when that runs past the captured bytes.
      return i + size > data.length ? { options, stop: 'option length past the captured bytes' } : { options };
    }
    i += size;
  }
  return { options };
}

function decodeOptions(protocol: 'ipv6.hopopts' | 'ipv6.dstopts') {
  return (data: Uint8Array, offset: number, ctx: { layers: readonly Layer[] }): Dissection<Ipv6Options> | DecodeFailure => {
    if (chainLength(ctx.layers) >= MAX_EXTENSION_HEADERS) {
      return new DecodeFailure(protocol, offset, 0, 0, `more than ${MAX_EXTENSION_HEADERS} extension headers`, data);
    }
    if (data.length < 2) return short(protocol, data, offset, 8);
    const length = (data[1]! + 1) * 8;
    const { options, stop } = walk(data, length);
    if (stop !== undefined || data.length < length) {
      const l = new Ipv6Options(protocol, offset, data.subarray(0, Math.min(length, data.length)), data.subarray(data.length), options);
      l.truncated = true;
      const failure =
        data.length < length ? short(protocol, data, offset, length, 'Hdr Ext Len field') : new DecodeFailure(protocol, offset, length, data.length, stop!, data);
      return { layer: l, failure };
    }
    const l = new Ipv6Options(protocol, offset, data.subarray(0, length), data.subarray(length), options);
    l.missing = parentMissing(ctx.layers);
    l.truncated = l.missing > 0;
    return { layer: l, next: { table: 'ip.proto', keys: [l.nextHeader] } };
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
    [`${prefix}.nxt`]: (l: Ipv6Options, out: string[]) => out.push(String(l.nextHeader)),
    [`${prefix}.len`]: (l: Ipv6Options, out: string[]) => out.push(String(l.header[1])),
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
