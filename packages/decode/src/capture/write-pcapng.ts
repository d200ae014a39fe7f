import { OPT_COMMENT } from './options.js';
import { PCAPNG_BYTE_ORDER_MAGIC, PcapngBlock } from './pcapng.js';
import { argumentRangeError, argumentTypeError, integerArgument, optionsArgument, stringArgument, stringsArgument } from '../arguments.js';
import { CaptureWriterBase, type ByteSink } from './sink.js';
import { checkPacketFields, checkWriterArguments, unsignedOption } from './write-arguments.js';
import { joinTicks, tickUnit, type TickUnit } from './ticks.js';
import type { WritablePacket } from './write-pcap.js';

/** The section a `PcapngWriter` writes: who wrote it, on what. */
export interface PcapngWriterOptions {
  /** `shb_hardware`. */
  hardware?: string;
  /** `shb_os`. */
  os?: string;
  /** `shb_userappl`, e.g. `"my-tool 1.2"`. */
  application?: string;
  /** Section comments. */
  comments?: readonly string[];
  /** Write big-endian instead of little-endian. */
  bigEndian?: boolean;
  /** End the destination stream on `close()` (default true). */
  end?: boolean;
}

/** An interface (Interface Description Block) to add to the file. */
export interface PcapngInterfaceOptions {
  /** LINKTYPE_ of the interface's packets; 1 (Ethernet) by default. */
  linkType?: number;
  /** Snapshot length; 0 (no limit) by default. Longer packets are cut to it. */
  snaplen?: number;
  /** `if_name`, e.g. `eth0`. */
  name?: string;
  /** `if_description`. */
  description?: string;
  /**
   * `if_tsresol`: below 128, timestamps count 10^-value seconds; otherwise 2^-(value & 127).
   * 6 (microseconds) by default; 9 for nanoseconds.
   */
  tsresol?: number;
  /** `if_tsoffset`: seconds the reader adds to every timestamp of the interface. */
  tsoffset?: number;
  /** `if_os`. */
  os?: string;
  /** `if_hardware`. */
  hardware?: string;
  /** `if_filter`, as a libpcap filter string. */
  filter?: string;
  /** `if_fcslen`. */
  fcslen?: number;
  /** `if_speed` in bits per second. */
  speed?: number;
  /** Interface comments. */
  comments?: readonly string[];
}

/** A packet for `PcapngWriter`: a `CaptureRecord` fits. */
export interface PcapngPacket extends WritablePacket {
  /** The interface, as returned by `addInterface`; 0 by default. */
  readonly interfaceId?: number | undefined;
  /** Packet comments (`opt_comment`). */
  readonly comments?: readonly string[] | undefined;
  /** `epb_flags`. */
  readonly flags?: number | undefined;
  /** `epb_dropcount`. */
  readonly dropCount?: number | undefined;
}

type Option = readonly [code: number, value: Uint8Array];

const utf8 = new TextEncoder();

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Writes a pcapng file (one section), to a Node stream or into memory: interfaces with
 * their names, descriptions, link types, snaplens and timestamp resolutions, and packets
 * with comments.
 *
 * ```ts
 * const w = new PcapngWriter({ application: 'my-tool' }, createWriteStream('out.pcapng'));
 * const eth0 = w.addInterface({ linkType: 1, name: 'eth0', tsresol: 9 });
 * await w.write({ interfaceId: eth0, seconds: 1700000000, nanoseconds: 5, data: frame, comments: ['first'] });
 * await w.close();
 * ```
 */
export class PcapngWriter extends CaptureWriterBase {
  private readonly le: boolean;
  private readonly interfaces: { unit: TickUnit; snaplen: number; tsoffset: number }[] = [];

  /** Without `destination`, the file is kept in memory for `bytes()`. */
  constructor(
    protected override readonly options: PcapngWriterOptions = {},
    destination?: ByteSink,
  ) {
    super(checkOptions(options, destination), destination);
    this.le = !options.bigEndian;
    const opts: Option[] = [];
    for (const c of options.comments ?? []) opts.push([OPT_COMMENT, utf8.encode(c)]);
    if (options.hardware !== undefined) opts.push([2, utf8.encode(options.hardware)]);
    if (options.os !== undefined) opts.push([3, utf8.encode(options.os)]);
    if (options.application !== undefined) opts.push([4, utf8.encode(options.application)]);
    const at = this.block(PcapngBlock.SECTION_HEADER, 16, opts);
    const v = this.out.view;
    v.setUint32(at + 8, PCAPNG_BYTE_ORDER_MAGIC, this.le);
    v.setUint16(at + 12, 1, this.le);
    v.setUint16(at + 14, 0, this.le);
    // Section length -1: not given, so readers walk the blocks.
    v.setInt32(at + 16, -1, this.le);
    v.setInt32(at + 20, -1, this.le);
  }

