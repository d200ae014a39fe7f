import { hex, ipv4At, u16 } from '../bytes.js';
import { DecodeFailure, type Layer } from '../layer.js';
import type { DecodeContext, Dissection, Protocol } from '../registry.js';
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
export class IPv4 implements Layer {
  readonly protocol = 'ip';
  truncated = false;
  missing = 0;
  private opts: IPv4Options | undefined;
  /** For a total length field of 0 (segmentation offload): the datagram length used instead, as Wireshark shows it. */
  offloadLength: number | undefined;
  constructor(
    readonly offset: number,
    readonly header: Uint8Array,
    readonly payload: Uint8Array,
    /** How many header bytes have their fields shown (IHL × 4 for a whole header). */
    readonly shown: number = header.length,
    /** False when the destination (and the options) could not be read: see `IPv4.decode`. */
    readonly destinationShown: boolean = shown >= MIN_HEADER,
  ) {}

  get version(): number {
    return this.header[0]! >> 4;
  }
  /** Header length in bytes (IHL × 4). */
  get headerLength(): number {
    return (this.header[0]! & 0x0f) * 4;
  }
  get dsfield(): number {
    return this.header[1]!;
  }
  get totalLength(): number {
    return u16(this.header, 2);
  }
  get id(): number {
    return u16(this.header, 4);
  }
  get dontFragment(): boolean {
    return (this.header[6]! & 0x40) !== 0;
  }
  get moreFragments(): boolean {
    return (this.header[6]! & 0x20) !== 0;
  }
  /** Fragment offset in 8-byte units. */
  get fragmentOffset(): number {
    return u16(this.header, 6) & 0x1fff;
  }
  get ttl(): number {
    return this.header[8]!;
  }
  get protocolNumber(): number {
    return this.header[9]!;
  }
  get checksum(): number {
    return u16(this.header, 10);
  }
  get src(): string {
    return ipv4At(this.header, 12);
  }
  /** The destination field of the header. */
  get dst(): string {
    return ipv4At(this.header, 16);
  }
  /**
   * Where the datagram is going in the end: the last hop of a loose or strict source
   * route not yet used up, else the destination field. Wireshark shows this as `ip.dst`.
   */
  get finalDst(): string {
    const at = sourceRouteEnd(this.header, this.header.length);
    return at > 0 ? ipv4At(this.header, at) : this.dst;
  }
  /** The options area as captured (bytes 20 … IHL×4). */
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
 * Offset of the final destination in an unfinished source route option, 0 when there is
 * none, or -1 when the walk needed a byte past `captured` (Wireshark then stops before the
 * destination field).
 */
function sourceRouteEnd(h: Uint8Array, captured: number): number {
  const end = (h[0]! & 0x0f) * 4;
  for (let i = MIN_HEADER; i < end; ) {
    if (i >= captured) return -1;
    const t = h[i]!;
    if (t === 0) return 0;
    if (t === 1) {
      i++;
      continue;
    }
    if (i + 1 >= captured) return -1;
    const len = h[i + 1]!;
    if (t === 131 || t === 137) {
      // Wireshark reads a source route's final hop only from a whole header.
      if (captured < end) return -1;
      const ptr = h[i + 2]!;
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
function offloadLength(data: Uint8Array, beyond: number, ctx: DecodeContext): number {
  return data.length + (Number.isFinite(beyond) ? beyond : parentMissing(ctx.layers));
}

function partial(offset: number, data: Uint8Array, shown: number, failure: DecodeFailure, destinationShown = false): Dissection<IPv4> {
  const l = new IPv4(offset, data.subarray(0, Math.max(shown, 1)), data.subarray(data.length), shown, destinationShown);
  l.truncated = true;
  return { layer: l, failure };
}

/**
 * Decodes IPv4. Like Wireshark, a version-6 packet here (an IPv4 link type carrying IPv6)
 * is handed to the IPv6 decoder. Next: `ip.proto`, except for a fragment other than the
 * first, whose payload starts mid-datagram and stays data.
 */
export const ipv4: Protocol<IPv4> = {
  name: 'ip',
  decode(data: Uint8Array, offset: number, ctx: DecodeContext): Dissection<IPv4> | DecodeFailure {
    if (data.length < 1) return short('ip', data, offset, MIN_HEADER);
    const version = data[0]! >> 4;
    if (version === 6) return ipv6.decode(data, offset, ctx) as unknown as Dissection<IPv4> | DecodeFailure;
    if (version !== 4) return partial(offset, data, 0, new DecodeFailure('ip', offset, 1, 1, `version field is ${version}, not 4`, data));
    const hlen = (data[0]! & 0x0f) * 4;
    if (hlen < MIN_HEADER) return partial(offset, data, 1, new DecodeFailure('ip', offset, MIN_HEADER, hlen, 'IHL field below 5', data));
    // A total length of 0 comes from TCP segmentation offload: the captured bytes are the datagram.
    if (data.length >= 4 && u16(data, 2) < hlen && u16(data, 2) !== 0) {
      return partial(offset, data, 4, new DecodeFailure('ip', offset, hlen, u16(data, 2), 'total length field below header length', data));
    }
    if (data.length < hlen) {
      // Wireshark shows every whole field captured; the destination only if its search
      // for a source route did not run off the captured bytes.
      const dstOk = data.length >= MIN_HEADER && sourceRouteEnd(data, data.length) >= 0;
      const l = new IPv4(offset, data, data.subarray(data.length), Math.min(data.length, MIN_HEADER), dstOk);
      if (data.length >= 4 && u16(data, 2) === 0) l.offloadLength = offloadLength(data, beyondCapture(ctx, offset, data), ctx);
      l.truncated = true;
      return { layer: l, failure: short('ip', data, offset, hlen, data.length < MIN_HEADER ? 'minimum header' : 'IHL field') };
    }
    const field = u16(data, 2);
    const beyond = beyondCapture(ctx, offset, data);
    const total = field === 0 ? offloadLength(data, beyond, ctx) : field;
    const end = Math.min(total, data.length);
    const l = new IPv4(offset, data.subarray(0, hlen), data.subarray(hlen, end));
    if (field === 0) l.offloadLength = total;
    l.missing = Math.max(0, Math.min(total, data.length + beyond) - data.length);
    l.truncated = l.missing > 0;
    if (hlen > MIN_HEADER && l.optionList.malformed) {
      return { layer: l, failure: new DecodeFailure('ip', offset + MIN_HEADER, hlen, hlen, 'option length field', data.subarray(MIN_HEADER, hlen)) };
    }
    // A later fragment starts mid-datagram: its bytes are not a transport header.
    if (l.fragmentOffset !== 0) return { layer: l };
    return { layer: l, next: { table: 'ip.proto', keys: [l.protocolNumber] } };
  },
  fields: {
    'ip.version': (l, out) => out.push(String(l.version)),
    'ip.hdr_len': (l, out) => {
      if (l.shown >= 1) out.push(String(l.headerLength));
    },
    'ip.dsfield': (l, out) => {
      if (l.shown >= 2) out.push(hex(l.dsfield, 2));
    },
    'ip.len': (l, out) => {
      if (l.shown >= 4) out.push(String(l.offloadLength ?? l.totalLength));
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
      if (l.shown >= 8) out.push(String(l.fragmentOffset));
    },
    'ip.ttl': (l, out) => {
      if (l.shown >= 9) out.push(String(l.ttl));
    },
    'ip.proto': (l, out) => {
      if (l.shown >= 10) out.push(String(l.protocolNumber));
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
      for (const t of l.optionTypes) out.push(String(t));
    },
  },
  summary(l) {
    if (!l.destinationShown) return `IP truncated-ip, length ${l.header.length}`;
    const frag = l.fragmentOffset !== 0 || l.moreFragments ? ` (frag ${l.id}:${l.payload.length}@${l.fragmentOffset * 8}${l.moreFragments ? '+' : ''})` : '';
    return `IP ${l.src} > ${l.finalDst}: ip-proto-${l.protocolNumber} ${l.payload.length}${frag}`;
  },
};
