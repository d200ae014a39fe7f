import { u32 } from '../bytes.js';
import { CaptureFileError, describeMagic } from './errors.js';
import type { FormatParser } from './format.js';
import { isPcapMagic, PcapParser } from './pcap.js';
import { PCAPNG_PROBE, PcapngBlock, PcapngParser } from './pcapng.js';

/** Bytes the file header of each format takes before the first record. */
const PCAP_HEADER = 24;

/** What a file's first bytes open: its parser and where its first step starts. */
export interface Opened {
  readonly parser: FormatParser;
  readonly headerLength: number;
}

/** Bytes `openFormat` needs before it can decide, for the magic number at the start of `buf`. */
export function probeLength(buf: Uint8Array): number {
  if (buf.length < 4) return 4;
  return u32(buf, 0) === PcapngBlock.SECTION_HEADER ? PCAPNG_PROBE : PCAP_HEADER;
}

/**
 * Recognises the format from the file's first bytes. Returns undefined when more bytes are
 * needed; throws `CaptureFileError('NOT_A_CAPTURE')` naming what was found otherwise.
 */
export function openFormat(buf: Uint8Array, final: boolean): Opened | undefined {
  if (buf.length < 4) {
    if (!final) return undefined;
    throw new CaptureFileError('NOT_A_CAPTURE', `not a capture file: ${describeMagic(buf)}`, 0, 0);
  }
  const magic = u32(buf, 0);
  if (isPcapMagic(magic)) {
    if (buf.length < PCAP_HEADER) {
      if (!final) return undefined;
      throw new CaptureFileError('TRUNCATED', `file ends inside the pcap file header: ${buf.length} of ${PCAP_HEADER} bytes present`, 0, 0);
    }
    return { parser: new PcapParser(buf), headerLength: PCAP_HEADER };
  }
  if (magic === PcapngBlock.SECTION_HEADER) {
    if (buf.length < PCAPNG_PROBE) {
      if (!final) return undefined;
      throw new CaptureFileError(
        'TRUNCATED',
        `file ends inside the pcapng section header block: ${buf.length} of at least 28 bytes present`,
        0,
        0,
      );
    }
    // The section header is read again as the parser's first block.
    return { parser: new PcapngParser(buf), headerLength: 0 };
  }
  // What the file is instead is told from its first 16 bytes: wait for them, so that a
  // stream names it as the whole file does, whatever its chunks.
  if (!final && buf.length < 16) return undefined;
  throw new CaptureFileError('NOT_A_CAPTURE', `not a pcap or pcapng file: ${describeMagic(buf)}`, 0, 0);
}
