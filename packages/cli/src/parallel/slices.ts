import { PcapMagic, PcapngBlock, PCAPNG_MAX_BLOCK_LENGTH } from '@pcap/decode';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * A run of whole records of a capture file that a thread can parse on its own: the bytes
 * from `start` to `end`, preceded by `prefix` (the file header of a pcap file; the section
 * header and every interface block before `start` of a pcapng file).
 */
export interface Slice {
  readonly prefix: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** Number of the slice's first record in the file (from 1). */
  readonly first: number;
  /** Records in the slice. */
  readonly count: number;
}

/** How a scan cut the file, and where it stopped. */
export interface SliceOptions {
  /** Bytes of records per slice (a slice ends at the first record boundary past it). */
  readonly sliceBytes: number;
  /** Records to cover at most (`pcap read -c`). */
  readonly limit: number;
  /** Called with the scan position as it moves, for a progress bar. */
  readonly progress?: (bytes: number) => void;
}

/** What a block of the file is to the scan: one object, refilled for every block (a file has millions). */
interface Step {
  /** Where the block ends. */
  end: number;
  block: 'record' | 'interface' | 'other';
}

/** Byte order and record header length of each classic pcap magic, as read big-endian. */
const PCAP_LAYOUTS = new Map<number, [littleEndian: boolean, recordHeader: number]>([
  [PcapMagic.MICRO, [false, 16]],
  [PcapMagic.NANO, [false, 16]],
  [PcapMagic.MODIFIED, [false, 24]],
  [0xd4c3b2a1, [true, 16]],
  [0x4d3cb2a1, [true, 16]],
  [0x34cdb2a1, [true, 24]],
]);

/** The pcapng byte-order magic, as read big-endian from a big- and from a little-endian section. */
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const PCAPNG_BYTE_ORDER_SWAPPED = 0x4d3c2b1a;

/** Bytes read per look at the file; record headers are found within them. */
const WINDOW = 1 << 20;
/** Classic pcap records are refused past this by every reader. */
const MAX_RECORD = 128 * 1024 * 1024;

/**
 * Cuts a capture file into slices of whole records by reading only what it needs to find
 * the records' lengths. The scan is a guide, not a check: it stops at anything it does not
 * expect (a damaged length, a cut record, a second pcapng section, another format) and
 * leaves the rest to the sequential reader, which reports damage exactly; `next` then says
 * which record that reader must start printing from.
 */
export class SliceScanner {
  /** Number of the first record no slice covers. */
  next = 1;
  /** True once every record of the file is in a slice. */
  complete = false;
  private readonly fd: number;
  private readonly size: number;
  private readonly window = new Uint8Array(WINDOW);
  // File offset of window[0] and the number of bytes it holds.
  private windowAt = 0;
  private windowLength = 0;

