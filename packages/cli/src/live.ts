import type { CaptureRecord } from '@pcap/decode';
import { openLive, type Capture, type CaptureStats, type LiveOptions as NativeLiveOptions, type PcapWarning } from '@pcap/native';
import { describeCaptureError } from './capture-errors.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';
import type { LiveOptions } from './live-options.js';
import { nativeRecords } from './records.js';

/** libpcap's options from the command line's. */
function nativeOptions(opts: LiveOptions): NativeLiveOptions {
  const o: NativeLiveOptions = { promisc: opts.promisc !== false };
  if (opts.filter !== undefined) o.filter = opts.filter;
  if (opts.snaplen !== undefined) o.snaplen = opts.snaplen;
  if (opts.immediate) o.immediate = true;
  if (opts.bufferSize !== undefined) o.bufferSize = opts.bufferSize * 1024;
  if (opts.timeout !== undefined) o.timeout = opts.timeout;
  if (opts.monitor) o.rfmon = true;
  return o;
}

/** How a live capture ended and what libpcap counted. */
export interface LiveSummary {
  /** Packets handed to the command. */
  captured: number;
  /** libpcap's counters, read just before the capture was closed. */
  stats: CaptureStats | undefined;
  /** Why it stopped. */
  reason: 'count' | 'signal' | 'duration' | 'end';
}

/** An open live capture; `run` delivers its packets until the count, the duration or a signal. */
export class LiveCapture {
  private stopReason: LiveSummary['reason'] | undefined;
  private finalStats: CaptureStats | undefined;

  private constructor(
    readonly capture: Capture,
    private readonly opts: LiveOptions,
  ) {}

  /** Opens the device; every failure becomes one line saying what to do. libpcap's warnings go to stderr. */
  static open(opts: LiveOptions, io: Io): LiveCapture {
    const device = opts.interface;
    if (device === undefined) throw new UsageError('no device given: use -i NAME (pcap devices lists them)');
    try {
      const onWarning = (w: PcapWarning): void => void io.stderr.write(`pcap: warning: ${w.device}: ${w.message}\n`);
      return new LiveCapture(openLive(device, { ...nativeOptions(opts), onWarning }), opts);
    } catch (e) {
      throw describeCaptureError(e, { device });
    }
  }

  get device(): string {
    return this.capture.source;
  }

  /** tcpdump's first line, on stderr: also how a script knows the capture has started. */
  announce(io: Io): void {
    const c = this.capture;
    io.stderr.write(`listening on ${c.source}, link-type ${c.linkTypeName ?? c.linkType} (${c.linkType}), snapshot length ${c.snaplen} bytes\n`);
  }

  /** Stops the capture from outside the loop (a signal, a timer); the loop ends after the current packet. */
  stop(reason: LiveSummary['reason']): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.takeStats();
    this.capture.close();
  }

  private takeStats(): void {
    if (this.finalStats || this.capture.closed) return;
    try {
      this.finalStats = this.capture.stats();
    } catch {
      // Some devices keep no counters; the summary then has the packet count only.
    }
  }

  /**
   * Hands each packet to `each` until `-c`, `--duration`, SIGINT/SIGTERM or the end of
   * the capture. The record's bytes are valid until `each` (and its promise) completes.
   */
  async run(each: (rec: CaptureRecord) => Promise<void> | void): Promise<LiveSummary> {
    const onSignal = (): void => this.stop('signal');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const timer = this.opts.duration !== undefined ? setTimeout(() => this.stop('duration'), this.opts.duration * 1000) : undefined;
    const limit = this.opts.count ?? Infinity;
    let captured = 0;
    try {
      for await (const rec of nativeRecords(this.capture)) {
        captured++;
        const wait = each(rec);
        if (wait) await wait;
        if (this.stopReason) break;
        if (captured >= limit) {
          this.stopReason = 'count';
          this.takeStats();
          break;
        }
      }
    } catch (e) {
      throw describeCaptureError(e, { device: this.device });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (timer) clearTimeout(timer);
      this.takeStats();
      this.capture.close();
    }
    return { captured, stats: this.finalStats, reason: this.stopReason ?? 'end' };
  }
}

/** tcpdump's closing report, on stderr. */
export function reportSummary(io: Io, s: LiveSummary): void {
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  let text = `${plural(s.captured, 'packet')} captured\n`;
  if (s.stats) {
    text += `${plural(s.stats.recv, 'packet')} received by filter\n${plural(s.stats.drop, 'packet')} dropped by kernel\n`;
    if (s.stats.ifdrop > 0) text += `${plural(s.stats.ifdrop, 'packet')} dropped by interface\n`;
  }
  io.stderr.write(text);
}
