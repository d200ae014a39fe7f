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
    const head = this.bytes(0, 4);
    const magic = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
    if (magic === PcapngBlock.SECTION_HEADER) yield* this.pcapng();
    else yield* this.pcap(magic);
  }

  private *pcap(magic: number): Generator<Slice> {
    const swapped = ((magic & 0xff) << 24) | ((magic & 0xff00) << 8) | ((magic >>> 8) & 0xff00) | (magic >>> 24);
    let le: boolean;
    if (magic === PcapMagic.MICRO || magic === PcapMagic.NANO || magic === PcapMagic.MODIFIED) le = false;
    else if (swapped >>> 0 === PcapMagic.MICRO || swapped >>> 0 === PcapMagic.NANO || swapped >>> 0 === PcapMagic.MODIFIED) le = true;
    else return;
    const modified = magic === PcapMagic.MODIFIED || swapped >>> 0 === PcapMagic.MODIFIED;
    const header = modified ? 24 : 16;
    const prefix = this.bytes(0, 24).slice();
    yield* this.walk(24, prefix, (pos) => {
      if (pos + header > this.size) return -1;
      const caplen = this.u32(pos + 8, le);
      return caplen > MAX_RECORD ? -1 : pos + header + caplen;
    });
  }

  private *pcapng(): Generator<Slice> {
    // The section's byte order, from its byte-order magic.
    const bom = this.bytes(8, 4);
    const le = bom[0] === 0x4d && bom[1] === 0x3c && bom[2] === 0x2b && bom[3] === 0x1a;
    if (!le && !(bom[0] === 0x1a && bom[1] === 0x2b && bom[2] === 0x3c && bom[3] === 0x4d)) return;
    const shbLength = this.u32(4, le);
    if (shbLength < 28 || shbLength % 4 !== 0 || shbLength > PCAPNG_MAX_BLOCK_LENGTH || shbLength > this.size) return;
    let prefix = this.bytes(0, shbLength).slice();
    yield* this.walk(shbLength, () => prefix, (pos, cut) => {
      if (pos + 12 > this.size) return -1;
      const type = this.u32(pos, le);
      const length = this.u32(pos + 4, le);
      if (length < 12 || length % 4 !== 0 || length > PCAPNG_MAX_BLOCK_LENGTH || pos + length > this.size) return -1;
      // A second section restarts byte order and interface numbering: left to the reader.
      if (type === PcapngBlock.SECTION_HEADER) return -1;
      if (type === PcapngBlock.INTERFACE_DESCRIPTION) {
        // Slices after it need it in their prefix; the slice being filled ends before it.
        cut();
        const grown = new Uint8Array(prefix.length + length);
        grown.set(prefix);
        grown.set(this.bytes(pos, length), prefix.length);
        prefix = grown;
        return -(pos + length) - 2;
      }
      const packet = type === PcapngBlock.ENHANCED_PACKET || type === PcapngBlock.SIMPLE_PACKET || type === PcapngBlock.PACKET;
      return packet ? pos + length : -(pos + length) - 2;
    });
  }

  /**
   * Walks records from `pos`. `step` returns where the record at `pos` ends, -1 to stop the
   * scan, or -(end) - 2 for a block that is not a record (skipped into the current slice,
   * or, after `cut`, out of every slice).
   */
  private *walk(
    pos: number,
    prefix: Uint8Array | (() => Uint8Array),
    step: (pos: number, cut: () => void) => number,
  ): Generator<Slice> {
    const { sliceBytes, limit } = this.options;
    const prefixOf = typeof prefix === 'function' ? prefix : () => prefix;
    let start = pos;
    let first = 1;
    let count = 0;
    let pending: Slice | undefined;
    const cut = (): void => {
      if (count > 0) pending = { prefix: prefixOf(), start, end: pos, first, count };
      first += count;
      count = 0;
    };
    while (first + count <= limit) {
      if (pos === this.size) {
        this.complete = true;
        break;
      }
      const end = step(pos, cut);
      if (pending) {
        yield pending;
        pending = undefined;
      }
      if (end === -1) break;
      if (end < -1) {
        pos = -end - 2;
        if (count === 0) start = pos;
        continue;
      }
      pos = end;
      count++;
      if (pos - start >= sliceBytes) {
        yield { prefix: prefixOf(), start, end: pos, first, count };
        this.options.progress?.(pos);
        first += count;
        count = 0;
        start = pos;
      }
    }
    if (count > 0) yield { prefix: prefixOf(), start, end: pos, first, count };
    this.next = first + count;
  }

  /** `length` bytes at `at`, from the window (read again around `at` when it falls outside). */
  private bytes(at: number, length: number): Uint8Array {
    if (at < this.windowAt || at + length > this.windowAt + this.windowLength) {
      if (length > WINDOW) {
        const own = new Uint8Array(length);
        readFully(this.fd, own, at);
        return own;
      }
      this.windowAt = at;
      this.windowLength = Math.min(WINDOW, this.size - at);
      readFully(this.fd, this.window.subarray(0, this.windowLength), at);
    }
    return this.window.subarray(at - this.windowAt, at - this.windowAt + length);
  }

  private u32(at: number, le: boolean): number {
    const b = this.bytes(at, 4);
    return le ? (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0 : ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
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