  constructor(
    path: string,
    private readonly options: SliceOptions,
  ) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    closeSync(this.fd);
  }

  *slices(): Generator<Slice> {
    if (this.size < 24) return;
    const magic = this.u32(0, false);
    if (magic === PcapngBlock.SECTION_HEADER) yield* this.pcapng();
    else yield* this.pcap(magic);
  }

  private *pcap(magic: number): Generator<Slice> {
    const layout = PCAP_LAYOUTS.get(magic);
    if (!layout) return;
    const [le, header] = layout;
    const step: Step = { end: 0, block: 'record' };
    yield* this.walk(24, this.bytes(0, 24).slice(), (pos) => {
      if (pos + header > this.size) return undefined;
      const caplen = this.u32(pos + 8, le);
      if (caplen > MAX_RECORD) return undefined;
      step.end = pos + header + caplen;
      return step;
    });
  }

  private *pcapng(): Generator<Slice> {
    // The section's byte order, from its byte-order magic.
    const bom = this.u32(8, false);
    if (bom !== PCAPNG_BYTE_ORDER && bom !== PCAPNG_BYTE_ORDER_SWAPPED) return;
    const le = bom === PCAPNG_BYTE_ORDER_SWAPPED;
    const shbLength = this.u32(4, le);
    if (shbLength < 28 || shbLength % 4 !== 0 || shbLength > PCAPNG_MAX_BLOCK_LENGTH || shbLength > this.size) return;
    const step: Step = { end: 0, block: 'record' };
    yield* this.walk(shbLength, this.bytes(0, shbLength).slice(), (pos) => {
      if (pos + 12 > this.size) return undefined;
      const type = this.u32(pos, le);
      const length = this.u32(pos + 4, le);
      if (length < 12 || length % 4 !== 0 || length > PCAPNG_MAX_BLOCK_LENGTH || pos + length > this.size) return undefined;
      // A second section restarts byte order and interface numbering: left to the reader.
      if (type === PcapngBlock.SECTION_HEADER) return undefined;
      step.end = pos + length;
      const packet = type === PcapngBlock.ENHANCED_PACKET || type === PcapngBlock.SIMPLE_PACKET || type === PcapngBlock.PACKET;
      step.block = type === PcapngBlock.INTERFACE_DESCRIPTION ? 'interface' : packet ? 'record' : 'other';
      return step;
    });
  }

  /**
   * Walks records from `pos`, `step` saying where each block ends and what it is, or
   * undefined to stop the scan. Interface blocks go into the prefix of the slices after them
   * (the slice being filled ends before one); other blocks that are not records stay inside
   * the slice they fall in, for its parser to skip.
   */
  private *walk(pos: number, prefix: Uint8Array, step: (pos: number) => Step | undefined): Generator<Slice> {
    const { sliceBytes, limit } = this.options;
    let start = pos;
    let first = 1;
    let count = 0;
    const slice = (): Slice => ({ prefix, start, end: pos, first, count });
    while (first + count <= limit) {
      if (pos === this.size) {
        this.complete = true;
        break;
      }
      const s = step(pos);
      if (!s) break;
      if (s.block === 'interface') {
        if (count > 0) yield slice();
        first += count;
        count = 0;
        const grown = new Uint8Array(prefix.length + s.end - pos);
        grown.set(prefix);
        grown.set(this.bytes(pos, s.end - pos), prefix.length);
        prefix = grown;
        pos = start = s.end;
        continue;
      }
      pos = s.end;
      if (s.block === 'other') {
        if (count === 0) start = pos;
        continue;
      }
      count++;
      if (pos - start >= sliceBytes) {
        yield slice();
        this.options.progress?.(pos);
        first += count;
        count = 0;
        start = pos;
      }
    }
    if (count > 0) yield slice();
    this.next = first + count;
  }

  /** `length` bytes at `at`, from the window (read again around `at` when it falls outside). */
  private bytes(at: number, length: number): Uint8Array {
    if (length > WINDOW) {
      const own = new Uint8Array(length);
      readFully(this.fd, own, at);
      return own;
    }
    this.cover(at, length);
    return this.window.subarray(at - this.windowAt, at - this.windowAt + length);
  }

  /** Makes the window hold `length` (at most WINDOW) bytes at `at`. */
  private cover(at: number, length: number): void {
    if (at >= this.windowAt && at + length <= this.windowAt + this.windowLength) return;
    this.windowAt = at;
    this.windowLength = Math.min(WINDOW, this.size - at);
    readFully(this.fd, this.window.subarray(0, this.windowLength), at);
  }

  /** The 32-bit number at `at`, read in the window itself: the walk reads one or two per record. */
  private u32(at: number, le: boolean): number {
    this.cover(at, 4);
    const b = this.window;
    const i = at - this.windowAt;
    return le ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0 : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }
}

/** Fills `into` from the file at `at` (a read may return less than asked). */
export function readFully(fd: number, into: Uint8Array, at: number): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, at + done);
    if (n === 0) throw new Error(`the file ended ${into.length - done} bytes early (it changed while being read)`);
    done += n;
  }
}
