import { createRecordWriter, type RecordWriter } from '../capture-writer.js';
import { onBrokenPipe } from '../broken-pipe.js';
import { CliError, UsageError } from '../errors.js';
import type { Printer } from '../format/printers.js';
import type { Io } from '../io.js';
import { LiveCapture, reportSummary, type LiveSummary } from '../live.js';
import type { LiveOptions } from '../live-options.js';
import { LineWriter } from '../output.js';
import { printerFor, type ReadOptions } from './read.js';

export interface CaptureOptions extends LiveOptions, Omit<ReadOptions, 'count' | 'filter'> {
  /** Write the packets to this file: pcapng when it ends in .pcapng, else pcap; `-` for standard output. */
  write?: string;
  /** Print nothing per packet. */
  quiet?: boolean;
}

/** How often a file being written is brought up to date while packets trickle in. */
const FLUSH_MS = 1000;

/**
 * `pcap capture -i DEV`: prints (and with `-w` records) live packets until `-c`,
 * `--duration` or Ctrl-C, then says on stderr how many were captured and dropped.
 */
export async function captureCommand(opts: CaptureOptions, io: Io): Promise<void> {
  const toStdout = opts.write === '-';
  if (toStdout && (opts.json || opts.fields !== undefined || opts.verbose || opts.hex)) {
    throw new UsageError('-w - writes the capture to standard output; it cannot be combined with an output mode');
  }
  const print: Printer | undefined = opts.quiet || toStdout ? undefined : printerFor(opts, io);
  const live = LiveCapture.open(opts, io);
  let file: RecordWriter | undefined;
  try {
    if (opts.write !== undefined) {
      const c = live.capture;
      file = createRecordWriter(opts.write, { linkType: c.linkType, snaplen: c.snaplen, device: c.source, ...(opts.filter !== undefined ? { filter: opts.filter } : {}) }, io);
    }
  } catch (e) {
    live.capture.close();
    throw e;
  }
  live.announce(io);
  let stdoutGone = false;
  const ignoreIfGone = (e: unknown): void => {
    if (!stdoutGone) throw e;
  };
  const unhook = onBrokenPipe(() => {
    stdoutGone = true;
    live.stop('signal');
  });
  const lines = new LineWriter(io.stdout);
  // Lines go out once the batch in hand is printed, not when 64 KiB have gathered: a live
  // capture is watched as it happens.
  let soon: NodeJS.Immediate | undefined;
  const flushSoon = (): void => {
    soon ??= setImmediate(() => {
      soon = undefined;
      if (!stdoutGone) lines.flush()?.catch(() => undefined);
    });
  };
  let flushing: Promise<void> | undefined;
  const timer = file
    ? setInterval(() => {
        // A write error surfaces again when the file is closed; here it must not crash the process.
        if (toStdout && stdoutGone) return;
        flushing ??= Promise.resolve()
          .then(() => file!.flush())
          .catch(() => undefined)
          .finally(() => (flushing = undefined));
      }, FLUSH_MS)
    : undefined;
  let failure: unknown;
  let summary: LiveSummary | undefined;
  try {
    summary = await live.run(async (rec) => {
      if (print && !stdoutGone) {
        print(rec, lines.out);
        const w = lines.commit();
        if (w) await w.catch(ignoreIfGone);
        flushSoon();
      }
      if (file && !(toStdout && stdoutGone)) {
        const w = file.write(rec);
        if (w) await w;
      }
    });
  } catch (e) {
    failure = e;
  } finally {
    if (timer) clearInterval(timer);
    if (soon) clearImmediate(soon);
  }
  // Whatever happened, what was captured reaches the screen and the file.
  if (!stdoutGone) await lines.flush()?.catch(ignoreIfGone);
  unhook();
  if (flushing) await flushing;
  if (file && !(toStdout && stdoutGone)) {
    try {
      await file.close();
    } catch (e) {
      failure ??= e;
    }
  }
  if (summary) reportSummary(io, summary);
  if (failure) throw failure instanceof Error ? failure : new CliError(String(failure));
}
