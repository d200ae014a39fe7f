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
  /**
   * The bytes from `start` to `end`, as the scan read them: a view at the start of its own
   * buffer (of which the slice is the only user) or after room for the prefix, so that the
   * printer reads nothing again.
   */
  readonly bytes: Uint8Array;
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

/** Bytes read from the file at a time. */
const READ = 1 << 18;
/** Classic pcap records are refused past this by every reader. */
const MAX_RECORD = 128 * 1024 * 1024;
/** Buffers of printed slices kept for reuse: as many as can be on their way at once. */
const MAX_SPARE = 16;

/**
 * Cuts a capture file into slices of whole records, reading the file once: each slice
 * leaves with the bytes read for it, in a buffer of its own. The scan is a guide, not a
 * check: it stops at anything it does not expect (a damaged length, a cut record, a second
 * pcapng section, another format) and leaves the rest to the sequential reader, which
 * reports damage exactly; `next` then says which record that reader must start printing
 * from.
 */
export class SliceScanner {
  /** Number of the first record no slice covers. */
  next = 1;
  /** True once every record of the file is in a slice. */
  complete = false;
  private readonly fd: number;
  private readonly size: number;
  // The bytes read since the slice being filled started: file offset `bufAt` is at
  // `buf[base]`, and the bytes up to file offset `bufEnd` are in.
  private buf = new Uint8Array(0);
  private base = 0;
  private bufAt = 0;
  private bufEnd = 0;
  // Buffers of slices printed, to be filled again.
  private readonly spare: ArrayBuffer[] = [];

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

  /** Takes back the buffer of a slice's `bytes` once the slice is printed. */
  giveBack(buffer: ArrayBuffer): void {
    if (this.spare.length < MAX_SPARE) this.spare.push(buffer);
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
      // A record cut by the end of the file is left to the reader, which reports it.
      if (caplen > MAX_RECORD || pos + header + caplen > this.size) return undefined;
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
    const slice = (): Slice => ({ prefix, start, end: pos, first, count, bytes: this.handOver(start, pos, prefix.length) });
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

  /** `length` bytes at `at`, read on to them where need be. */
  private bytes(at: number, length: number): Uint8Array {
    this.cover(at, length);
    const from = this.base + at - this.bufAt;
    return this.buf.subarray(from, from + length);
  }

  /** Reads on until the buffer holds the `length` bytes at `at` (which the scan reaches going forward). */
  private cover(at: number, length: number): void {
    const end = at + length;
    if (at >= this.bufAt && end <= this.bufEnd) return;
    if (at < this.bufAt) throw new Error(`the scan went back to byte ${at}`);
    if (end > this.size) throw new Error(`the scan read past the end of the file, at byte ${end}`);
    if (this.base + end - this.bufAt > this.buf.length) this.resize(Math.max(2 * this.buf.length, this.base + end - this.bufAt + READ));
    while (this.bufEnd < end) {
      const room = this.buf.length - (this.base + this.bufEnd - this.bufAt);
      const n = Math.min(room, this.size - this.bufEnd, Math.max(READ, end - this.bufEnd));
      const at0 = this.base + this.bufEnd - this.bufAt;
      readFully(this.fd, this.buf.subarray(at0, at0 + n), this.bufEnd);
      this.bufEnd += n;
    }
  }

  /** The bytes from `start` to `end`, handed over with the buffer; what was read past them moves to another buffer, after room for `room` bytes. */
  private handOver(start: number, end: number, room: number): Uint8Array {
    if (end > start) this.cover(end - 1, 1);
    const from = this.base + start - this.bufAt;
    const bytes = this.buf.subarray(from, from + end - start);
    const ahead = this.bufEnd - end;
    const need = room + Math.max(this.options.sliceBytes, ahead) + 2 * READ;
    let buffer: ArrayBuffer | undefined;
    while ((buffer = this.spare.pop()) !== undefined && buffer.byteLength < need);
    const next = new Uint8Array(buffer ?? new ArrayBuffer(need));
    const past = this.base + end - this.bufAt;
    next.set(this.buf.subarray(past, past + ahead), room);
    this.buf = next;
    this.base = room;
    this.bufAt = end;
    return bytes;
  }

  /** Makes the buffer `length` bytes long, keeping what it holds. */
  private resize(length: number): void {
    const bigger = new Uint8Array(length);
    bigger.set(this.buf.subarray(0, this.base + this.bufEnd - this.bufAt));
    this.buf = bigger;
  }

  /** The 32-bit number at `at`: the walk reads one or two per record. */
  private u32(at: number, le: boolean): number {
    this.cover(at, 4);
    const b = this.buf;
    const i = this.base + at - this.bufAt;
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
