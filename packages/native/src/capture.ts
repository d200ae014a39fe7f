import { EventEmitter } from 'node:events';
import {
  MAX_BATCH_BYTES,
  MAX_INT,
  badArgument,
  booleanOption,
  choiceOption,
  functionOption,
  integerOption,
  optionsObject,
  requireBytes,
  requireString,
  stringOption,
} from './arguments.js';
import { pcap } from './binding.js';
import { PcapError, native, toPcapError, type PcapErrorContext } from './errors.js';
import type { BpfProgram } from './filter.js';
import type { NativeCapture, NativeLiveOptions, NativeOpenResult } from './native.js';
import { Batch, type Packet } from './packet.js';
import { CaptureFileWriter, writeOpenError } from './writer.js';

/** A warning from libpcap while activating a live capture. */
export interface PcapWarning {
  code: 'WARNING' | 'PROMISC_NOTSUP' | 'TSTAMP_TYPE_NOTSUP';
  message: string;
  device: string;
}

/** How batches are read, for both live and offline captures. */
export interface BatchOptions {
  /** Most packets handed to JS per batch (one native->JS call each); default 1024. */
  batchSize?: number;
  /** Size of the batch buffer in bytes; default 1 MiB, and always room for one full packet. */
  batchBytes?: number;
  /** A BPF filter (tcpdump syntax) to apply right away. */
  filter?: string;
}

/** Options for {@link openLive}. */
export interface LiveOptions extends BatchOptions {
  /** Bytes kept per packet; default 262144. */
  snaplen?: number;
  /** Promiscuous mode; default false. */
  promisc?: boolean;
  /**
   * Kernel buffer size in bytes; default libpcap's (2 MiB on Linux), or `IMMEDIATE_BUFFER_SIZE`
   * (32 MiB) in immediate mode, where libpcap's ring of whole-snaplen slots would hold only
   * about seven packets and a burst would overrun it.
   */
  bufferSize?: number;
  /** Packet buffer timeout in milliseconds; default 100. Ignored in immediate mode. */
  timeout?: number;
  /** Deliver each packet as soon as it arrives instead of filling kernel blocks; default false. */
  immediate?: boolean;
  /** Monitor mode for Wi-Fi (capture 802.11 frames of every network); default false. */
  rfmon?: boolean;
  /** 'auto' (default) asks for nanoseconds and accepts microseconds; 'nano' insists. */
  precision?: 'auto' | 'nano' | 'micro';
  /** libpcap timestamp type name, e.g. 'host', 'adapter', 'adapter_unsynced'. */
  timestampType?: string;
  /** Which packets to capture: received ('in'), sent ('out') or both ('inout', default). */
  direction?: 'in' | 'out' | 'inout';
  /**
   * pcap_setnonblock right after activation; default true. Event-driven delivery always
   * switches the handle to non-blocking when it starts reading, because a blocking read
   * would stall the event loop.
   */
  nonblock?: boolean;
  /** Receives activation warnings; without it they are emitted as 'warning' events. */
  onWarning?: (warning: PcapWarning) => void;
  /**
   * How the capture learns that packets are waiting. 'poll' (the default where libpcap has a
   * selectable descriptor: Linux, macOS, BSDs) lets libuv poll it; 'thread' waits on a thread
   * of the capture's own and wakes the event loop, which then reads as usual. Where libpcap has
   * no such descriptor (Npcap on Windows) 'thread' is used whatever this says.
   */
  wait?: 'poll' | 'thread';
}

/** Options for {@link openOffline}. */
export type OfflineOptions = BatchOptions;

/** Counters from pcap_stats. */
export interface CaptureStats {
  /** Packets received by the filter (meaning varies by platform; on Linux: passed the filter). */
  recv: number;
  /** Packets dropped because the buffer was full. */
  drop: number;
  /** Packets dropped by the interface or driver (not supported everywhere). */
  ifdrop: number;
}

interface IteratorState {
  batch: Batch | undefined;
  index: number;
  waiting: boolean;
  resolve: ((r: IteratorResult<Packet>) => void) | undefined;
  reject: ((e: unknown) => void) | undefined;
  error: unknown;
}

