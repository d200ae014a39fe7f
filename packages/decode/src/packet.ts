import { DecodeFailure, RawPayload, type Layer } from './layer.js';
import { defaultRegistry } from './protocols/index.js';
import type { Registry } from './registry.js';

/** Nested layers past this many are left as data: no real packet has them, crafted ones might. */
export const MAX_LAYERS = 64;

export interface DecodeOptions {
  /** The dissector tables to use; the built-in one by default. */
  registry?: Registry;
  /**
   * The packet's length on the wire (a capture record's `originalLength`). With it, a length
   * field reaching past the captured bytes counts as missing data only as far as the wire
   * length goes, as in Wireshark; without it, every such length is taken as a snaplen cut.
   */
  originalLength?: number;
}

/** A decoded packet: its layers, outermost first, ending with a `DecodeFailure` if decoding stopped early. */
export class Packet {
  constructor(
    /** The bytes the layers are views of. */
    readonly data: Uint8Array,
    /** The LINKTYPE_ value the packet was decoded as. */
    readonly linkType: number,
    readonly layers: readonly Layer[],
  ) {}

  /** Why decoding stopped early, if it did. */
  get failure(): DecodeFailure | undefined {
    const last = this.layers[this.layers.length - 1];
    return last instanceof DecodeFailure ? last : undefined;
  }

  /** The first layer of the given protocol (`'ip'`, `'tcp'`, …). */
  layer<L extends Layer = Layer>(protocol: string): L | undefined {
    for (const l of this.layers) if (l.protocol === protocol) return l as L;
    return undefined;
  }
}

/**
 * Decodes every layer of a packet. Never throws on any bytes: a layer that cannot be
 * decoded ends the list as a `DecodeFailure`, after every layer decoded before it.
 *
 * ```ts
 * const pkt = decodePacket(bytes, 1); // LINKTYPE_ETHERNET
 * pkt.layers.map((l) => l.protocol); // ['eth', 'ip', 'tcp']
 * ```
 */
export function decodePacket(data: Uint8Array, linkType: number, options: DecodeOptions = {}): Packet {
  const registry = options.registry ?? defaultRegistry();
  const layers: Layer[] = [];
  const ctx = {
    layers,
    frameMissing: options.originalLength === undefined ? undefined : Math.max(0, options.originalLength - data.length),
    capturedLength: data.length,
  };
  let proto = registry.lookup('linktype', linkType);
  let bytes = data;
  let offset = 0;
  while (proto) {
    if (layers.length >= MAX_LAYERS) break;
    const r = proto.decode(bytes, offset, ctx);
    if (r instanceof DecodeFailure) {
      layers.push(r);
      return new Packet(data, linkType, layers);
    }
    const layer = r.layer;
    layers.push(layer);
    if (r.failure) {
      layers.push(r.failure);
      return new Packet(data, linkType, layers);
    }
    const payload = layer.payload;
    offset += payload.byteOffset - bytes.byteOffset;
    bytes = payload;
    proto = r.next && payload.length > 0 ? registry.resolve(r.next) : undefined;
  }
  if (bytes.length > 0) layers.push(new RawPayload(offset, bytes));
  return new Packet(data, linkType, layers);
}
