/**
 * The layer model every decoder follows.
 *
 * A layer mirrors its wire header. `header` and `payload` are subarrays of the packet
 * bytes (never copies), so a decoded packet is only as long-lived as the bytes it was
 * decoded from: copy the bytes first if they are borrowed from a reusable buffer.
 */
export interface Layer {
  /** Wireshark's protocol filter name: `eth`, `vlan`, `ip`, `ipv6`, `tcp`, `udp`, … */
  readonly protocol: string;
  /** Offset of this layer's first byte within the packet. */
  readonly offset: number;
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
 * Why decoding stopped early. It is kept as the last entry of a packet's layers, after
 * everything that decoded before it, and never thrown.
 */
export class DecodeFailure implements Layer {
  readonly protocol = '_failure';
  truncated = true;
  readonly payload: Uint8Array;

  constructor(
    /** The protocol that could not be decoded. */
    readonly layer: string,
    /** Offset of that protocol's first byte within the packet. */
    readonly offset: number,
    /** Bytes the protocol needed from `offset` on. */
    readonly required: number,
    /** Bytes that were there. */
    readonly actual: number,
    /** What set the requirement, e.g. `minimum header`, `IHL field`, `version field`. */
    readonly reason: string,
    /** The bytes that could not be decoded. */
    readonly header: Uint8Array,
  ) {
    this.payload = header.subarray(header.length);
  }

  get message(): string {
    return `${this.layer} at offset ${this.offset}: ${this.reason} needs ${this.required} bytes, ${this.actual} available`;
  }
}

/** The bytes of a layer the registry knows nothing about (no decoder for its key). */
export class RawPayload implements Layer {
  readonly protocol = 'data';
  truncated = false;
  readonly payload: Uint8Array;
  constructor(
    readonly offset: number,
    readonly header: Uint8Array,
  ) {
    this.payload = header.subarray(header.length);
  }
}

/**
 * The common shape of a protocol layer: where it starts, its header and payload views, and
 * how much of it the capture cut off. Protocol classes extend it and add getters that read
 * their fields from `header`.
 */
export abstract class HeaderLayer implements Layer {
  abstract readonly protocol: string;
  truncated = false;
  missing = 0;
  constructor(
    readonly offset: number,
    readonly header: Uint8Array,
    readonly payload: Uint8Array,
  ) {}
}
