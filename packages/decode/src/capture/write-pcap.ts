import { PcapMagic } from './pcap.js';
import { argumentRangeError } from '../arguments.js';
import { CaptureWriterBase, type ByteSink } from './sink.js';
import { checkPacketFields, checkWriterArguments, choiceOption, unsignedOption } from './write-arguments.js';

/** A packet to write: a `CaptureRecord` from a reader fits, as does a plain object. */
export interface WritablePacket {
  /** Whole seconds since 1970-01-01 UTC. */
  readonly seconds: number;
  /** Nanoseconds after `seconds`. */
  readonly nanoseconds: number;
  /** The captured bytes. */
  readonly data: Uint8Array;
  /** Length on the wire; `data.length` when absent. */
  readonly originalLength?: number;
}

export interface PcapWriterOptions {
  /** LINKTYPE_ of every packet; 1 (Ethernet) by default. */
  linkType?: number;
  /** Snapshot length written in the header; longer packets are cut to it. 262144 by default. */
  snaplen?: number;
  /** Timestamp resolution: 'micro' (the classic format, the default) or 'nano'. */
  precision?: 'micro' | 'nano';
  /** Write big-endian instead of little-endian. */
  bigEndian?: boolean;
  /** End the destination stream on `close()` (default true). */
  end?: boolean;
}

/**
 * Writes a classic pcap file, to a Node stream or into memory.
 *
 * ```ts
 * const w = new PcapWriter({ linkType: 1, precision: 'nano' }, createWriteStream('out.pcap'));
 * for await (const rec of readCapture('in.pcapng')) await w.write(rec);
 * await w.close();
 *
 * const mem = new PcapWriter();
 * mem.write({ seconds: 1, nanoseconds: 0, data: frame });
 * const bytes = mem.bytes();
 * ```
 */
export class PcapWriter extends CaptureWriterBase {
  private readonly le: boolean;
  private readonly nano: boolean;
  private readonly snaplen: number;

  /** Without `destination`, the file is kept in memory for `bytes()`. */
  constructor(
    protected override readonly options: PcapWriterOptions = {},
    destination?: ByteSink,
  ) {
    super(checkOptions(options, destination), destination);
    this.le = !options.bigEndian;
    this.nano = options.precision === 'nano';
    this.snaplen = options.snaplen ?? 262144;
    const at = this.out.reserve(24);
    const v = this.out.view;
    v.setUint32(at, this.nano ? PcapMagic.NANO : PcapMagic.MICRO, this.le);
    v.setUint16(at + 4, 2, this.le);
    v.setUint16(at + 6, 4, this.le);
    v.setInt32(at + 8, 0, this.le);
    v.setUint32(at + 12, 0, this.le);
    v.setUint32(at + 16, this.snaplen, this.le);
    v.setUint32(at + 20, options.linkType ?? 1, this.le);
  }

  /**
   * Adds a packet. Returns a promise when the destination stream asks to wait (await it, or
   * simply `await` every call); throws `RangeError` for a time a pcap header cannot hold.
   */
  write(packet: WritablePacket): Promise<void> | undefined {
    checkPacketFields('PcapWriter.write', packet);
    const { seconds, nanoseconds } = packet;
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff) {
      throw argumentRangeError('PcapWriter.write', 'packet.seconds', 'an integer from 0 to 4294967295 (pcap records hold no other times)', seconds, 'write times before 1970 or after 2106 to a pcapng file (PcapngWriter)');
    }
    if (!Number.isInteger(nanoseconds) || nanoseconds < 0 || nanoseconds > 0xffffffff) {
      throw argumentRangeError('PcapWriter.write', 'packet.nanoseconds', 'an unsigned 32-bit integer', nanoseconds, 'give the fraction of the second in nanoseconds, 0 to 999999999');
    }
    const data = packet.data.length > this.snaplen ? packet.data.subarray(0, this.snaplen) : packet.data;
    const at = this.out.reserve(16 + data.length);
    const v = this.out.view;
    v.setUint32(at, seconds, this.le);
    v.setUint32(at + 4, this.nano ? nanoseconds : Math.floor(nanoseconds / 1000), this.le);
    v.setUint32(at + 8, data.length, this.le);
    v.setUint32(at + 12, packet.originalLength ?? packet.data.length, this.le);
    this.out.bytes.set(data, at + 16);
    return this.out.maybeFlush();
  }
}

function checkOptions(options: PcapWriterOptions | undefined, destination: unknown): PcapWriterOptions {
  const fn = 'PcapWriter';
  const o = checkWriterArguments(fn, options, destination, ['linkType', 'snaplen', 'precision', 'bigEndian', 'end']);
  unsignedOption(fn, 'linkType', o.linkType, 32);
  unsignedOption(fn, 'snaplen', o.snaplen, 32, 1);
  choiceOption(fn, 'precision', o.precision, ['micro', 'nano']);
  return o;
}
