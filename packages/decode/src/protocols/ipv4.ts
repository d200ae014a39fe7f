import { hex, ipv4At, u16 } from '../bytes.js';
import { DecodeFailure, HeaderLayer } from '../layer.js';
import type { DecodeContext, Protocol } from '../registry.js';
import { writeIpProtoLine } from './ip-line.js';
import { ipv6 } from './ipv6.js';
import { parentMissing } from './ipv6-chain.js';
import { beyondCapture, short } from './need.js';

/** Fixed part of the IPv4 header. */
const MIN_HEADER = 20;

/**
 * IPv4 header (RFC 791), options included.
 *
 * A header that is cut short or malformed keeps the fields Wireshark would still show
 * (`shown` bytes of it): a wrong version keeps `version`; an IHL below 5 also keeps the
 * header length; a total length below the header length keeps the first four bytes; a
 * header cut by the snaplen keeps every whole field captured.
 */
export class IPv4 extends HeaderLayer {
  readonly protocol = 'ip';
  private opts: IPv4Options | undefined;
  /** For a total length field of 0 (segmentation offload): the datagram length used instead, as Wireshark shows it. */
  offloadLength: number | undefined = undefined;
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number = payloadOffset,
    /** How many header bytes have their fields shown (IHL × 4 for a whole header). */
    readonly shown: number = headerEnd - offset,
    /** False when the destination (and the options) could not be read: see `IPv4.decode`. */
    readonly destinationShown: boolean = shown >= MIN_HEADER,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get version(): number {
    return this.u8(0) >> 4;
  }
  /** Header length in bytes (IHL × 4). */
  get headerLength(): number {
    return (this.u8(0) & 0x0f) * 4;
  }
  get dsfield(): number {
    return this.u8(1);
  }
  get totalLength(): number {
    return this.u16(2);
  }
  get id(): number {
    return this.u16(4);
  }
  get dontFragment(): boolean {
    return (this.u8(6) & 0x40) !== 0;
  }
  get moreFragments(): boolean {
    return (this.u8(6) & 0x20) !== 0;
  }
  /** Fragment offset in 8-byte units. */
  get fragmentOffset(): number {
    return this.u16(6) & 0x1fff;
  }
  get ttl(): number {
    return this.u8(8);
  }
  get protocolNumber(): number {
    return this.u8(9);
  }
  get checksum(): number {
    return this.u16(10);
  }
  /** The source address; like every field past the captured header, all zeros when cut off (see `shown`). */
  get src(): string {
    return this.headerEnd - this.offset >= 16 ? ipv4At(this.bytes, this.offset + 12) : '0.0.0.0';
  }
  /** The destination field of the header (all zeros when cut off). */
  get dst(): string {
    return this.headerEnd - this.offset >= 20 ? ipv4At(this.bytes, this.offset + 16) : '0.0.0.0';
  }
  /**
   * Where the datagram is going in the end: the last hop of a loose or strict source
   * route not yet used up, else the destination field. Wireshark shows this as `ip.dst`.
   */
  get finalDst(): string {
    const at = sourceRouteEnd(this.bytes, this.offset, this.headerEnd - this.offset);
    return at > 0 ? ipv4At(this.bytes, this.offset + at) : this.dst;
  }
  /** The options area as captured (bytes 20 ... IHL×4). */
  get options(): Uint8Array {
    return this.header.subarray(MIN_HEADER);
  }
  /** The options as Wireshark walks them; see `IPv4Options`. */
  get optionList(): IPv4Options {
    return (this.opts ??= walkOptions(this.options, Math.max(0, this.headerLength - MIN_HEADER)));
  }
  /** Type byte of every option Wireshark shows, in order. */
  get optionTypes(): number[] {
    return this.optionList.types;
  }
}

/** The options of a header: their types, and whether the walk ran off the captured bytes. */
export interface IPv4Options {
  readonly types: number[];
  /** True when an option needed bytes that were not captured (Wireshark stops dissecting there). */
  readonly cut: boolean;
  /** True when a known option has the wrong length: Wireshark shows it and dissects nothing after the IP header. */
  readonly malformed?: boolean;
}

/**
 * The options Wireshark knows, with the length it insists on: a fixed length, or a
 * minimum. Only these are shown as `ip.opt.type`; other kinds are skipped by length.
 */