  /** Describes an interface and returns its id for `write`. Interfaces may be added at any time. */
  addInterface(iface: PcapngInterfaceOptions = {}): number {
    checkInterface(iface);
    const tsresol = iface.tsresol ?? 6;
    const tsoffset = iface.tsoffset ?? 0;
    const opts: Option[] = [];
    for (const c of iface.comments ?? []) opts.push([OPT_COMMENT, utf8.encode(c)]);
    if (iface.name !== undefined) opts.push([2, utf8.encode(iface.name)]);
    if (iface.description !== undefined) opts.push([3, utf8.encode(iface.description)]);
    if (iface.speed !== undefined) opts.push([8, this.u64(iface.speed)]);
    if (tsresol !== 6) opts.push([9, Uint8Array.of(tsresol)]);
    if (iface.filter !== undefined) {
      const text = utf8.encode(iface.filter);
      const value = new Uint8Array(text.length + 1);
      value.set(text, 1);
      opts.push([11, value]);
    }
    if (iface.os !== undefined) opts.push([12, utf8.encode(iface.os)]);
    if (iface.fcslen !== undefined) opts.push([13, Uint8Array.of(iface.fcslen)]);
    if (tsoffset !== 0) opts.push([14, this.u64(tsoffset)]);
    if (iface.hardware !== undefined) opts.push([15, utf8.encode(iface.hardware)]);
    const snaplen = iface.snaplen ?? 0;
    const at = this.block(PcapngBlock.INTERFACE_DESCRIPTION, 8, opts);
    const v = this.out.view;
    v.setUint16(at + 8, iface.linkType ?? 1, this.le);
    v.setUint16(at + 10, 0, this.le);
    v.setUint32(at + 12, snaplen, this.le);
    this.interfaces.push({ unit: tickUnit(tsresol), snaplen, tsoffset });
    return this.interfaces.length - 1;
  }

  /**
   * Adds a packet as an Enhanced Packet Block. Returns a promise when the destination
   * stream asks to wait. Throws `RangeError` for an interface that was not added.
   */
  write(packet: PcapngPacket): Promise<void> | undefined {
    checkPacket(packet);
    const id = packet.interfaceId ?? 0;
    const iface = this.interfaces[id];
    if (!iface) {
      throw argumentRangeError(
        'PcapngWriter.write',
        'packet.interfaceId',
        `an id addInterface() returned (${this.interfaces.length} added)`,
        id,
        `interface ${id} was not added; call addInterface() first`,
      );
    }
    const [hi, lo] = joinTicks(packet.seconds - iface.tsoffset, packet.nanoseconds, iface.unit);
    const data = iface.snaplen !== 0 && packet.data.length > iface.snaplen ? packet.data.subarray(0, iface.snaplen) : packet.data;
    let opts: Option[] | undefined;
    if (packet.comments?.length || packet.flags !== undefined || packet.dropCount !== undefined) {
      opts = [];
      for (const c of packet.comments ?? []) opts.push([OPT_COMMENT, utf8.encode(c)]);
      if (packet.flags !== undefined) {
        const f = new Uint8Array(4);
        new DataView(f.buffer).setUint32(0, packet.flags, this.le);
        opts.push([2, f]);
      }
      if (packet.dropCount !== undefined) opts.push([4, this.u64(packet.dropCount)]);
    }
    const at = this.block(PcapngBlock.ENHANCED_PACKET, 20 + pad4(data.length), opts);
    const v = this.out.view;
    v.setUint32(at + 8, id, this.le);
    v.setUint32(at + 12, hi, this.le);
    v.setUint32(at + 16, lo, this.le);
    v.setUint32(at + 20, data.length, this.le);
    v.setUint32(at + 24, packet.originalLength ?? packet.data.length, this.le);
    this.out.bytes.set(data, at + 28);
    return this.out.maybeFlush();
  }

