import { PcapError } from './errors.js';

/** Bytes before each packet in a batch buffer: five u32 in host byte order. */
export const RECORD_HEADER_BYTES = 20;
const TWO_32 = 4294967296;

/** Fields every packet has, borrowed or owned. */
export interface PacketInfo {
  /** Seconds since the Unix epoch. */
  readonly seconds: number;
  /** Nanoseconds within the second (0-999,999,999), at the precision libpcap delivered. */
  readonly nanoseconds: number;
  /** Bytes captured (<= snaplen). */
  readonly caplen: number;
  /** Length of the packet on the wire, which may exceed `caplen`. */
  readonly length: number;
  /** The link type (DLT_*) of the capture, e.g. 1 for Ethernet. */
  readonly linkType: number;
}

/** Timestamp as nanoseconds since the epoch, without precision loss. */
export function timestampNs(p: PacketInfo): bigint {
  return BigInt(p.seconds) * 1_000_000_000n + BigInt(p.nanoseconds);
}

/** Timestamp as microseconds since the epoch (exact in a double until the year 2255). */
export function timestampUs(p: PacketInfo): number {
  return p.seconds * 1_000_000 + Math.floor(p.nanoseconds / 1000);
}

/** A packet whose bytes belong to it: safe to keep as long as you like. */
export class OwnedPacket implements PacketInfo {
  constructor(
    readonly seconds: number,
    readonly nanoseconds: number,
    readonly caplen: number,
    readonly length: number,
    readonly linkType: number,
    /** The captured bytes, owned by this object. */
    readonly data: Uint8Array,
  ) {}

  /** Same bytes as `data`; present so owned and borrowed packets can be used alike. */
  get borrowedData(): Uint8Array {
    return this.data;
  }

  get timestampNs(): bigint {
    return timestampNs(this);
  }

  get timestampUs(): number {
    return timestampUs(this);
  }

  /** True when fewer bytes were captured than were on the wire. */
  get truncated(): boolean {
    return this.caplen < this.length;
  }

  copy(): OwnedPacket {
    return this;
  }
}

/**
 * A packet inside a {@link Batch}. Its metadata is its own; its bytes are not:
 * `borrowedData` is a view into the batch buffer that is reused for the next batch, and
 * reading it after that throws BORROW_EXPIRED. `data` and `copy()` give owned bytes.
 */
export class Packet implements PacketInfo {
  readonly seconds: number;
  readonly nanoseconds: number;
  readonly caplen: number;
  readonly length: number;
  readonly linkType: number;
  readonly #batch: Batch;
  readonly #offset: number;
  #owned: Uint8Array | undefined;

  /** @internal Packets are made by Batch. */
  constructor(batch: Batch, words: Uint32Array, offset: number) {
    const w = offset >>> 2;
    this.seconds = (words[w] ?? 0) + ((words[w + 1] ?? 0) | 0) * TWO_32;
    this.nanoseconds = words[w + 2] ?? 0;
    this.caplen = words[w + 3] ?? 0;
    this.length = words[w + 4] ?? 0;
    this.linkType = batch.linkType;
    this.#batch = batch;
    this.#offset = offset;
  }

  /**
   * The captured bytes as a view into the batch buffer: no copy, valid only until the
   * capture reads its next batch (after your 'packet'/'batch' handler returns, or when a
   * `for await` loop moves past this batch). Use `data` or `copy()` to keep them.
   */
  get borrowedData(): Uint8Array {
    if (this.#batch.released) {
      throw new PcapError(
        'BORROW_EXPIRED',
        'packet.borrowedData was read after its batch was replaced; keep packet.data or packet.copy() instead',
      );
    }
    const start = this.#offset + RECORD_HEADER_BYTES;
    return this.#batch.bytes.subarray(start, start + this.caplen);
  }

  /** An owned copy of the captured bytes (made once, on first use). */
  get data(): Uint8Array {
    if (!this.#owned) this.#owned = this.borrowedData.slice();
    return this.#owned;
  }

  /** This packet with owned bytes, detached from the batch. */
  copy(): OwnedPacket {
    return new OwnedPacket(this.seconds, this.nanoseconds, this.caplen, this.length, this.linkType, this.data);
  }

  get timestampNs(): bigint {
    return timestampNs(this);
  }

  get timestampUs(): number {
    return timestampUs(this);
  }

  get truncated(): boolean {
    return this.caplen < this.length;
  }
}

/**
 * Packets read from libpcap in one go. The batch and its packets' `borrowedData` are valid
 * until the capture reads its next batch; `released` tells whether that has happened.
 */
export class Batch implements Iterable<Packet> {
  /** Number of packets. */
  readonly count: number;
  /** Link type of every packet in the batch. */
  readonly linkType: number;
  /** @internal The batch buffer. */
  readonly bytes: Uint8Array;
  readonly #words: Uint32Array;
  /** Where each record starts, made only when packets are asked for out of order. */
  #offsets: Uint32Array | undefined = undefined;
  /** The next record in order and where it starts: packets are nearly always taken in turn. */
  #nextIndex = 0;
  #nextOffset = 0;
  #released = false;

  /** @internal Batches are made by Capture. */
  constructor(bytes: Uint8Array, words: Uint32Array, count: number, linkType: number) {
    this.bytes = bytes;
    this.#words = words;
    this.count = count;
    this.linkType = linkType;
  }

  #recordEnd(off: number): number {
    const caplen = this.#words[(off >>> 2) + 3] ?? 0;
    return off + RECORD_HEADER_BYTES + ((caplen + 3) & ~3);
  }

  #index(): Uint32Array {
    const offsets = new Uint32Array(this.count);
    let off = 0;
    for (let i = 0; i < this.count && off + RECORD_HEADER_BYTES <= this.bytes.length; i++) {
      offsets[i] = off;
      off = this.#recordEnd(off);
    }
    return offsets;
  }

  /** True once the buffer has been reused for a later batch (or the capture closed). */
  get released(): boolean {
    return this.#released;
  }

  /** @internal */
  release(): void {
    this.#released = true;
  }

  /** The packet at `index` (0 <= index < count). */
  packet(index: number): Packet {
    if (index < 0 || index >= this.count) throw new RangeError(`packet index ${index} outside 0..${this.count - 1}`);
    if (this.#released) {
      throw new PcapError('BORROW_EXPIRED', 'this batch was replaced by a newer one; copy packets you want to keep');
    }
    let off: number;
    if (index === this.#nextIndex) {
      off = this.#nextOffset;
      this.#nextIndex = index + 1;
      this.#nextOffset = this.#recordEnd(off);
    } else {
      off = (this.#offsets ??= this.#index())[index] ?? 0;
    }
    return new Packet(this, this.#words, off);
  }

  *[Symbol.iterator](): Iterator<Packet> {
    for (let i = 0; i < this.count; i++) yield this.packet(i);
  }
}
