import { decimal, nineDigits } from '../bytes.js';
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
  /**
   * True for a pcapng Simple Packet Block, which stores no time: `seconds` and `nanoseconds`
   * are then 0 and tshark prints an empty frame.time_epoch.
   */
  readonly noTimestamp?: boolean;
  /** pcapng packet comments (`opt_comment`), if any. */
  readonly comments?: readonly string[];
  /** pcapng `epb_flags` (direction, reception type, FCS length, link-layer errors), if present. */
  readonly flags?: number;
  /** pcapng `epb_dropcount`: packets lost between this one and the one before, if present. */
  readonly dropCount?: number;
}

/** One pcapng interface (Interface Description Block). */
export interface CaptureInterface {
  /** Index in `CaptureInfo.interfaces`; equals the `interfaceId` of its packets. Numbering continues across sections. */
  readonly id: number;
  /** 0-based index of the section (Section Header Block) the interface belongs to. */
  readonly section: number;
  /** Index of the interface within its section, as the section's packet blocks refer to it. */
  readonly indexInSection: number;
  /** LINKTYPE_ of the interface's packets. */
  readonly linkType: number;
  /** Snapshot length; 0 means no limit. */
  readonly snaplen: number;
  /** `if_name`, e.g. `eth0`. */
  readonly name?: string;
  /** `if_description`. */
  readonly description?: string;
  /**
   * `if_tsresol` as stored: a value below 128 means 10^-value seconds per tick, otherwise
   * 2^-(value & 127). 6 (microseconds) when the option is absent.
   */
  readonly tsresol: number;
  /** `if_tsoffset`: seconds added to every timestamp of the interface (0 when absent). */
  readonly tsoffset: number;
  /** `if_os`. */
  readonly os?: string;
  /** `if_hardware`. */
  readonly hardware?: string;
  /** `if_filter` text (the filter type byte dropped), when it is a libpcap filter string. */
  readonly filter?: string;
  /** `if_fcslen`: bytes of frame check sequence at the end of each packet. */
  readonly fcslen?: number;
  /** `if_speed` in bits per second. */
  readonly speed?: number;
  /** `opt_comment` values of the interface. */
  readonly comments?: readonly string[];
}

/** One pcapng section (Section Header Block). */
export interface CaptureSection {
  /** True when the section is written big-endian. */
  readonly bigEndian: boolean;
  readonly versionMajor: number;
  readonly versionMinor: number;
  /** `shb_hardware`. */
  readonly hardware?: string;
  /** `shb_os`. */
  readonly os?: string;
  /** `shb_userappl`: the application that wrote the section. */
  readonly application?: string;
  /** `opt_comment` values of the section. */
  readonly comments?: readonly string[];
}

/** What the file says about itself before its first packet. */
export interface CaptureInfo {
  readonly format: 'pcap' | 'pcapng';
  /** True when the file (its first section, for pcapng) is written big-endian. */
  readonly bigEndian: boolean;
  /** Timestamp resolution of classic pcap files: 'micro' or 'nano'. */
  readonly precision?: 'micro' | 'nano';
  readonly versionMajor: number;
  readonly versionMinor: number;
  /** Snapshot length of a classic pcap file. */
  readonly snaplen?: number;
  /** LINKTYPE_ of a classic pcap file. */
  readonly linkType?: number;
  /**
   * pcapng: every interface read so far, of every section, indexed by `CaptureRecord.interfaceId`.
   * The list grows while the file is read (an interface may be described anywhere before its packets).
   */
  readonly interfaces?: readonly CaptureInterface[];
  /** pcapng: every section read so far; `bigEndian` and the versions above are the first section's. */
  readonly sections?: readonly CaptureSection[];
}

/** Microseconds since the epoch as a number (loses sub-microsecond precision). */
export function recordTimeMicros(r: CaptureRecord): number {
  return r.seconds * 1e6 + Math.floor(r.nanoseconds / 1000);
}

/** Nanoseconds since the epoch, exactly. */
export function recordTimeNanos(r: CaptureRecord): bigint {
  return BigInt(r.seconds) * 1_000_000_000n + BigInt(r.nanoseconds);
}

// The seconds `epochPrefix` gave last, with their text.
let epochSeconds = -1;
let epochText = '';

/**
 * `S.`, the seconds part of a time that prints plainly (no sign, nanoseconds below 1e9), or
 * undefined for one that does not. Packets come many to a second: the text is made once per
 * second, for `formatEpoch` and for printers that write the nanoseconds as bytes.
 */
export function epochPrefix(seconds: number, nanoseconds: number): string | undefined {
  const frac = nanoseconds | 0;
  if (frac < 0 || frac >= 1e9 || seconds < 0) return undefined;
  if (seconds !== epochSeconds) {
    epochSeconds = seconds;
    epochText = decimal(seconds) + '.';
  }
  return epochText;
}

/**
 * `S.NNNNNNNNN`, as tshark prints frame.time_epoch. Like Wireshark it keeps nanoseconds in a
 * signed 32-bit integer and does not carry them into the seconds, so a malformed record
 * prints as stored: 1e9 ns gives `S.1000000000`, 2^31 ns gives `-S.2147483648`.
 */
export function formatEpoch(seconds: number, nanoseconds: number): string {
  const prefix = epochPrefix(seconds, nanoseconds);
  if (prefix !== undefined) return prefix + nineDigits(nanoseconds | 0);
  let frac = nanoseconds | 0;
  let sign = '';
  if (frac < 0) {
    frac = -frac;
    if (seconds >= 0) sign = '-';
  }
  return `${sign}${seconds}.${String(frac).padStart(9, '0')}`;
}