const DEFAULT_BATCH_SIZE = 1024;
const DEFAULT_BATCH_BYTES = 1 << 20;

export interface CaptureEvents {
  /** One packet; `packet.borrowedData` is valid until the handler returns. */
  packet: [packet: Packet];
  /** All packets of one read; valid until the next batch. */
  batch: [batch: Batch];
  warning: [warning: PcapWarning];
  error: [error: PcapError];
  /** No more packets: end of file, or the capture was closed. */
  end: [];
  /** Resources released. */
  close: [];
}

/**
 * An open libpcap handle, live or offline. Packets flow once a 'packet' or 'batch'
 * listener is added or a `for await` loop starts; until then nothing is read.
 */
export class Capture extends EventEmitter<CaptureEvents> {
  /** 'live' for a device, 'offline' for a file. */
  readonly kind: 'live' | 'offline';
  /** Device name or file path. */
  readonly source: string;
  /** Link type (DLT_*) of every packet. */
  readonly linkType: number;
  /** libpcap's name for the link type, e.g. 'EN10MB'. */
  readonly linkTypeName: string | null;
  /** Snapshot length in effect. */
  readonly snaplen: number;
  /** Precision of the timestamps libpcap delivers (values are always in nanoseconds). */
  readonly timestampPrecision: 'nano' | 'micro';
  /** Timestamp types the device offers (live only). */
  readonly timestampTypes: string[];

  readonly #native: NativeCapture;
  readonly #ctx: PcapErrorContext;
  readonly #bytes: Uint8Array;
  readonly #words: Uint32Array;
  readonly #batchSize: number;
  readonly #waitOnThread: boolean;
  #current: Batch | undefined;
  #cursor = 0;
  #breakRequested = false;
  #paused = false;
  #flowing = false;
  #reading = false;
  #closed = false;
  #refed = true;
  #immediate: NodeJS.Immediate | undefined;
  #iter: IteratorState | undefined;

