import { CaptureFileError } from './errors.js';
import { packetView, StepSlot, type FormatParser, type Step } from './format.js';
import type { CaptureInfo } from './record.js';

/** Magic numbers of classic pcap, as read big-endian from the first four bytes. */
export const PcapMagic = {
  MICRO: 0xa1b2c3d4,
  NANO: 0xa1b23c4d,
  /** Alexey Kuznetsov's "modified" format: 8 more bytes per record header. */
  MODIFIED: 0xa1b2cd34,
} as const;

const MICRO_SWAPPED = 0xd4c3b2a1;
const NANO_SWAPPED = 0x4d3cb2a1;
const MODIFIED_SWAPPED = 0x34cdb2a1;

/** libpcap refuses records larger than this unless the snaplen is larger still. */
const MAX_SNAPLEN = 262144;

/** Wireshark's largest packet (D-Bus); bounds what a damaged snaplen can make the reader buffer. */
const MAX_RECORD = 128 * 1024 * 1024;

/** True when the first four bytes are a classic pcap magic number in either byte order. */
export function isPcapMagic(m: number): boolean {
  return (
    m === PcapMagic.MICRO || m === PcapMagic.NANO || m === PcapMagic.MODIFIED || m === MICRO_SWAPPED || m === NANO_SWAPPED || m === MODIFIED_SWAPPED
  );
}

/** Reads a classic pcap file after its 24-byte header. */
export class PcapParser implements FormatParser {
  readonly info: CaptureInfo;
  packets = 0;
  private readonly le: boolean;
  private readonly nano: boolean;
  private readonly recordHeader: number;
  private readonly linkType: number;
  private readonly maxRecord: number;
  private lastBuf: Uint8Array | undefined;
  private lastView: DataView | undefined;
  private readonly step = new StepSlot();

  /** `header` holds at least the 24-byte file header. */
  constructor(header: Uint8Array) {
    const dv = new DataView(header.buffer, header.byteOffset, 24);
    const magic = dv.getUint32(0, false);
    const swapped = magic === MICRO_SWAPPED || magic === NANO_SWAPPED || magic === MODIFIED_SWAPPED;
    this.le = swapped;
    this.nano = magic === PcapMagic.NANO || magic === NANO_SWAPPED;
    this.recordHeader = magic === PcapMagic.MODIFIED || magic === MODIFIED_SWAPPED ? 24 : 16;
    const snaplen = dv.getUint32(16, this.le);
    const network = dv.getUint32(20, this.le);
    // The upper bits of the link-type word carry FCS information, not the link type.
    this.linkType = network & 0x03ffffff;
    this.maxRecord = Math.min(Math.max(snaplen, MAX_SNAPLEN), MAX_RECORD);
    this.info = {
      format: 'pcap',
      bigEndian: !this.le,
      precision: this.nano ? 'nano' : 'micro',
      versionMajor: dv.getUint16(4, this.le),
      versionMinor: dv.getUint16(6, this.le),
      snaplen,
      linkType: this.linkType,
    };

  }

  next(buf: Uint8Array, pos: number, fileOffset: number): Step | undefined {
    const h = this.recordHeader;
    if (buf.length - pos < h) return undefined;
    const dv = this.view(buf);
    const caplen = dv.getUint32(pos + 8, this.le);
    if (caplen > this.maxRecord) {
      throw new CaptureFileError(
        'CORRUPT',
        `packet ${this.packets + 1} at byte ${fileOffset + pos} claims ${caplen} captured bytes, more than the largest possible (${this.maxRecord}): the file is damaged`,
        fileOffset + pos,
        this.packets,
      );
    }
    const end = pos + h + caplen;
    if (buf.length < end) return undefined;
    const frac = dv.getUint32(pos + 4, this.le);
    this.packets++;
    return this.step.set(end, {
      seconds: dv.getUint32(pos, this.le),
      nanoseconds: this.nano ? frac : frac * 1000,
      capturedLength: caplen,
      originalLength: dv.getUint32(pos + 12, this.le),
      linkType: this.linkType,
      interfaceId: undefined,
      data: packetView(buf, pos + h, caplen),
      number: this.packets,
    });
  }

  need(buf: Uint8Array, pos: number): number {
    if (buf.length - pos < this.recordHeader) return this.recordHeader;
    return this.recordHeader + this.view(buf).getUint32(pos + 8, this.le);
  }

  /** A DataView of `b`, made once per buffer rather than once per record. */
  private view(b: Uint8Array): DataView {
    if (b !== this.lastBuf) {
      this.lastBuf = b;
      this.lastView = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    return this.lastView!;
  }

  describeCut(buf: Uint8Array, pos: number, fileOffset: number): string {
    const have = buf.length - pos;
    const n = this.packets + 1;
    if (have < this.recordHeader) {
      return `file ends inside packet ${n}'s record header at byte ${fileOffset + pos}: ${have} of ${this.recordHeader} bytes present`;
    }
    const caplen = this.view(buf).getUint32(pos + 8, this.le);
    return `file ends inside packet ${n}'s data at byte ${fileOffset + pos}: ${have - this.recordHeader} of ${caplen} bytes present`;
  }
}
