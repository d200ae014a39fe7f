/**
 * The layer model every decoder follows.
 *
 * A layer is a span of the packet's bytes: where it starts, where its payload starts and
 * where that payload ends. Decoding keeps only those offsets; `header` and `payload` are
 * subarrays of the packet bytes (never copies) made the first time they are read. A decoded
 * packet is therefore only as long-lived as the bytes it was decoded from: copy the bytes
 * first if they are borrowed from a reusable buffer.
 */
export interface Layer {
  /** Wireshark's protocol filter name: `eth`, `vlan`, `ip`, `ipv6`, `tcp`, `udp`, ... */
  readonly protocol: string;
  /** The bytes of the whole packet the layer was decoded from. */
  readonly bytes: Uint8Array;
  /** Offset of this layer's first byte within the packet. */
  readonly offset: number;
  /** Offset of the first byte this layer carries (the end of its header) within the packet. */
  readonly payloadOffset: number;
  /** Offset just past the last byte this layer carries, clamped to what was captured and to its declared length. */
  readonly payloadEnd: number;
  /** The header bytes of this layer. */
  readonly header: Uint8Array;
  /** The bytes this layer carries, clamped to what was captured and to its declared length. */
  readonly payload: Uint8Array;
  /** True when the layer's declared length runs past the captured bytes. */
  truncated: boolean;
  /**
   * Bytes the layer's length field declares for its payload beyond those captured
   * (snaplen cut), so that the layer above can tell its true length. 0 or absent when whole.
   */
  readonly missing?: number;
  /**
   * True when the layers after this one are the packet an error message quotes (ICMP,
   * ICMPv6): summaries speak from this layer, not from the quoted ones.
   */
  readonly quotesPacket?: boolean;
}

/**
 * The common shape of a layer: its span of the packet, with `header` and `payload` views
 * made on first use, and how much of it the capture cut off. Protocol classes extend it and
 * add getters that read their fields from the packet bytes.
 */
export abstract class HeaderLayer implements Layer {
  abstract readonly protocol: string;
  // Declared and assigned in the constructor rather than written as class fields: this one
  // constructor serves every layer class, and V8 keeps plain stores fast across that many
  // shapes where it gives up on field definitions. For the same reason every subclass has an
  // explicit constructor: V8 inlines this one into it, where the implicit constructor of a
  // subclass (a spread call) makes each layer cost several times more.
  declare truncated: boolean;
  declare missing: number;
  // Every layer has it, false but for ICMP and ICMPv6 errors: loops over a packet's layers
  // read it from every class, and a property some classes lack is slow to find missing.
  declare readonly quotesPacket: boolean;
  declare private _header: Uint8Array | undefined;
  declare private _payload: Uint8Array | undefined;
  declare readonly bytes: Uint8Array;
  declare readonly offset: number;
  declare readonly payloadOffset: number;
  declare readonly payloadEnd: number;
  /** Where the header bytes end, when not where the payload starts (a header cut short or shown in part). */
  declare readonly headerEnd: number;
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    this.bytes = bytes;
    this.offset = offset;
    this.payloadOffset = payloadOffset;
    this.payloadEnd = payloadEnd;
    this.headerEnd = headerEnd;
    this.truncated = false;
    this.missing = 0;
    (this as { quotesPacket: boolean }).quotesPacket = false;
    this._header = undefined;
    this._payload = undefined;
  }

  get header(): Uint8Array {
    return (this._header ??= this.bytes.subarray(this.offset, this.headerEnd));
  }
  get payload(): Uint8Array {
    return (this._payload ??= this.bytes.subarray(this.payloadOffset, this.payloadEnd));
  }
  /** Header bytes captured: `header.length`, without making the view. */
  get headerBytes(): number {
    return this.headerEnd - this.offset;
  }

  // Field getters read the packet bytes in place rather than through `header`, so that
  // reading a field makes no view; a field past the captured header reads as 0.
  /** The header's byte at `i`. */
  protected u8(i: number): number {
    const at = this.offset + i;
    return at < this.headerEnd ? this.bytes[at]! : 0;
  }
  /** The header's big-endian 16-bit field at `i`. */
  protected u16(i: number): number {
    const at = this.offset + i;
    return at + 2 <= this.headerEnd ? (this.bytes[at]! << 8) | this.bytes[at + 1]! : 0;
  }
  /** The header's big-endian 32-bit field at `i`. */
  protected u32(i: number): number {
    const at = this.offset + i;
    const b = this.bytes;
    return at + 4 <= this.headerEnd ? ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0 : 0;
  }
}

/**
 * Why decoding stopped early. It is kept as the last entry of a packet's layers, after
 * everything that decoded before it, and never thrown. Its `header` is the bytes that could
 * not be decoded.
 */
export class DecodeFailure extends HeaderLayer {
  readonly protocol = '_failure';

  constructor(
    /** The protocol that could not be decoded. */
    readonly layer: string,
    bytes: Uint8Array,
    /** Offset of that protocol's first byte within the packet. */
    offset: number,
    /** Where the bytes the protocol could use end within the packet. */
    end: number,
    /** Bytes the protocol needed from `offset` on. */
    readonly required: number,
    /** Bytes that were there. */
    readonly actual: number,
    /** What set the requirement, e.g. `minimum header`, `IHL field`, `version field`. */
    readonly reason: string,
  ) {
    super(bytes, offset, end, end);
    this.truncated = true;
  }

  get message(): string {
    return `${this.layer} at offset ${this.offset}: ${this.reason} needs ${this.required} bytes, ${this.actual} available`;
  }
}

/** The bytes of a layer the registry knows nothing about (no decoder for its key). */
export class RawPayload extends HeaderLayer {
  readonly protocol = 'data';
  constructor(bytes: Uint8Array, offset: number, end: number) {
    super(bytes, offset, end, end);
  }
}
