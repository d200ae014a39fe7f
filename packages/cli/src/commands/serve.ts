import type { ServeSource } from '@pcap/web';
import { CliError, ExitCode, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { rejectLiveOnly, type LiveOptions } from '../live-options.js';

export interface ServeOptions extends Omit<LiveOptions, 'count'> {
  /** A capture file to replay instead of capturing live. */
  read?: string;
  speed?: 'realtime' | 'max';
  port: number;
  host: string;
  token?: string;
}

/** The packet source the options describe: exactly one of -i and -r. */
function sourceOf(opts: ServeOptions): ServeSource {
  if (opts.read !== undefined && opts.interface !== undefined) throw new UsageError('give -r FILE or -i DEVICE, not both');
  if (opts.read === undefined && opts.interface === undefined) throw new UsageError('give -i DEVICE to capture live, or -r FILE to replay a capture file');
  if (opts.read !== undefined) {
    if (opts.read === '-') throw new UsageError('serve replays a file it can read again: standard input (-) cannot be replayed');
    rejectLiveOnly(opts, 'a file');
    return { kind: 'file', path: opts.read, speed: opts.speed ?? 'realtime', ...(opts.filter !== undefined ? { filter: opts.filter } : {}) };
  }
  if (opts.speed !== undefined) throw new UsageError('--speed applies to a file (-r), not to a live capture');
  const s: ServeSource = { kind: 'live', device: opts.interface!, promisc: opts.promisc !== false };
  if (opts.filter !== undefined) s.filter = opts.filter;
  if (opts.snaplen !== undefined) s.snaplen = opts.snaplen;
  if (opts.immediate) s.immediate = true;
  if (opts.bufferSize !== undefined) s.bufferSize = opts.bufferSize * 1024;
  if (opts.timeout !== undefined) s.timeout = opts.timeout;
  if (opts.monitor) s.monitor = true;
  return s;
}

/**
 * `pcap serve -i DEV | -r FILE`: captures (or replays a file) in a worker thread and serves
 * a live view of the traffic on a local web server. Prints the page's address on standard
 * output once listening; Ctrl-C (or --duration) stops the capture and the server.
 */
export async function serveCommand(opts: ServeOptions, io: Io): Promise<void> {
  const source = sourceOf(opts);
  const { startServer, ServeError } = await import('@pcap/web');
  let server;
  try {
    server = await startServer({ source, port: opts.port, host: opts.host, ...(opts.token ? { token: opts.token } : {}) });
  } catch (e) {
    if (e instanceof ServeError) throw new CliError(e.message, e.code === 'BAD_FILTER' ? ExitCode.USAGE : ExitCode.RUNTIME);
    throw e;
  }
  const what = source.kind === 'live' ? `live on ${source.device}` : `${source.path} (${source.speed === 'max' ? 'as fast as possible' : 'at capture speed'})`;
  io.stderr.write(`serving ${what}${source.filter ? `, filter ${JSON.stringify(source.filter)}` : ''}; Ctrl-C stops\n`);
  io.stdout.write(`${server.url}\n`);
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      if (timer) clearTimeout(timer);
      resolve();
    };
    const timer = opts.duration !== undefined ? setTimeout(done, opts.duration * 1000) : undefined;
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
  await server.close();
  io.stderr.write('stopped\n');
}