  private u64(n: number): Uint8Array {
    const b = new Uint8Array(8);
    const v = new DataView(b.buffer);
    const big = BigInt.asUintN(64, BigInt(Math.trunc(n)));
    v.setBigUint64(0, big, this.le);
    return b;
  }

  /**
   * Reserves a whole block: header, `fixed` bytes of body (zeroed, filled by the caller at
   * offset 8), options and trailer. Returns the block's start in the output buffer.
   */
  private block(type: number, fixed: number, opts: readonly Option[] | undefined): number {
    let optBytes = 0;
    if (opts && opts.length > 0) {
      for (const [code, value] of opts) {
        if (value.length > 0xffff) throw new RangeError(`pcapng option ${code} holds ${value.length} bytes; at most 65535 fit`);
        optBytes += 4 + pad4(value.length);
      }
      optBytes += 4;
    }
    const length = 12 + fixed + optBytes;
    const at = this.out.reserve(length);
    const bytes = this.out.bytes;
    bytes.fill(0, at, at + length);
    const v = this.out.view;
    v.setUint32(at, type, this.le);
    v.setUint32(at + 4, length, this.le);
    let p = at + 8 + fixed;
    if (opts && opts.length > 0) {
      for (const [code, value] of opts) {
        v.setUint16(p, code, this.le);
        v.setUint16(p + 2, value.length, this.le);
        bytes.set(value, p + 4);
        p += 4 + pad4(value.length);
      }
      p += 4; // opt_endofopt: code 0, length 0, already zero
    }
    v.setUint32(p, length, this.le);
    return at;
  }
}

function checkOptions(options: PcapngWriterOptions | undefined, destination: unknown): PcapngWriterOptions {
  const fn = 'PcapngWriter';
  const o = checkWriterArguments(fn, options, destination, ['hardware', 'os', 'application', 'comments', 'bigEndian', 'end']);
  stringArgument(fn, 'option hardware', o.hardware);
  stringArgument(fn, 'option os', o.os);
  stringArgument(fn, 'option application', o.application);
  stringsArgument(fn, 'option comments', o.comments);
  return o;
}

function checkInterface(iface: PcapngInterfaceOptions): void {
  const fn = 'PcapngWriter.addInterface';
  const o = optionsArgument(fn, iface, 'interface', ['linkType', 'snaplen', 'name', 'description', 'tsresol', 'tsoffset', 'os', 'hardware', 'filter', 'fcslen', 'speed', 'comments']);
  unsignedOption(fn, 'linkType', o.linkType, 16);
  unsignedOption(fn, 'snaplen', o.snaplen, 32);
  unsignedOption(fn, 'tsresol', o.tsresol, 8);
  unsignedOption(fn, 'fcslen', o.fcslen, 8);
  integerArgument(fn, 'option tsoffset', o.tsoffset, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  integerArgument(fn, 'option speed', o.speed, 0, Number.MAX_SAFE_INTEGER, 'give bits per second, e.g. 1e9 for 1 Gbit/s');
  for (const key of ['name', 'description', 'os', 'hardware', 'filter'] as const) stringArgument(fn, `option ${key}`, o[key]);
  stringsArgument(fn, 'option comments', o.comments);
}

function checkPacket(packet: PcapngPacket): void {
  const fn = 'PcapngWriter.write';
  checkPacketFields(fn, packet);
  const id = packet.interfaceId as unknown;
  if (id !== undefined && typeof id !== 'number') throw argumentTypeError(fn, 'packet.interfaceId', 'an id addInterface() returned', id);
  if (packet.comments !== undefined) stringsArgument(fn, 'packet.comments', packet.comments);
  if (packet.flags !== undefined) integerArgument(fn, 'packet.flags', packet.flags, 0, 0xffffffff);
  if (packet.dropCount !== undefined) integerArgument(fn, 'packet.dropCount', packet.dropCount, 0, Number.MAX_SAFE_INTEGER);
  if (!Number.isInteger(packet.seconds) || !Number.isInteger(packet.nanoseconds) || packet.nanoseconds < 0) {
    const bad = Number.isInteger(packet.seconds) ? 'nanoseconds' : 'seconds';
    throw argumentRangeError(fn, `packet.${bad}`, bad === 'seconds' ? 'a whole number of seconds' : 'an integer of at least 0', packet[bad]);
  }
}
