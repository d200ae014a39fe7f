import type { CaptureRecord } from '@pcap/decode';
import { CliError, ExitCode, UsageError } from './errors.js';
import type { Io } from './io.js';
import { LiveCapture, reportSummary, type LiveSummary } from './live.js';
import { rejectLiveOnly, type LiveOptions } from './live-options.js';
import { describeReadError } from './commands/read.js';
import { fileRecords } from './records.js';

/** Options of the commands that read a file or capture live (`pcap http`, `pcap tcp`). */
export type InputOptions = LiveOptions;

/** How feeding packets ended: a live capture's counters, or the error that cut a file short. */
export interface FeedResult {
  live?: LiveSummary;
  /** A damaged or unreadable file: the packets before the damage were fed. */
  error?: Error;
}

/** Checks that exactly one of FILE and -i was given. */
export function checkInput(file: string | undefined, opts: InputOptions): void {
  if (file !== undefined && opts.interface !== undefined) throw new UsageError('give a capture file or -i DEVICE, not both');
  if (file === undefined && opts.interface === undefined) throw new UsageError('give a capture file (- for standard input) or -i DEVICE to capture live');
  if (file !== undefined) rejectLiveOnly(opts, 'a file');
}

/**
 * Hands every packet of `file`, or of a live capture on `-i`, to `each`. `stop()` returning
 * true ends it early. A live capture ends with -c, --duration or Ctrl-C. Failing to open
 * a device and a bad filter are thrown; a file that cannot be read, or is damaged part-way,
 * is returned as `error`, so the caller first reports what it found before the damage.
 */
export async function feedPackets(
  file: string | undefined,
  opts: InputOptions,
  io: Io,
  each: (rec: CaptureRecord) => void,
  stop: () => boolean = () => false,
): Promise<FeedResult> {
  if (file === undefined) {
    const live = LiveCapture.open(opts, io);
    live.announce(io);
    const summary = await live.run((rec) => {
      each(rec);
      if (stop()) live.stop('end');
    });
    return { live: summary };
  }
  const limit = opts.count ?? Infinity;
  let n = 0;
  try {
    for await (const rec of fileRecords(file, io, opts.filter)) {
      each(rec);
      if (++n >= limit || stop()) break;
    }
  } catch (e) {
    const err = describeReadError(file, e);
    // A bad filter is the caller's mistake; anything else is the file's, reported after the output.
    if (err instanceof CliError && err.exitCode === ExitCode.USAGE) throw err;
    return { error: err };
  }
  return {};
}

/** After the output: the live report on stderr, or the file's damage as the command's error. */
export function finishInput(result: FeedResult, io: Io): void {
  if (result.live) reportSummary(io, result.live);
  if (result.error) throw result.error;
}
