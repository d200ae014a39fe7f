import { PcapngWriter, PcapWriter, type CaptureRecord } from '@pcap/decode';
import { closeSync, createWriteStream, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { CliError } from './errors.js';
import type { Io } from './io.js';

/** What the file needs to know about the capture it records. */
export interface CaptureMeta {
  linkType: number;
  snaplen: number;
  /** Device the packets come from (pcapng `if_name`). */
  device?: string;
  /** The BPF filter in force (pcapng `if_filter`). */
  filter?: string;
}

/** A capture file being written by `-w`. */
export interface RecordWriter {
  /** Appends a packet; a promise when the file asks to wait. */
  write(rec: CaptureRecord): Promise<void> | undefined;
  /** Hands what is buffered to the file now, so other readers see it. */
  flush(): Promise<void> | undefined;
  /** Flushes and closes the file. */
  close(): Promise<void>;
  /** Where the packets go, for messages. */
  readonly path: string;
}

/** pcapng for a name ending in `.pcapng`, classic pcap otherwise (what every tool reads). */
export function formatFor(path: string): 'pcap' | 'pcapng' {
  return /\.pcapng$/i.test(path) ? 'pcapng' : 'pcap';
}

/** Opens the file now, so that an unwritable path is reported before capturing starts. */
function openFile(path: string): Writable {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT' ? 'no such directory' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new CliError(`cannot write ${path}: ${why}`);
  }
  try {
    return createWriteStream(path, { fd });
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** A pcap or pcapng file at `path` (`-` for standard output) holding the packets of one capture. */
export function createRecordWriter(path: string, meta: CaptureMeta, io: Io): RecordWriter {
  const toStdout = path === '-';
  const sink = toStdout ? io.stdout : openFile(path);
  let failure: Error | undefined;
  if (!toStdout) sink.on('error', (e) => (failure ??= new CliError(`cannot write ${path}: ${e.message}`)));
  const end = !toStdout;
  let writer: PcapWriter | PcapngWriter;
  if (formatFor(path) === 'pcapng') {
    const w = new PcapngWriter({ application: 'pcap (@pcap/cli)', end }, sink);
    w.addInterface({
      linkType: meta.linkType,
      snaplen: meta.snaplen,
      tsresol: 9,
      ...(meta.device !== undefined ? { name: meta.device } : {}),
      ...(meta.filter !== undefined ? { filter: meta.filter } : {}),
    });
    writer = w;
  } else {
    writer = new PcapWriter({ linkType: meta.linkType, snaplen: meta.snaplen, end }, sink);
  }
  const check = (): void => {
    if (failure) throw failure;
  };
  return {
    path,
    write(rec) {
      check();
      return writer.write({ seconds: rec.seconds, nanoseconds: rec.nanoseconds, data: rec.data, originalLength: rec.originalLength });
    },
    flush() {
      check();
      return writer.flush();
    },
    async close() {
      await writer.close();
      check();
    },
  };
}
