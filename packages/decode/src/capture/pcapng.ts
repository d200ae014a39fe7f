import { u32, u32le } from '../bytes.js';
import { CaptureFileError } from './errors.js';
import { packetView, StepSlot, type FormatParser, type Step } from './format.js';
import { OPT_COMMENT, optionText, readOptions } from './options.js';
import type { CaptureInfo, CaptureInterface, CaptureRecord, CaptureSection } from './record.js';
import { splitTicks, tickUnit, type SplitTime, type TickUnit } from './ticks.js';

/** pcapng block types (the Section Header Block's type reads the same in both byte orders). */
export const PcapngBlock = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 1,
  /** Obsolete Packet Block, written by old tools. */
  PACKET: 2,
  SIMPLE_PACKET: 3,
  NAME_RESOLUTION: 4,
  INTERFACE_STATISTICS: 5,
  ENHANCED_PACKET: 6,
  DECRYPTION_SECRETS: 10,
} as const;

/** The byte-order magic of a Section Header Block, as written by the section's writer. */
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_SWAPPED = 0x4d3c2b1a;

/** Bytes needed to recognise a pcapng file: block type, length, byte-order magic, version. */
export const PCAPNG_PROBE = 16;

/**
 * The largest block accepted: the largest packet Wireshark reads (128 MiB, D-Bus) plus room
 * for options. It bounds what a damaged length field can make the reader buffer.
 */
export const MAX_BLOCK_LENGTH = 128 * 1024 * 1024 + 131072;

const MIN_LENGTH: Record<number, number> = {
  [PcapngBlock.SECTION_HEADER]: 28,
  [PcapngBlock.INTERFACE_DESCRIPTION]: 20,
  [PcapngBlock.PACKET]: 32,
  [PcapngBlock.SIMPLE_PACKET]: 16,
  [PcapngBlock.ENHANCED_PACKET]: 32,
};

const BLOCK_NAME: Record<number, string> = {
  [PcapngBlock.SECTION_HEADER]: 'section header block',
  [PcapngBlock.INTERFACE_DESCRIPTION]: 'interface description block',
  [PcapngBlock.PACKET]: 'packet block',
  [PcapngBlock.SIMPLE_PACKET]: 'simple packet block',
  [PcapngBlock.NAME_RESOLUTION]: 'name resolution block',
  [PcapngBlock.INTERFACE_STATISTICS]: 'interface statistics block',
  [PcapngBlock.ENHANCED_PACKET]: 'enhanced packet block',
  [PcapngBlock.DECRYPTION_SECRETS]: 'decryption secrets block',
};

function blockName(type: number): string {
  return BLOCK_NAME[type] ?? `block of type 0x${type.toString(16).padStart(8, '0')}`;
}

function isPacketBlock(type: number): boolean {
  return type === PcapngBlock.ENHANCED_PACKET || type === PcapngBlock.SIMPLE_PACKET || type === PcapngBlock.PACKET;
}

/**
 * The byte order of a section from its first 12 bytes: true for little-endian, undefined
 * when the byte-order magic is neither.
 */
export function sectionLittleEndian(b: Uint8Array, pos: number): boolean | undefined {
  const bom = u32(b, pos + 8);
  if (bom === PCAPNG_BYTE_ORDER_MAGIC) return false;
  if (bom === BYTE_ORDER_SWAPPED) return true;
  return undefined;
}

interface SectionInterface {
  readonly info: CaptureInterface;
  readonly unit: TickUnit;
}

/** Reads pcapng blocks one at a time, from the first Section Header Block on. */
export class PcapngParser implements FormatParser {
  readonly info: CaptureInfo;
  packets = 0;
  private readonly interfaces: CaptureInterface[] = [];
  private readonly sections: CaptureSection[] = [];
  /** Interfaces of the current section, by their index in it. */
  private current: SectionInterface[] = [];
  private le = true;
  private readonly time: SplitTime = { seconds: 0, nanoseconds: 0 };
  private readonly step = new StepSlot();