const KNOWN_OPTIONS: ReadonlyMap<number, { fixed?: number; min?: number }> = new Map([
  [7, { min: 3 }], // record route
  [11, { fixed: 4 }], // MTU probe
  [12, { fixed: 4 }], // MTU reply
  [25, { fixed: 8 }], // quick-start
  [68, { min: 4 }], // timestamp
  [82, { fixed: 12 }], // traceroute
  [130, { min: 3 }], // security
  [131, { min: 3 }], // loose source route
  [133, { min: 3 }], // extended security
  [134, { min: 6 }], // CIPSO
  [136, { fixed: 4 }], // stream id
  [137, { min: 3 }], // strict source route
  [148, { fixed: 4 }], // router alert
  [149, { min: 2 }], // selective directed broadcast
]);

/**
 * Walks options as Wireshark does: End of Options is shown and ends the list; an option
 * whose length byte is below 2 or runs past the header is not shown and ends the list;
 * a known option of the wrong length is shown and ends the list (and the dissection); an
 * unknown one is skipped unshown. Bounded by the header.
 */
function walkOptions(o: Uint8Array, declared: number): IPv4Options {
  const types: number[] = [];
  for (let i = 0; i < declared; ) {
    if (i >= o.length) return { types, cut: true };
    const t = o[i]!;
    if (t === 0) {
      types.push(t);
      break;
    }
    if (t === 1) {
      types.push(t);
      i++;
      continue;
    }
    if (i + 1 >= o.length) return { types, cut: i + 1 < declared };
    const len = o[i + 1]!;
    if (len < 2 || len > declared - i) break;
    const rule = KNOWN_OPTIONS.get(t);
    if (rule) {
      types.push(t);
      if ((rule.fixed !== undefined && len !== rule.fixed) || (rule.min !== undefined && len < rule.min)) return { types, cut: false, malformed: true };
    }
    if (i + len > o.length) return { types, cut: true };
    i += len;
  }
  return { types, cut: false };
}

/**
 * Offset (from `base`) of the final destination in an unfinished source route option of the
 * header at `base`, 0 when there is none, or -1 when the walk needed a byte past `captured` (Wireshark then stops before the
 * destination field).
 */
function sourceRouteEnd(b: Uint8Array, base: number, captured: number): number {
  const end = (b[base]! & 0x0f) * 4;
  for (let i = MIN_HEADER; i < end; ) {
    if (i >= captured) return -1;
    const t = b[base + i]!;
    if (t === 0) return 0;
    if (t === 1) {
      i++;
      continue;
    }
    if (i + 1 >= captured) return -1;
    const len = b[base + i + 1]!;
    if (t === 131 || t === 137) {
      // Wireshark reads a source route's final hop only from a whole header.
      if (captured < end) return -1;
      const ptr = b[base + i + 2]!;
      if (len < 7 || len > end - i || ptr < 4 || ptr & 3 || ptr > len) return 0;
      const at = i + len - 4;
      return at + 4 <= captured ? at : -1;
    }
    if (len < 2) return 0;
    i += len;
  }
  return 0;
}

/** The datagram length Wireshark assumes for a total length field of 0: all the bytes the frame has from here. */
function offloadLength(have: number, beyond: number, ctx: DecodeContext): number {
  return have + (Number.isFinite(beyond) ? beyond : parentMissing(ctx.layers));
}

/** The header shown in part (`shown` bytes of it), after which decoding stops with `failure`. */
function partial(bytes: Uint8Array, offset: number, end: number, shown: number, failure: DecodeFailure, ctx: DecodeContext, destinationShown = false): IPv4 {
  const l = new IPv4(bytes, offset, end, end, offset + Math.max(shown, 1), shown, destinationShown);
  l.truncated = true;
  ctx.fail(failure);
  return l;
}

/**
 * Decodes IPv4. Like Wireshark, a version-6 packet here (an IPv4 link type carrying IPv6)
 * is handed to the IPv6 decoder. Next: `ip.proto`, except for a fragment other than the
 * first, whose payload starts mid-datagram and stays data.
 */
