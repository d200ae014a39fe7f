/**
 * One packet record of a capture file.
 *
 * `data` is a view of the bytes read from the file; the reader never reuses that memory,
 * so a record may be kept for as long as needed.
 */
export interface CaptureRecord {
  /** Whole seconds since 1970-01-01 UTC. */
  readonly seconds: number;
  /** Nanoseconds after `seconds` (as stored: a malformed file may hold 1e9 or more). */
  readonly nanoseconds: number;
  /** Bytes captured (the length of `data`). */
  readonly capturedLength: number;
  /** Length of the packet on the wire. */
  readonly originalLength: number;
  /** LINKTYPE_ value of the packet's interface. */
  readonly linkType: number;
  /** pcapng interface index (numbered across sections); undefined in classic pcap files. */
  readonly interfaceId: number | undefined;
  /** The packet bytes. */
  readonly data: Uint8Array;
  /** 1-based position of the packet in the file. */
  readonly number: number;
  /** pcapng packet comments, if any. */
  readonly comments?: readonly string[];
}

/** What the file says about itself before its first packet. */
export interface CaptureInfo {
  readonly format: 'pcap' | 'pcapng';
  /** True when the file's byte order differs from the host's writing order (big-endian for pcap written on x86). */
  readonly bigEndian: boolean;
  /** Timestamp resolution of classic pcap files: 'micro' or 'nano'. */
  readonly precision?: 'micro' | 'nano';
  readonly versionMajor: number;
  readonly versionMinor: number;
  /** Snapshot length of a classic pcap file. */
  readonly snaplen?: number;
  /** LINKTYPE_ of a classic pcap file. */
  readonly linkType?: number;
}

/** Microseconds since the epoch as a number (loses sub-microsecond precision). */
export function recordTimeMicros(r: CaptureRecord): number {
  return r.seconds * 1e6 + Math.floor(r.nanoseconds / 1000);
}

/** Nanoseconds since the epoch, exactly. */
export function recordTimeNanos(r: CaptureRecord): bigint {
  return BigInt(r.seconds) * 1_000_000_000n + BigInt(r.nanoseconds);
}

/** `S.NNNNNNNNN`, as tshark prints frame.time_epoch. */
export function formatEpoch(seconds: number, nanoseconds: number): string {
  const extra = Math.floor(nanoseconds / 1e9);
  return `${seconds + extra}.${String(nanoseconds % 1e9).padStart(9, '0')}`;
}