  /** `probe` holds at least the first 16 bytes of the file, which start with a Section Header Block. */
  constructor(probe: Uint8Array) {
    const le = sectionLittleEndian(probe, 0);
    if (le === undefined) {
      const found = [...probe.subarray(8, 12)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
      throw new CaptureFileError('NOT_A_CAPTURE', `not a pcapng file: the section header has no valid byte-order magic at byte 8 (${found})`, 8, 0);
    }
    const r16 = (o: number) => (le ? probe[o]! | (probe[o + 1]! << 8) : (probe[o]! << 8) | probe[o + 1]!);
    this.info = {
      format: 'pcapng',
      bigEndian: !le,
      versionMajor: r16(12),
      versionMinor: r16(14),
      interfaces: this.interfaces,
      sections: this.sections,
    };
  }

  private r32(b: Uint8Array, o: number, le = this.le): number {
    return le ? u32le(b, o) : u32(b, o);
  }

  private r16(b: Uint8Array, o: number, le = this.le): number {
    return le ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!;
  }

  /** A 64-bit option value as a number (exact below 2^53). */
  private r64(b: Uint8Array, o: number, le: boolean, signed: boolean): number {
    const lo = this.r32(b, o + (le ? 0 : 4), le);
    const hi = this.r32(b, o + (le ? 4 : 0), le);
    return (signed ? hi | 0 : hi) * 4294967296 + lo;
  }

  /**
   * Type, byte order and total length of the block at `pos` (which has at least 12 bytes),
   * after the checks every block must pass.
   */
  private header(buf: Uint8Array, pos: number, fileOffset: number): { type: number; le: boolean; length: number } {
    let le = this.le;
    const type = this.r32(buf, pos, le);
    if (type === PcapngBlock.SECTION_HEADER) {
      const sectionLe = sectionLittleEndian(buf, pos);
      if (sectionLe === undefined) {
        throw this.corrupt(`the section header block at byte ${fileOffset + pos} has no valid byte-order magic`, fileOffset + pos);
      }
      le = sectionLe;
    }
    const length = this.r32(buf, pos + 4, le);
    const at = fileOffset + pos;
    if (length % 4 !== 0) throw this.corrupt(`the ${blockName(type)} at byte ${at} has a length of ${length}, not a multiple of 4`, at);
    const min = MIN_LENGTH[type] ?? 12;
    if (length < min) throw this.corrupt(`the ${blockName(type)} at byte ${at} has a length of ${length}, less than the minimum of ${min}`, at);
    if (length > MAX_BLOCK_LENGTH) {
      throw this.corrupt(`the ${blockName(type)} at byte ${at} claims ${length} bytes, more than the largest possible (${MAX_BLOCK_LENGTH})`, at);
    }
    return { type, le, length };
  }

  private corrupt(why: string, offset: number): CaptureFileError {
    return new CaptureFileError('CORRUPT', `${why}: the file is damaged`, offset, this.packets);
  }

  need(buf: Uint8Array, pos: number, fileOffset: number): number {
    if (buf.length - pos < 12) return 12;
    return this.header(buf, pos, fileOffset).length;
  }

  next(buf: Uint8Array, pos: number, fileOffset: number): Step | undefined {
    if (buf.length - pos < 12) return undefined;
    const { type, le, length } = this.header(buf, pos, fileOffset);
    if (buf.length - pos < length) return undefined;
    const end = pos + length;
    const trailer = this.r32(buf, end - 4, le);
    if (trailer !== length) {
      throw this.corrupt(`the ${blockName(type)} at byte ${fileOffset + pos} starts with length ${length} but ends with ${trailer}`, fileOffset + pos);
    }
    switch (type) {
      case PcapngBlock.ENHANCED_PACKET:
        return this.step.set(end, this.packet(buf, pos, end, fileOffset, false));
      case PcapngBlock.SIMPLE_PACKET:
        return this.step.set(end, this.simplePacket(buf, pos, end, fileOffset));
      case PcapngBlock.PACKET:
        return this.step.set(end, this.packet(buf, pos, end, fileOffset, true));
      case PcapngBlock.INTERFACE_DESCRIPTION:
        this.interfaceDescription(buf, pos, end);
        return this.step.set(end);
      case PcapngBlock.SECTION_HEADER:
        this.sectionHeader(buf, pos, end, le, fileOffset);
        return this.step.set(end);
      default:
        // Statistics, name resolution, secrets, custom and future blocks carry no packets.
        return this.step.set(end);
    }
  }

  private sectionHeader(buf: Uint8Array, pos: number, end: number, le: boolean, fileOffset: number): void {
    const major = this.r16(buf, pos + 12, le);
    const minor = this.r16(buf, pos + 14, le);
    if (major !== 1) {
      throw new CaptureFileError(
        'UNSUPPORTED',
        `the section header at byte ${fileOffset + pos} is pcapng version ${major}.${minor}; only version 1 is defined`,
        fileOffset + pos,
        this.packets,
      );
    }
    this.le = le;
    this.current = [];
    const section: { -readonly [K in keyof CaptureSection]: CaptureSection[K] } = { bigEndian: !le, versionMajor: major, versionMinor: minor };
    readOptions(buf, pos + 24, end - 4, le, (code, at, len) => {
      if (code === OPT_COMMENT) ((section.comments ??= []) as string[]).push(optionText(buf, at, len));
      else if (code === 2) section.hardware = optionText(buf, at, len);
      else if (code === 3) section.os = optionText(buf, at, len);
      else if (code === 4) section.application = optionText(buf, at, len);
    });
    this.sections.push(section);
  }

  private interfaceDescription(buf: Uint8Array, pos: number, end: number): void {
    const le = this.le;
    const iface: { -readonly [K in keyof CaptureInterface]: CaptureInterface[K] } = {
      id: this.interfaces.length,
      section: Math.max(0, this.sections.length - 1),
      indexInSection: this.current.length,
      linkType: this.r16(buf, pos + 8),
      snaplen: this.r32(buf, pos + 12),
      tsresol: 6,
      tsoffset: 0,
    };
    readOptions(buf, pos + 16, end - 4, le, (code, at, len) => {
      switch (code) {
        case OPT_COMMENT:
          ((iface.comments ??= []) as string[]).push(optionText(buf, at, len));
          break;
        case 2:
          iface.name = optionText(buf, at, len);
          break;
        case 3:
          iface.description = optionText(buf, at, len);
          break;
        case 8:
          if (len >= 8) iface.speed = this.r64(buf, at, le, false);
          break;
        case 9:
          if (len >= 1) iface.tsresol = buf[at]!;
          break;
        case 11:
          if (len >= 1 && buf[at] === 0) iface.filter = optionText(buf, at + 1, len - 1);
          break;
        case 12:
          iface.os = optionText(buf, at, len);
          break;
        case 13:
          if (len >= 1) iface.fcslen = buf[at]!;
          break;
        case 14:
          if (len >= 8) iface.tsoffset = this.r64(buf, at, le, true);
          break;
        case 15:
          iface.hardware = optionText(buf, at, len);
          break;
      }
    });
    this.interfaces.push(iface);
    this.current.push({ info: iface, unit: tickUnit(iface.tsresol) });
  }

  private interfaceOf(index: number, pos: number, fileOffset: number): SectionInterface {
    const iface = this.current[index];
    if (!iface) {
      throw this.corrupt(
        `packet ${this.packets + 1} at byte ${fileOffset + pos} refers to interface ${index}, but its section describes ${this.current.length}`,
        fileOffset + pos,
      );
    }
    return iface;
  }

  /** Enhanced and obsolete packet blocks: the same layout but for a 16-bit interface index and drop count in the latter. */
  private packet(buf: Uint8Array, pos: number, end: number, fileOffset: number, obsolete: boolean): CaptureRecord {
    const dataAt = 28;
    const ifIndex = obsolete ? this.r16(buf, pos + 8) : this.r32(buf, pos + 8);
    const iface = this.interfaceOf(ifIndex, pos, fileOffset);
    const caplen = this.r32(buf, pos + 20);
    const room = end - 4 - (pos + dataAt);
    if (caplen > room) {
      throw this.corrupt(`packet ${this.packets + 1} at byte ${fileOffset + pos} claims ${caplen} captured bytes in a block with room for ${room}`, fileOffset + pos);
    }
    const t = splitTicks(this.r32(buf, pos + 12), this.r32(buf, pos + 16), iface.unit, this.time);
    const dataStart = pos + dataAt;
    const optionsAt = dataStart + ((caplen + 3) & ~3);
    let comments: string[] | undefined;
    let flags: number | undefined;
    let dropCount: number | undefined;
    if (optionsAt + 4 <= end - 4) {
      const le = this.le;
      readOptions(buf, optionsAt, end - 4, le, (code, at, len) => {
        if (code === OPT_COMMENT) (comments ??= []).push(optionText(buf, at, len));
        else if (code === 2 && len >= 4) flags = this.r32(buf, at);
        else if (code === 4 && len >= 8) dropCount = this.r64(buf, at, le, false);
      });
    }
    if (obsolete) dropCount ??= this.r16(buf, pos + 10);
    this.packets++;
    return {
      seconds: t.seconds + iface.info.tsoffset,
      nanoseconds: t.nanoseconds,
      capturedLength: caplen,
      originalLength: this.r32(buf, pos + 24),
      linkType: iface.info.linkType,
      interfaceId: iface.info.id,
      data: packetView(buf, dataStart, caplen),
      number: this.packets,
      comments,
      flags,
      dropCount,
    };
  }

  private simplePacket(buf: Uint8Array, pos: number, end: number, fileOffset: number): CaptureRecord {
    const iface = this.interfaceOf(0, pos, fileOffset);
    const originalLength = this.r32(buf, pos + 8);
    const snaplen = iface.info.snaplen;
    const caplen = snaplen !== 0 && originalLength > snaplen ? snaplen : originalLength;
    const room = end - 4 - (pos + 12);
    if (caplen > room) {
      throw this.corrupt(
        `simple packet block ${this.packets + 1} at byte ${fileOffset + pos} has room for ${room} bytes but its packet holds ${caplen}`,
        fileOffset + pos,
      );
    }
    this.packets++;
    return {
      seconds: 0,
      nanoseconds: 0,
      noTimestamp: true,
      capturedLength: caplen,
      originalLength,
      linkType: iface.info.linkType,
      interfaceId: iface.info.id,
      data: packetView(buf, pos + 12, caplen),
      number: this.packets,
    };
  }

  describeCut(buf: Uint8Array, pos: number, fileOffset: number): string {
    const have = buf.length - pos;
    const at = fileOffset + pos;
    if (have < 8) return `file ends inside a block header at byte ${at}: ${have} of at least 12 bytes present`;
    const type = this.r32(buf, pos);
    let length = this.r32(buf, pos + 4);
    if (type === PcapngBlock.SECTION_HEADER) {
      const le = have >= 12 ? sectionLittleEndian(buf, pos) : undefined;
      if (le === undefined) return `file ends inside a section header block at byte ${at}: ${have} of at least 28 bytes present`;
      length = this.r32(buf, pos + 4, le);
    }
    const what = isPacketBlock(type) ? `packet ${this.packets + 1}'s ${blockName(type)}` : `a ${blockName(type)}`;
    return `file ends inside ${what} at byte ${at}: ${have} of ${Math.max(length, 12)} bytes present`;
  }
}
