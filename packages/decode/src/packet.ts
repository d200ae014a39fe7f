import { argumentRangeError, argumentTypeError, bytesHint, isBytes, optionsArgument } from './arguments.js';
import { DecodeFailure, RawPayload, type Layer } from './layer.js';
import { u16 } from './bytes.js';
import { DirectShape, readShape, shapeDecoders, Shapes } from './packet-shape.js';
import { defaultRegistry } from './protocols/index.js';
import type { DecodeContext, Protocol, Registry, TableName } from './registry.js';
import { pushShapeLayers, shapeLayersFit } from './shape-layers.js';

/** Nested layers past this many end the packet with a `DecodeFailure`: no real packet has them, crafted ones might. */
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

  /** The first layer of the given protocol (`'ip'`, `'tcp'`, ...). */
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
export function decodePacket(data: Uint8Array, linkType: number, options?: DecodeOptions): Packet {
  const given = options?.registry;
  const original = options?.originalLength;
  // A few type tests on the values read anyway; the reasons are worked out only on failure.
  if (
    !(data instanceof Uint8Array) ||
    typeof linkType !== 'number' ||
    linkType >>> 0 !== linkType ||
    (original !== undefined && original >>> 0 !== original) ||
    (given !== undefined && typeof given.lookup !== 'function') ||
    (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options)))
  ) {
    checkDecodeArguments(data, linkType, options);
  }
  const registry = given ?? defaultRegistry();
  const layers: Layer[] = [];
  // One context serves every packet; a decoder that decodes another packet inside its own
  // finds it in use and gets a fresh one. It is given back on every way out of the loop,
  // a throw included, without try/finally: with one, V8 runs this loop a fifth slower.
  const ctx = shared.layers === NO_LAYERS ? shared : new Dissector();
  ctx.start(layers, original === undefined ? undefined : Math.max(0, original - data.length), data.length);
  let proto: Protocol | undefined;
  let offset = 0;
  let end = data.length;
  let whole = true;
  if (readShape(data, linkType, shape, Shapes.TAGGED) && shapeLayersFit(data, shape) && shapeDecoders(registry)) {
    // The commonest packets: their first layers are known from the shape, and the loop
    // takes over at the transport layer's payload.
    const transport = pushShapeLayers(data, shape, layers);
    offset = transport.payloadOffset;
    end = transport.payloadEnd;
    const a = u16(data, shape.transport);
    const b = u16(data, shape.transport + 2);
    // As the transport decoders ask: the lower port first.
    proto = end > offset ? registry.resolve(shape.protocol === 6 ? 'tcp.port' : 'udp.port', Math.min(a, b), Math.max(a, b)) : undefined;
  } else {
    proto = registry.lookup('linktype', linkType);
  }
  while (proto) {
    if (layers.length >= MAX_LAYERS) {
      // Only crafted packets nest this deep (IPv6 in IPv6 in ...): flag it rather than stop quietly.
      layers.push(new DecodeFailure(proto.name, data, offset, end, 0, 0, `more than ${MAX_LAYERS} nested layers`));
      whole = false;
      break;
    }
    ctx.table = undefined;
    let layer: Layer;
    try {
      layer = proto.decode(data, offset, end, ctx);
    } catch (e) {
      // A decoder of the caller's own failed; the error is theirs to see.
      ctx.layers = NO_LAYERS;
      throw e;
    }
    layers.push(layer);
    // A failure is always truncated: the flag, read anyway below, spares the class test on every other layer.
    if (layer.truncated && layer instanceof DecodeFailure) {
      whole = false;
      break;
    }
    if (ctx.failure) {
      layers.push(ctx.failure);
      whole = false;
      break;
    }
    offset = layer.payloadOffset;
    end = layer.payloadEnd;
    proto = ctx.table !== undefined && end > offset ? registry.resolve(ctx.table, ctx.key, ctx.alt) : undefined;
  }
  if (whole && end > offset) layers.push(new RawPayload(data, offset, end));
  ctx.layers = NO_LAYERS;
  return new Packet(data, linkType, layers);
}

/** Throws for arguments `decodePacket` cannot use; returns when they are fine after all (bytes from another realm, options). */
function checkDecodeArguments(data: unknown, linkType: unknown, options: unknown): void {
  const fn = 'decodePacket';
  if (!isBytes(data)) {
    const record = typeof data === 'object' && data !== null && isBytes((data as { data?: unknown }).data);
    throw argumentTypeError(
      fn,
      'data',
      "a Uint8Array (or Buffer) of the packet's bytes",
      data,
      record ? 'pass the bytes and link type: decodePacket(record.data, record.linkType)' : bytesHint(data) || 'read a capture with readCapture() and pass record.data',
    );
  }
  const linkHint = 'pass the capture record\'s linkType (1 for Ethernet; LinkType lists the others)';
  if (typeof linkType !== 'number') throw argumentTypeError(fn, 'linkType', 'a LINKTYPE_ number', linkType, linkHint);
  if (linkType >>> 0 !== linkType) throw argumentRangeError(fn, 'linkType', 'an integer from 0 to 4294967295', linkType, linkHint);
  const o = optionsArgument<DecodeOptions>(fn, options as DecodeOptions | undefined);
  const registry = o.registry as unknown;
  if (registry !== undefined && typeof (registry as Registry | null)?.lookup !== 'function') {
    throw argumentTypeError(fn, 'options.registry', 'a Registry', registry, 'leave it out for the built-in protocols, or pass defaultRegistry()');
  }
  const original = o.originalLength as unknown;
  if (original === undefined) return;
  const originalHint = "pass the capture record's originalLength, or leave it out";
  if (typeof original !== 'number') throw argumentTypeError(fn, 'options.originalLength', 'a number of bytes', original, originalHint);
  if (original >>> 0 !== original) {
    throw argumentRangeError(fn, 'options.originalLength', 'an integer from 0 to 4294967295', original, originalHint);
  }
}

const NO_LAYERS: readonly Layer[] = [];

/** The context of one packet's decoding; decoders leave their `next` and `fail` calls in it. */
class Dissector implements DecodeContext {
  layers: readonly Layer[] = NO_LAYERS;
  frameMissing: number | undefined = undefined;
  capturedLength = 0;
  table: TableName | undefined = undefined;
  key = 0;
  alt: number | undefined = undefined;
  failure: DecodeFailure | undefined = undefined;

  start(layers: readonly Layer[], frameMissing: number | undefined, capturedLength: number): void {
    this.layers = layers;
    this.frameMissing = frameMissing;
    this.capturedLength = capturedLength;
    this.table = undefined;
    this.failure = undefined;
  }

  next(table: TableName, key: number, alt?: number): void {
    this.table = table;
    this.key = key;
    this.alt = alt;
  }

  fail(failure: DecodeFailure): void {
    this.failure = failure;
  }
}

const shared = new Dissector();
// The shape of the packet at hand (see packet-shape.ts).
const shape = new DirectShape();
