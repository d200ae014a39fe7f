/** What went wrong with a capture file. */
export type CaptureFileErrorCode =
  /** The bytes are not a pcap or pcapng file. */
  | 'NOT_A_CAPTURE'
  /** The file ends in the middle of a header or record. */
  | 'TRUNCATED'
  /** A header or record holds an impossible value (e.g. a record larger than any snaplen). */
  | 'CORRUPT'
  /** A valid file in a variant this reader does not handle. */
  | 'UNSUPPORTED';

/**
 * A capture file that cannot be read (further). Thrown by the readers after every whole
 * packet before the damage has been yielded.
 *
 * ```ts
 * try { for await (const r of readCapture('cut.pcap')) count++; }
 * catch (e) { if (e instanceof CaptureFileError && e.code === 'TRUNCATED') console.log(e.message); }
 * // "file ends inside packet 4's record at byte 1310: 60 of 74 bytes present"
 * ```
 */
export class CaptureFileError extends Error {
  override readonly name = 'CaptureFileError';
  constructor(
    readonly code: CaptureFileErrorCode,
    message: string,
    /** Byte offset in the file where the problem starts. */
    readonly offset: number,
    /** Whole packets read before it. */
    readonly packetsRead: number,
  ) {
    super(message);
  }
}

/** A short description of what some bytes look like, for "not a capture file" errors. */
export function describeMagic(b: Uint8Array): string {
  if (b.length === 0) return 'the file is empty';
  const hex = [...b.subarray(0, 4)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
  if (b[0] === 0x1f && b[1] === 0x8b) return `it starts with ${hex}, a gzip stream: decompress it first`;
  if (b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return `it starts with ${hex}, a zstd stream: decompress it first`;
  if (b[0] === 0x50 && b[1] === 0x4b) return `it starts with ${hex}, a zip archive`;
  const text = [...b.subarray(0, 16)].every((x) => (x >= 0x20 && x < 0x7f) || x === 0x0a || x === 0x0d || x === 0x09);
  if (text) {
    const s = new TextDecoder().decode(b.subarray(0, 16)).replace(/\s+/g, ' ').trim();
    return `it starts with text ("${s}")`;
  }
  return `its first bytes are ${hex}, which is no pcap or pcapng magic number`;
}
