import { CaptureFileError, decodePacket, FieldSelector, readCapture, summarize, UnknownFieldError } from '@pcap/decode';
import type { Writable } from 'node:stream';
import { CliError, UsageError } from '../errors.js';
import { LineWriter } from '../output.js';
import { clockTime } from '../time.js';

export interface ReadOptions {
  /** Comma-separated Wireshark field names: print them tshark `-T fields` style. */
  fields?: string;
  /** Stop after this many packets. */
  count?: number;
}

/**
 * `pcap read FILE|-`: prints one line per packet. Every packet before damage in the file is
 * printed before the error is reported.
 */
export async function readCommand(file: string, opts: ReadOptions, out: Writable, stdin: NodeJS.ReadableStream): Promise<void> {
  let selector: FieldSelector | undefined;
  if (opts.fields !== undefined) {
    try {
      selector = new FieldSelector(opts.fields.split(',').filter((f) => f.length > 0));
    } catch (e) {
      if (e instanceof UnknownFieldError) throw new UsageError(e.message);
      throw e;
    }
  }
  const writer = new LineWriter(out);
  const source = file === '-' ? (stdin as AsyncIterable<Uint8Array>) : file;
  const limit = opts.count ?? Infinity;
  let n = 0;
  try {
    for await (const rec of readCapture(source)) {
      if (n >= limit) break;
      n++;
      const pkt = decodePacket(rec.data, rec.linkType);
      const text = selector ? selector.values(rec, pkt).join('\t') : `${clockTime(rec.seconds, rec.nanoseconds)} ${summarize(pkt)}`;
      const wait = writer.line(text);
      if (wait) await wait;
    }
  } catch (e) {
    await writer.flush();
    throw describeReadError(file, e);
  }
  await writer.flush();
}

function describeReadError(file: string, e: unknown): Error {
  const name = file === '-' ? 'standard input' : file;
  if (e instanceof CaptureFileError) return new CliError(`${name}: ${e.message}`);
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return new CliError(`${name}: no such file`);
  if (err?.code === 'EACCES') return new CliError(`${name}: permission denied`);
  if (err?.code === 'EISDIR') return new CliError(`${name}: is a directory, not a capture file`);
  return e instanceof Error ? e : new Error(String(e));
}