  /** @internal Use openLive() or openOffline(). */
  constructor(
    handle: NativeCapture,
    kind: 'live' | 'offline',
    source: string,
    opened: NativeOpenResult & { tstampTypes?: string[] },
    options: BatchOptions,
  ) {
    super({ captureRejections: false });
    this.#native = handle;
    this.kind = kind;
    this.source = source;
    this.#ctx = kind === 'live' ? { device: source } : { path: source };
    this.linkType = opened.linkType;
    this.linkTypeName = native(this.#ctx, () => pcap().linkTypeName(opened.linkType));
    this.snaplen = opened.snaplen;
    this.timestampPrecision = opened.nano ? 'nano' : 'micro';
    this.timestampTypes = opened.tstampTypes ?? [];
    this.#batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
    this.#waitOnThread = (options as LiveOptions).wait === 'thread';
    // Always room for one packet of snaplen bytes plus its record header.
    const want = Math.max(options.batchBytes ?? DEFAULT_BATCH_BYTES, opened.snaplen + 64);
    const size = Math.ceil(want / 8) * 8;
    const buffer = new ArrayBuffer(size);
    this.#bytes = new Uint8Array(buffer);
    this.#words = new Uint32Array(buffer);
    native(this.#ctx, () => handle.setBuffer(buffer));
    handle.onbatch = (count, error) => this.#onBatch(count, error);
    (this as EventEmitter).on('newListener', (event: string | symbol) => {
      if (event === 'packet' || event === 'batch') {
        this.#flowing = true;
        process.nextTick(() => this.#update());
      }
    });
    if (options.filter !== undefined) this.setFilter(options.filter);
  }

  /** True once close() ran (or a file was read to its end). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether delivery is paused by pause() or breakLoop(). */
  get paused(): boolean {
    return this.#paused;
  }

  /** Compiles `filter` against this capture and installs it, replacing any earlier one. */
  setFilter(filter: string, options?: { optimize?: boolean }): BpfProgram {
    this.#assertOpen();
    if (typeof filter !== 'string') throw badArgument('setFilter', 'filter', 'a string in tcpdump syntax, e.g. "udp port 53"', filter);
    const o = optionsObject('setFilter', options, ['optimize']);
    booleanOption(o, 'optimize');
    return native({ ...this.#ctx, filter }, () => this.#native.setFilter(filter, o.optimize ?? true));
  }

  /** pcap_stats counters. Live captures only (libpcap keeps none for files). */
  stats(): CaptureStats {
    this.#assertOpen();
    return native(this.#ctx, () => this.#native.stats());
  }

  /** Sends a raw frame (link-layer header included) on the device; returns bytes sent. */
  inject(frame: Uint8Array): number {
    this.#assertOpen();
    requireBytes('inject', 'frame', frame);
    if (frame.length === 0) throw badArgument('inject', 'frame', 'at least one byte (a whole frame, link-layer header included)', frame);
    return native(this.#ctx, () => this.#native.inject(frame));
  }

  /**
   * Opens a pcap file with this capture's link type, snaplen and timestamp precision;
   * write packets to it from your handler. The file outlives the capture.
   */
  dump(path: string, options?: { append?: boolean }): CaptureFileWriter {
    this.#assertOpen();
    requireString('dump', 'path', path);
    const o = optionsObject('dump', options, ['append']);
    booleanOption(o, 'append');
    try {
      return native({ path }, () => new CaptureFileWriter(this.#native.dumpOpen(path, o.append ?? false), path));
    } catch (err) {
      throw writeOpenError(err, path);
    }
  }

  /** Stops reading; packets keep arriving in the kernel buffer (and are dropped when it is full). */
  pause(): this {
    this.#paused = true;
    this.#update();
    return this;
  }

  /** Continues after pause() or breakLoop(), starting with what was left of the current batch. */
  resume(): this {
    this.#paused = false;
    this.#breakRequested = false;
    process.nextTick(() => {
      this.#emitPackets();
      this.#update();
    });
    return this;
  }

  /** Stops delivering right after the current packet handler returns, like pcap_breakloop. */
  breakLoop(): this {
    this.#breakRequested = true;
    return this.pause();
  }

  /** Keeps the process alive while capturing (the default). */
  ref(): this {
    this.#refed = true;
    if (!this.#closed) this.#native.ref();
    this.#immediate?.ref();
    return this;
  }

  /** Lets the process exit even though the capture is open. */
  unref(): this {
    this.#refed = false;
    if (!this.#closed) this.#native.unref();
    this.#immediate?.unref();
    return this;
  }

  /**
   * Releases the handle. Safe at any time, also from inside a 'packet' handler (no later
   * packet is delivered) and more than once. Emits 'end' (if not yet) and 'close'.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#flowing = false;
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    this.#native.close();
    this.#current?.release();
    this.#finishIterator();
    process.nextTick(() => {
      this.emit('end');
      this.emit('close');
    });
  }

  /**
   * Packets one by one with backpressure: nothing is read while the loop body runs, and
   * `packet.borrowedData` stays valid until the loop asks for a packet of the next batch.
   * Leaving the loop early closes the capture.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Packet> {
    if (this.#iter) throw new PcapError('BAD_OPTION', 'a capture can have only one async iterator at a time');
    const it: IteratorState = {
      batch: undefined,
      index: 0,
      waiting: false,
      resolve: undefined,
      reject: undefined,
      error: undefined,
    };
    this.#iter = it;
    const self = this;
    return {
      next(): Promise<IteratorResult<Packet>> {
        if (it.error !== undefined) {
          const e = it.error;
          it.error = undefined;
          return Promise.reject(e);
        }
        if (it.batch && it.index < it.batch.count && !it.batch.released) {
          return Promise.resolve({ value: it.batch.packet(it.index++), done: false });
        }
        if (self.#closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          it.resolve = resolve;
          it.reject = reject;
          it.waiting = true;
          self.#update();
        });
      },
      return(): Promise<IteratorResult<Packet>> {
        if (self.#iter === it) self.#iter = undefined;
        self.close();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** @internal Reports activation warnings once listeners had a chance to attach. */
  deliverWarnings(warnings: PcapWarning[], onWarning: ((w: PcapWarning) => void) | undefined): void {
    for (const w of warnings) {
      if (onWarning) onWarning(w);
      else process.nextTick(() => this.emit('warning', w));
    }
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new PcapError('CLOSED', `the capture on ${this.source} is closed; open a new one (${this.kind === 'live' ? 'openLive' : 'openOffline'}) to go on`, this.#ctx);
    }
  }

  /** Starts or stops reading to match who is consuming. */
  #update(): void {
    if (this.#closed) return;
    const restPending = this.#current !== undefined && this.#cursor < this.#current.count && this.listenerCount('packet') > 0;
    const want = !this.#paused && !restPending && (this.#iter ? this.#iter.waiting : this.#flowing);
    if (this.kind === 'live') {
      if (want && !this.#reading) {
        native(this.#ctx, () => this.#native.start(this.#batchSize, this.#waitOnThread));
        this.#reading = true;
      } else if (!want && this.#reading) {
        this.#native.pause();
        this.#reading = false;
      }
    } else if (want && !this.#immediate) {
      // Files: one batch per turn of the event loop, so timers and I/O keep running.
      this.#immediate = setImmediate(() => this.#readFile());
      if (!this.#refed) this.#immediate.unref();
    } else if (!want && this.#immediate) {
      clearImmediate(this.#immediate);
      this.#immediate = undefined;
    }
  }

  #readFile(): void {
    this.#immediate = undefined;
    if (this.#closed) return;
    let count: number;
    try {
      count = this.#native.readBatch(this.#batchSize);
    } catch (err) {
      this.#onBatch(0, err as Error);
      return;
    }
    this.#onBatch(count, undefined);
  }

  #onBatch(count: number, error: Error | undefined): void {
    if (this.#closed) return;
    if (error) {
      this.#fail(toPcapError(error, this.#ctx));
      return;
    }
    if (count < 0) {
      this.close();
      return;
    }
    this.#current?.release();
    const batch = new Batch(this.#bytes, this.#words, count, this.linkType);
    this.#current = batch;
    this.#cursor = 0;
    this.#breakRequested = false;
    const it = this.#iter;
    if (it && it.waiting) {
      it.waiting = false;
      it.batch = batch;
      it.index = 0;
      const resolve = it.resolve;
      it.resolve = it.reject = undefined;
      if (count > 0) {
        it.index = 1;
        resolve?.({ value: batch.packet(0), done: false });
      } else {
        it.waiting = true;
        it.resolve = resolve;
      }
    }
    // Stop the poll before running handlers: with a lagging consumer nothing more is read.
    this.#update();
    this.emit('batch', batch);
    this.#emitPackets();
    this.#update();
  }

  #emitPackets(): void {
    const batch = this.#current;
    if (!batch || batch.released) return;
    if (this.listenerCount('packet') === 0) {
      this.#cursor = batch.count;
      return;
    }
    while (this.#cursor < batch.count && !this.#closed && !this.#breakRequested) {
      this.emit('packet', batch.packet(this.#cursor++));
    }
  }

  #fail(err: PcapError): void {
    const it = this.#iter;
    if (it?.reject) {
      const reject = it.reject;
      it.resolve = it.reject = undefined;
      it.waiting = false;
      reject(err);
    } else if (it) {
      it.error = err;
    }
    // Closed first, so that an unhandled 'error' (which throws) still releases the handle.
    this.close();
    if (this.listenerCount('error') > 0 || !it) this.emit('error', err);
  }

  #finishIterator(): void {
    const it = this.#iter;
    if (!it) return;
    it.batch = undefined;
    if (it.resolve) {
      const resolve = it.resolve;
      it.resolve = it.reject = undefined;
      it.waiting = false;
      resolve({ value: undefined, done: true });
    }
  }
}

/** The kernel buffer an immediate-mode capture gets when `bufferSize` is not given: 32 MiB. */
export const IMMEDIATE_BUFFER_SIZE = 32 << 20;

function liveNativeOptions(o: LiveOptions): NativeLiveOptions {
  const out: NativeLiveOptions = {};
  if (o.snaplen !== undefined) out.snaplen = o.snaplen;
  if (o.promisc !== undefined) out.promisc = o.promisc;
  if (o.bufferSize !== undefined) out.bufferSize = o.bufferSize;
  else if (o.immediate) out.bufferSize = IMMEDIATE_BUFFER_SIZE;
  if (o.timeout !== undefined) out.timeout = o.timeout;
  if (o.immediate !== undefined) out.immediate = o.immediate;
  if (o.rfmon !== undefined) out.rfmon = o.rfmon;
  if (o.precision !== undefined) out.precision = o.precision;
  if (o.timestampType !== undefined) out.tstampType = o.timestampType;
  if (o.direction !== undefined) out.direction = o.direction;
  if (o.nonblock !== undefined) out.nonblock = o.nonblock;
  return out;
}

const BATCH_OPTIONS: readonly (keyof BatchOptions)[] = ['batchSize', 'batchBytes', 'filter'];
const LIVE_OPTIONS: readonly (keyof LiveOptions)[] = [
  ...BATCH_OPTIONS,
  ...(['snaplen', 'promisc', 'bufferSize', 'timeout', 'immediate', 'rfmon', 'precision', 'timestampType', 'direction', 'nonblock', 'onWarning', 'wait'] as const),
];

/** Refuses option values of the wrong type or out of range, naming the option and what it takes. */
function checkBatchOptions(o: BatchOptions): void {
  integerOption(o, 'batchSize', 1, MAX_INT);
  integerOption(o, 'batchBytes', 1, MAX_BATCH_BYTES, ' of bytes');
  stringOption(o, 'filter', ' in tcpdump syntax, e.g. "udp port 53"');
}

function checkLiveOptions(o: LiveOptions): void {
  checkBatchOptions(o);
  integerOption(o, 'snaplen', 1, MAX_INT, ' of bytes');
  integerOption(o, 'bufferSize', 1, MAX_INT, ' of bytes');
  integerOption(o, 'timeout', 0, MAX_INT, ' of milliseconds');
  for (const key of ['promisc', 'immediate', 'rfmon', 'nonblock'] as const) booleanOption(o, key);
  stringOption(o, 'timestampType', ", e.g. 'host' (capture.timestampTypes lists the device's)");
  choiceOption(o, 'precision', ['auto', 'nano', 'micro']);
  choiceOption(o, 'direction', ['in', 'out', 'inout']);
  choiceOption(o, 'wait', ['poll', 'thread']);
  functionOption(o, 'onWarning');
}

/**
 * Opens `device` for live capture (pcap_create + options + pcap_activate).
 * Throws a PcapError: EPERM (run as root or grant CAP_NET_RAW/CAP_NET_ADMIN), ENODEV,
 * RFMON_NOTSUP, BAD_FILTER, LIBPCAP_MISSING...
 */
export function openLive(device: string, opts?: LiveOptions): Capture {
  requireString('openLive', 'device', device, 'listDevices() lists the devices libpcap can open');
  const options = optionsObject('openLive', opts, LIVE_OPTIONS);
  checkLiveOptions(options);
  const ctx = { device };
  const b = native(ctx, () => pcap());
  const handle = new b.Capture();
  const opened = native(ctx, () => handle.openLive(device, liveNativeOptions(options)));
  try {
    const capture = new Capture(handle, 'live', device, opened, options);
    capture.deliverWarnings(
      opened.warnings.map((w) => ({ ...w, device })),
      options.onWarning,
    );
    return capture;
  } catch (err) {
    handle.close();
    throw err;
  }
}

/** Opens a pcap or pcapng file through libpcap; packets are delivered like a live capture's. */
export function openOffline(path: string, opts?: OfflineOptions): Capture {
  requireString('openOffline', 'path', path);
  const options = optionsObject('openOffline', opts, BATCH_OPTIONS);
  checkBatchOptions(options);
  const ctx = { path };
  const b = native(ctx, () => pcap());
  const handle = new b.Capture();
  const opened = native(ctx, () => handle.openOffline(path));
  try {
    return new Capture(handle, 'offline', path, opened, options);
  } catch (err) {
    handle.close();
    throw err;
  }
}
