import { pcap } from './binding.js';
import { PcapError, native } from './errors.js';
import type { NativeCapture, NativeDumper } from './native.js';

/** Anything with bytes and a timestamp; Packet and OwnedPacket both qualify. */
export interface WritablePacket {
  /** The bytes to write; for a Packet the borrowed view is used (no copy). */
  readonly borrowedData?: Uint8Array;
  readonly data?: Uint8Array;
  readonly seconds?: number;
  readonly nanoseconds?: number;
  /** Wire length; defaults to the number of bytes. */
  readonly length?: number;
}

/** Options for {@link createCaptureFile}. */
export interface CaptureFileOptions {
  /** Link type (DLT_*) of every packet in the file; default 1, Ethernet. */
  linkType?: number;
  /** Snapshot length written in the header; longer packets are cut. Default 262144. */
  snaplen?: number;
  /** 'nano' writes a nanosecond pcap file; default 'micro', the most widely read. */
  precision?: 'micro' | 'nano';
  /** Append to an existing file with the same link type and precision. */
  append?: boolean;
}

/** A pcap file being written with libpcap's pcap_dump. Close it to release the file. */
export class CaptureFileWriter {
  #dumper: NativeDumper | undefined;
  readonly #owner: NativeCapture | undefined;
  /** Packets written so far. */
  packets = 0;

  /** @internal Made by Capture.dump() and createCaptureFile(). */
  constructor(
    dumper: NativeDumper,
    /** The file being written. */
    readonly path: string,
    owner?: NativeCapture,
  ) {
    this.#dumper = dumper;
    this.#owner = owner;
  }

  get closed(): boolean {
    return this.#dumper === undefined;
  }

  /** Appends one packet. */
  write(packet: WritablePacket): void {
    const bytes = packet.borrowedData ?? packet.data;
    if (!bytes) throw new PcapError('BAD_OPTION', 'a packet to write needs borrowedData or data bytes');
    this.writeBytes(bytes, packet.seconds ?? 0, packet.nanoseconds ?? 0, packet.length);
  }

  /** Appends one packet from its parts; `length` is the wire length (default: bytes.length). */
  writeBytes(bytes: Uint8Array, seconds: number, nanoseconds = 0, length = bytes.length): void {
    const d = this.#dumper;
    if (!d) throw new PcapError('CLOSED', `the capture file "${this.path}" is closed`, { path: this.path });
    native({ path: this.path }, () => d.write(seconds, nanoseconds, length, bytes));
    this.packets++;
  }

  /** Pushes buffered packets to the file so other readers see them. */
  flush(): void {
    const d = this.#dumper;
    if (!d) throw new PcapError('CLOSED', `the capture file "${this.path}" is closed`, { path: this.path });
    native({ path: this.path }, () => d.flush());
  }

  /** Flushes and closes the file; calling it again does nothing. */
  close(): void {
    this.#dumper?.close();
    this.#dumper = undefined;
    this.#owner?.close();
  }
}

/** Creates (or with `append`, extends) a pcap file without any capture open. */
export function createCaptureFile(path: string, options: CaptureFileOptions = {}): CaptureFileWriter {
  const b = native({ path }, () => pcap());
  const handle = new b.Capture();
  return native({ path }, () => {
    handle.openDead(options.linkType ?? 1, options.snaplen ?? 262144, options.precision === 'nano');
    try {
      return new CaptureFileWriter(handle.dumpOpen(path, options.append ?? false), path, handle);
    } catch (err) {
      handle.close();
      throw err;
    }
  });
}
