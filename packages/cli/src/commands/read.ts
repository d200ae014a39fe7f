import { CaptureFileError, TcpSequenceBases, type CaptureSource } from '@pcap/decode';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { colorEnabled } from '../colors.js';
import { CliError } from '../errors.js';
import { makePrinter, type Printer, type PrintOptions } from '../format/printers.js';
import type { Io } from '../io.js';
import { LineWriter } from '../output.js';
import { fileChunks, progressBar } from '../progress.js';
import { readInParallel, type ParallelResult } from '../parallel/read-parallel.js';
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
  /** Threads printing packets (1: the reading thread alone); by default one per CPU for large files. */
  threads?: number;
}

/** Files from this size up are printed on several threads unless `threads` says otherwise. */
const AUTO_THREADS_BYTES = 64 << 20;
/**
 * A count (`-c`) below this is printed on one thread unless `threads` says otherwise:
 * starting and warming up a thread costs more than printing that many packets saves.
 */
const AUTO_THREADS_PACKETS = 100_000;
/** Threads used without `threads`: more rarely help, as writing the output in order becomes the limit. */
const AUTO_THREADS_MAX = 4;

/**
 * The threads to print `file` on, with its size (for the progress bar), or undefined to
 * read it on one thread. Relative TCP numbers (the default text output) are counted packet
 * after packet: the threads leave them out and this thread writes them in (see
 * tcp-numbers.ts). Standard input and `-f` (read by libpcap) are read on one thread.
 */
function parallelism(file: string, opts: ReadOptions): { threads: number; size: number } | undefined {
  if (file === '-' || opts.filter !== undefined || opts.threads === 1) return undefined;
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return undefined;
    size = st.size;
  } catch {
    // The sequential reader reports why the file cannot be read.
    return undefined;
  }
  const cpus = availableParallelism();
  // From two CPUs, for every output: with the file read once (see slices.ts), even
  // `--fields`, whose lines cost least, gains from a second thread on 1M packets.
  const few = opts.count !== undefined && opts.count < AUTO_THREADS_PACKETS;
  const auto = size >= AUTO_THREADS_BYTES && cpus >= 2 && !few ? Math.min(cpus, AUTO_THREADS_MAX) : 1;
  const threads = opts.threads ?? auto;
  return threads > 1 ? { threads, size } : undefined;
}

/** The printer the options ask for; a usage error for unknown fields or clashing modes. */
export function printerFor(opts: ReadOptions, io: Io): Printer {
  return makePrinter(printOptions(opts, io));
}

/** The print options of `opts`, with colour decided by the output stream. */
export function printOptions(opts: ReadOptions, io: Io): PrintOptions {
  const { fields, json, verbose, hex, absoluteTcpSequence } = opts;
  return { fields, json, verbose, hex, absoluteTcpSequence, colors: colorEnabled(io.stdout as { isTTY?: boolean }) };
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
  const printing = printOptions(opts, io);
  // One counter of relative TCP numbers for the whole file: the threads' packets are counted
  // here as their slices come in, and the sequential reader goes on with it.
  const tcpSequence = new TcpSequenceBases();
  const print = makePrinter(printing, tcpSequence);
  const writer = new LineWriter(io.stdout);
  const limit = opts.count ?? Infinity;
  try {
    if (limit > 0) {
      let from = 1;
      const parallel = parallelism(file, opts);
      if (parallel) {
        const { threads } = parallel;
        const bar = progressBar(io.stderr, parallel.size);
        let done: ParallelResult;
        try {
          done = await readInParallel({ file, print: printing, threads, limit, writer, tcpSequence, ...(bar ? { progress: (b: number) => bar.update(b) } : {}) });
        } finally {
          bar?.stop();
        }
        // How the file was split, for tests and for anyone wondering where the time goes.
        if (process.env.PCAP_READ_TRACE) {
          io.stderr.write(`pcap: ${threads} threads printed ${done.slices} slices, records 1 to ${done.next - 1}${done.complete || done.next > limit ? '' : `; the rest read on one thread`}\n`);
        }
        if (done.complete || done.next > limit) {
          await writer.flush();
          return;
        }
        // What the threads did not print (damage, a second pcapng section) the reader prints,
        // with its exact report of where and why a file is damaged.
        from = done.next;
      }
      let n = from - 1;
      read: for await (const batch of recordBatches(fileRecords(file, io, opts.filter))) {
        for (const rec of batch) {
          if (rec.number < from) continue;
          print(rec, writer.out);
          const wait = writer.commit();
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