export const ipv4: Protocol<IPv4> = {
  name: 'ip',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    if (have < 1) return short('ip', bytes, offset, end, MIN_HEADER);
    const version = bytes[offset]! >> 4;
    if (version === 6) return ipv6.decode(bytes, offset, end, ctx) as unknown as IPv4 | DecodeFailure;
    if (version !== 4) return partial(bytes, offset, end, 0, new DecodeFailure('ip', bytes, offset, end, 1, 1, `version field is ${version}, not 4`), ctx);
    const hlen = (bytes[offset]! & 0x0f) * 4;
    if (hlen < MIN_HEADER) return partial(bytes, offset, end, 1, new DecodeFailure('ip', bytes, offset, end, MIN_HEADER, hlen, 'IHL field below 5'), ctx);
    const field = have >= 4 ? u16(bytes, offset + 2) : -1;
    // A total length of 0 comes from TCP segmentation offload: the captured bytes are the datagram.
    if (field >= 0 && field < hlen && field !== 0) {
      return partial(bytes, offset, end, 4, new DecodeFailure('ip', bytes, offset, end, hlen, field, 'total length field below header length'), ctx);
    }
    if (have < hlen) {
      // Wireshark shows every whole field captured; the destination only if its search
      // for a source route did not run off the captured bytes.
      const dstOk = have >= MIN_HEADER && sourceRouteEnd(bytes, offset, have) >= 0;
      const l = new IPv4(bytes, offset, end, end, end, Math.min(have, MIN_HEADER), dstOk);
      if (field === 0) l.offloadLength = offloadLength(have, beyondCapture(ctx, end), ctx);
      l.truncated = true;
      ctx.fail(short('ip', bytes, offset, end, hlen, have < MIN_HEADER ? 'minimum header' : 'IHL field'));
      return l;
    }
    const beyond = beyondCapture(ctx, end);
    const total = field === 0 ? offloadLength(have, beyond, ctx) : field;
    const l = new IPv4(bytes, offset, offset + hlen, offset + Math.min(total, have));
    if (field === 0) l.offloadLength = total;
    l.missing = Math.max(0, Math.min(total, have + beyond) - have);
    l.truncated = l.missing > 0;
    if (hlen > MIN_HEADER && l.optionList.malformed) {
      ctx.fail(new DecodeFailure('ip', bytes, offset + MIN_HEADER, offset + hlen, hlen, hlen, 'option length field'));
      return l;
    }
    // A later fragment starts mid-datagram: its bytes are not a transport header.
    if (l.fragmentOffset !== 0) return l;
    ctx.next('ip.proto', l.protocolNumber);
    return l;
  },
  fields: {
    'ip.version': (l, out) => out.push(l.version),
    'ip.hdr_len': (l, out) => {
      if (l.shown >= 1) out.push(l.headerLength);
    },
    'ip.dsfield': (l, out) => {
      if (l.shown >= 2) out.push(hex(l.dsfield, 2));
    },
    'ip.len': (l, out) => {
      if (l.shown >= 4) out.push(l.offloadLength ?? l.totalLength);
    },
    'ip.id': (l, out) => {
      if (l.shown >= 6) out.push(hex(l.id, 4));
    },
    'ip.flags.df': (l, out) => {
      if (l.shown >= 8) out.push(l.dontFragment ? '1' : '0');
    },
    'ip.flags.mf': (l, out) => {
      if (l.shown >= 8) out.push(l.moreFragments ? '1' : '0');
    },
    'ip.frag_offset': (l, out) => {
      if (l.shown >= 8) out.push(l.fragmentOffset);
    },
    'ip.ttl': (l, out) => {
      if (l.shown >= 9) out.push(l.ttl);
    },
    'ip.proto': (l, out) => {
      if (l.shown >= 10) out.push(l.protocolNumber);
    },
    'ip.checksum': (l, out) => {
      if (l.shown >= 12) out.push(hex(l.checksum, 4));
    },
    'ip.src': (l, out) => {
      if (l.shown >= 16) out.push(l.src);
    },
    'ip.dst': (l, out) => {
      if (l.destinationShown) out.push(l.finalDst);
    },
    'ip.opt.type': (l, out) => {
      // Options are shown only from a header captured whole.
      if (!l.destinationShown || l.header.length < l.headerLength) return;
      for (const t of l.optionTypes) out.push(t);
    },
  },
  writeSummary(l, _ctx, out) {
    if (!l.destinationShown) {
      out.text('IP truncated-ip, length ');
      out.decimal(l.header.length);
      return true;
    }
    writeIpProtoLine(out, 'IP', l.src, l.finalDst, l.protocolNumber, l.payload.length);
    if (l.fragmentOffset !== 0 || l.moreFragments) {
      out.text(' (frag ');
      out.decimal(l.id);
      out.byte(0x3a);
      out.decimal(l.payload.length);
      out.byte(0x40);
      out.decimal(l.fragmentOffset * 8);
      out.text(l.moreFragments ? '+)' : ')');
    }
    return true;
  },
};
