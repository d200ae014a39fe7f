import { CaptureFileError, decodePacket, FieldSelector, UnknownFieldError, type CaptureSource } from '@pcap/decode';
import { colorsFor } from '../colors.js';
import { CliError, UsageError } from '../errors.js';
import { fieldsPrinter, jsonPrinter, linePrinter, type Printer } from '../format/printers.js';
import type { Io } from '../io.js';
import { LineWriter } from '../output.js';
import { fileChunks } from '../progress.js';
import { fileRecords, recordBatches } from '../records.js';

export interface ReadOptions {
  /** Comma-separated Wireshark field names: print them tshark `-T fields` style. */
  fields?: string;
  /** NDJSON: one object per packet. */
  json?: boolean;
  verbose?: boolean;
  hex?: boolean;
  /** Print TCP sequence numbers as they are on the wire (tcpdump -S). */
  absoluteTcpSequence?: boolean;
  /** Stop after this many packets. */
  count?: number;
  /** BPF filter (tcpdump syntax): the file is then read by libpcap, which applies it. */
  filter?: string;
}

/** The printer the options ask for; a usage error for unknown fields or clashing modes. */
export function printerFor(opts: ReadOptions, io: Io): Printer {
  if (opts.fields !== undefined && opts.json) throw new UsageError('--fields and --json cannot be used together');
  if (opts.fields !== undefined) {
    try {
      return fieldsPrinter(new FieldSelector(opts.fields.split(',').filter((f) => f.length > 0)));
    } catch (e) {
      if (e instanceof UnknownFieldError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (opts.json) return jsonPrinter();
  return linePrinter({
    verbose: opts.verbose,
    hex: opts.hex,
    relativeTcpSequence: !opts.absoluteTcpSequence,
    colors: colorsFor(io.stdout as { isTTY?: boolean }),
  });
}

/** Where the bytes of `file` come from: standard input for `-`, else the file (with progress on a terminal). */
export function sourceFor(file: string, io: Io): CaptureSource {
  return file === '-' ? (io.stdin as AsyncIterable<Uint8Array>) : fileChunks(file, io.stderr);
}

/**
 * `pcap read FILE|-`: prints every packet (with `-f`, those matching the filter). Every
 * packet before damage in the file is printed before the error is reported.
 */
export async function readCommand(file: string, opts: ReadOptions, io: Io): Promise<void> {
  const print = printerFor(opts, io);
  const writer = new LineWriter(io.stdout);
  const limit = opts.count ?? Infinity;
  let n = 0;
  try {
    if (limit > 0) {
      read: for await (const batch of recordBatches(fileRecords(file, io, opts.filter))) {
        for (const rec of batch) {
          const wait = writer.line(print(rec, decodePacket(rec.data, rec.linkType, { originalLength: rec.originalLength })));
          if (wait) await wait;
          if (++n >= limit) break read;
        }
      }
    }
  } catch (e) {
    await writer.flush();
    throw describeReadError(file, e);
  }
  await writer.flush();
}

/** One line saying what is wrong with an input file. */
export function describeReadError(file: string, e: unknown): Error {
  const name = file === '-' ? 'standard input' : file;
  if (e instanceof CaptureFileError) return new CliError(`${name}: ${e.message}`);
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return new CliError(`${name}: no such file`);
  if (err?.code === 'EACCES') return new CliError(`${name}: permission denied`);
  if (err?.code === 'EISDIR') return new CliError(`${name}: is a directory, not a capture file`);
  return e instanceof Error ? e : new Error(String(e));
}
