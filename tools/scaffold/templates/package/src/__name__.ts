import { DecodeFailure, HeaderLayer, shortHeader, u16, type IPv4, type IPv6, type Protocol, type SummaryContext, type Tcp, type Udp } from '@pcap/decode';

/*
 * __LABEL__, reached through __carrier_text__.
 *
 * TODO(__name__): this file decodes a placeholder header so that the package builds and its
 * tests pass from the start. Replace the placeholder with the real header, keeping the rules
 * it shows (see CONTRIBUTING.md, "Adding a protocol"):
 *   - check the header's length once, before reading it; too short: a DecodeFailure;
 *   - clamp every declared length to the captured bytes and set `truncated`/`missing`;
 *   - a layer keeps offsets into the packet bytes; `header` and `payload` are views made on
 *     first read, never copies, so `decode` makes no views;
 *   - fields are getters reading the packet in place (`this.u16(i)`); derive anything costly lazily.
 *
 * The placeholder header, 4 bytes, big-endian:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             Type              |            Length             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Body (Length - 4 bytes) ...
 *
 * Length counts the whole message, header included.
 */

/** Bytes of the fixed header. */
const HEADER_LENGTH = 4;

/** One __LABEL__ message: the fixed header; `payload` is the body. */
export class __Name__ extends HeaderLayer {
  readonly protocol = '__abbrev__';

  // Every layer class has its own constructor, even one that only passes its arguments on:
  // V8 then inlines HeaderLayer's, which keeps building a layer cheap.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number) {
    super(bytes, offset, payloadOffset, payloadEnd);
  }

  /** The message type. */
  get type(): number {
    return this.u16(0);
  }

  /** The length field: the whole message, header included, in bytes. */
  get length(): number {
    return this.u16(2);
  }
}

/** Decodes __LABEL__. The body is left as data: no table is consulted after it. */
export const __camel__: Protocol<__Name__> = {
  name: '__abbrev__',
  decode(bytes, offset, end, ctx) {
    if (end - offset < HEADER_LENGTH) return shortHeader('__abbrev__', bytes, offset, end, HEADER_LENGTH);
    const body = offset + HEADER_LENGTH;
    const length = u16(bytes, offset + 2);
    if (length < HEADER_LENGTH) {
      // The header is whole, so it is kept (its fields stay readable); the body cannot be placed.
      const l = new __Name__(bytes, offset, body, body);
      l.truncated = true;
      ctx.fail(new DecodeFailure('__abbrev__', bytes, offset, end, HEADER_LENGTH, length, 'length field below 4'));
      return l;
    }
    const l = new __Name__(bytes, offset, body, Math.min(offset + length, end));
    l.missing = Math.max(0, offset + length - end);
    l.truncated = l.missing > 0;
    // To hand the body to other decoders, call e.g. `ctx.next('__abbrev__.type', l.type)` here.
    return l;
  },
  fields: {
    // Formatted as `tshark -T fields -e NAME` prints them (see ../shared/corpus/FIELDS.md).
    '__abbrev__.type': (l, out) => out.push(l.type),
    '__abbrev__.length': (l, out) => out.push(l.length),
  },
  summary(l, ctx) {
    return `${addressPrefix(ctx)}__LABEL__ type ${l.type}, length ${l.length}`;
  },
};

/** What tcpdump prints before a protocol's own text: the addresses (and ports) of the layers below. */
function addressPrefix(ctx: SummaryContext): string {
  let ports: Udp | Tcp | undefined;
  // Bounded by the layers already decoded.
  for (let i = ctx.index - 1; i >= 0; i--) {
    const l = ctx.layers[i]!;
    if ((l.protocol === 'udp' || l.protocol === 'tcp') && !ports) ports = l as Udp | Tcp;
    if (l.protocol === 'ip' || l.protocol === 'ipv6') {
      const ip = l as IPv4 | IPv6;
      const version = l.protocol === 'ip' ? 'IP' : 'IP6';
      return ports ? `${version} ${ip.src}.${ports.srcport} > ${ip.dst}.${ports.dstport}: ` : `${version} ${ip.src} > ${ip.dst}: `;
    }
  }
  return '';
}
