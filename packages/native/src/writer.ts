import {
  MAX_INT,
  badArgument,
  booleanOption,
  choiceOption,
  integerOption,
  optionsObject,
  requireBytes,
  requireString,
} from './arguments.js';
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
    if (typeof packet !== 'object' || packet === null) throw badArgument('write', 'packet', 'a packet (with data or borrowedData)', packet);
    const bytes = packet.borrowedData ?? packet.data;
    if (!bytes) throw new PcapError('BAD_OPTION', 'a packet to write needs borrowedData or data bytes');
    this.writeBytes(bytes, packet.seconds ?? 0, packet.nanoseconds ?? 0, packet.length);
  }

  /** Appends one packet from its parts; `length` is the wire length (default: bytes.length). */
  writeBytes(bytes: Uint8Array, seconds: number, nanoseconds = 0, length?: number): void {
    const d = this.#dumper;
    if (!d) throw this.#closedError();
    requireBytes('writeBytes', 'bytes', bytes);
    // A pcap record holds seconds and lengths as unsigned 32-bit numbers.
    checkInteger('seconds', seconds, 0xffffffff);
    checkInteger('nanoseconds', nanoseconds, 999_999_999);
    length ??= bytes.length;
    checkInteger('length', length, 0xffffffff);
    native({ path: this.path }, () => d.write(seconds, nanoseconds, length, bytes));
    this.packets++;
  }

  /** Pushes buffered packets to the file so other readers see them. */
  flush(): void {
    const d = this.#dumper;
    if (!d) throw this.#closedError();
    native({ path: this.path }, () => d.flush());
  }

  #closedError(): PcapError {
    return new PcapError(
      'CLOSED',
      `the capture file "${this.path}" is closed; open it again with createCaptureFile(path, { append: true }) to add packets`,
      { path: this.path },
    );
  }

  /** Flushes and closes the file; calling it again does nothing. */
  close(): void {
    this.#dumper?.close();
    this.#dumper = undefined;
    this.#owner?.close();
  }
}

/**
 * pcap_dump_open reports only the system's text ("...: No such file or directory"); the usual
 * causes get their code and what to do. Anything else is passed on unchanged.
 */
export function writeOpenError(err: unknown, path: string): unknown {
  if (!(err instanceof PcapError) || err.code !== 'ERROR') return err;
  const said = err.pcapMessage ?? err.message;
  const make = (code: 'ENOENT' | 'EACCES' | 'EISDIR', message: string) => new PcapError(code, message, { path, pcapMessage: said, cause: err });
  if (/No such file or directory/.test(said)) return make('ENOENT', `cannot create "${path}": its directory does not exist; create it first`);
  if (/Permission denied|Read-only file system|Operation not permitted/.test(said)) {
    return make('EACCES', `cannot write "${path}" (${said.replace(`${path}: `, '')}); choose a writable directory or change its permissions`);
  }
  if (/Is a directory/.test(said)) return make('EISDIR', `"${path}" is a directory; give the name of a file to write`);
  return err;
}

function checkInteger(name: string, value: unknown, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw badArgument('writeBytes', name, `an integer from 0 to ${max}`, value);
  }
}

/** Creates (or with `append`, extends) a pcap file without any capture open. */
export function createCaptureFile(path: string, opts?: CaptureFileOptions): CaptureFileWriter {
  requireString('createCaptureFile', 'path', path);
  const options = optionsObject('createCaptureFile', opts, ['linkType', 'snaplen', 'precision', 'append']);
  integerOption(options, 'linkType', 0, MAX_INT);
  integerOption(options, 'snaplen', 1, MAX_INT, ' of bytes');
  choiceOption(options, 'precision', ['micro', 'nano']);
  booleanOption(options, 'append');
  const b = native({ path }, () => pcap());
  const handle = new b.Capture();
  try {
    return openWriter(handle, path, options);
  } catch (err) {
    throw writeOpenError(err, path);
  }
}

function openWriter(handle: NativeCapture, path: string, options: CaptureFileOptions): CaptureFileWriter {
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
