import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MessagePort } from 'node:worker_threads';
import { readCapture, type CaptureRecord } from '@pcap/decode';
import { openLive, openOffline, type Capture, type LiveOptions } from '@pcap/native';
import { TrafficAggregator, type AggregatorOptions } from './aggregator.js';
import { describeCaptureError } from './capture-errors.js';
import type { DropCounters, FromWorker, Snapshot, SourceView, ToWorker } from './snapshot.js';
import type { FileSource, LiveSource, ServeSource } from './source.js';

/** What the server hands the capture worker. */
export interface WorkerConfig {
  source: ServeSource;
  /** Milliseconds between snapshots. */
  interval: number;
  limits?: AggregatorOptions;
}

/** A libpcap packet as a capture record (`data` is borrowed: valid during the handler). */
function recordOf(p: { seconds: number; nanoseconds: number; caplen: number; length: number; linkType: number; borrowedData: Uint8Array }, number: number): CaptureRecord {
  return { seconds: p.seconds, nanoseconds: p.nanoseconds, capturedLength: p.caplen, originalLength: p.length, linkType: p.linkType, interfaceId: undefined, data: p.borrowedData, number };
}

function liveOptions(s: LiveSource): LiveOptions {
  const o: LiveOptions = { promisc: s.promisc !== false };
  if (s.filter) o.filter = s.filter;
  if (s.snaplen !== undefined) o.snaplen = s.snaplen;
  if (s.immediate) o.immediate = true;
  if (s.bufferSize !== undefined) o.bufferSize = s.bufferSize;
  if (s.timeout !== undefined) o.timeout = s.timeout;
  if (s.monitor) o.rfmon = true;
  return o;
}

/**
 * The capture side of `pcap serve`, run in a worker thread: reads packets (live or from a
 * file), aggregates them, and posts a snapshot every `interval` ms - never a message per
 * packet. Answers filter changes and packet-detail requests from the server thread.
 */
export class CaptureWorker {
  private agg: TrafficAggregator;
  private generation = 0;
  private seq = 0;
  private filter: string;
  private state: Snapshot['state'] = 'running';
  private error: string | undefined;
  private live: Capture | undefined;
  private replay: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private linkType: number | undefined;
  private dirty = true;
  private started = Date.now();
  private stopped = false;

  constructor(
    private readonly port: MessagePort,
    private readonly config: WorkerConfig,
  ) {
    this.agg = new TrafficAggregator(config.limits);
    this.filter = config.source.filter ?? '';
  }

  /** Opens the source; posts `ready`, or `fatal` with the reason it cannot be opened. */
  start(): void {
    const src = this.config.source;
    try {
      if (src.kind === 'live') this.startLive(src);
      else this.startFile(src);
    } catch (e) {
      const d = src.kind === 'live' ? describeCaptureError(e, { device: src.device }) : describeCaptureError(e, { file: src.path });
      this.post(d.code ? { type: 'fatal', error: d.message, code: d.code } : { type: 'fatal', error: d.message });
      return;
    }
    this.port.on('message', (m: ToWorker) => this.onMessage(m));
    this.post({ type: 'ready', source: this.sourceView() });
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(), this.config.interval);
    this.tick();
  }

  private sourceView(): SourceView {
    const src = this.config.source;
    const v: SourceView = src.kind === 'live' ? { kind: 'live', name: src.device, filter: this.filter } : { kind: 'file', name: src.path, filter: this.filter, speed: src.speed ?? 'realtime' };
    if (this.linkType !== undefined) v.linkType = this.linkType;
    return v;
  }

  private startLive(src: LiveSource): void {
    const cap = openLive(src.device, { ...liveOptions(src), onWarning: (w) => void process.stderr.write(`pcap: warning: ${w.device}: ${w.message}\n`) });
    this.live = cap;
    this.linkType = cap.linkType;
    let n = 0;
    cap.on('packet', (p) => {
      this.agg.add(recordOf(p, ++n));
      this.dirty = true;
    });
    cap.on('error', (e) => {
      this.state = 'failed';
      this.error = describeCaptureError(e, { device: src.device }).message;
      this.dirty = true;
    });
  }

  private startFile(src: FileSource): void {
    // Opening errors (no such file, not a capture file, bad filter) are reported before serving.
    statSync(src.path);
    const probe = openOffline(src.path, this.filter ? { filter: this.filter } : {});
    this.linkType = probe.linkType;
    probe.close();
    void this.runReplay(src);
  }

  /** Replays the file from its start with the current filter; a newer replay (filter change) ends this one. */
  private async runReplay(src: FileSource): Promise<void> {
    this.replay?.abort();
    const ctl = new AbortController();
    this.replay = ctl;
    const gen = this.generation;
    const agg = this.agg;
    this.started = Date.now();
    this.state = 'running';
    this.error = undefined;
    const realtime = (src.speed ?? 'realtime') === 'realtime';
    let first: number | undefined;
    let wallStart = 0;
    let capture: Capture | undefined;
    try {
      const records: AsyncIterable<CaptureRecord> = this.filter
        ? (async function* (filter: string) {
            capture = openOffline(src.path, { filter });
            let n = 0;
            for await (const p of capture) yield recordOf(p, ++n);
          })(this.filter)
        : readCapture(src.path, { chunkSize: 1 << 17 });
      for await (const rec of records) {
        if (ctl.signal.aborted) break;
        if (realtime) {
          const t = rec.seconds * 1e3 + rec.nanoseconds / 1e6;
          if (first === undefined) {
            first = t;
            wallStart = performance.now();
          }
          const wait = t - first - (performance.now() - wallStart);
          // Waits under a few ms are merged into later ones: timers are not that precise anyway.
          if (wait > 4) await sleep(wait, undefined, { signal: ctl.signal }).catch(() => undefined);
          if (ctl.signal.aborted) break;
        }
        agg.add(rec);
        this.dirty = true;
      }
    } catch (e) {
      if (gen === this.generation) this.error = describeCaptureError(e, { file: src.path }).message;
    } finally {
      capture?.close();
    }
    if (gen !== this.generation || this.stopped) return;
    agg.end();
    this.state = 'ended';
    this.dirty = true;
    this.tick();
  }

  private onMessage(m: ToWorker): void {
    if (m.type === 'stop') return this.stop();
    if (m.type === 'detail') {
      this.post({ type: 'detail', id: m.id, detail: this.agg.detail(m.number) ?? null });
      return;
    }
    if (m.type === 'filter') this.setFilter(m.id, m.filter.trim());
  }

  /** Applies a new filter; an invalid one is refused and the capture goes on with the old one. */
  private setFilter(id: number, filter: string): void {
    const src = this.config.source;
    try {
      if (src.kind === 'live') {
        this.live!.setFilter(filter);
      } else {
        // Compiled against the file's link type before anything is restarted.
        if (filter) openOffline(src.path, { filter }).close();
      }
    } catch (e) {
      const d = describeCaptureError(e, src.kind === 'live' ? { device: src.device } : { file: src.path });
      this.post({ type: 'filter', id, ok: false, error: d.message });
      return;
    }
    this.filter = filter;
    if (src.kind === 'file') {
      // A file is replayed from its start with the new filter: its counts start over.
      this.generation++;
      this.agg = new TrafficAggregator(this.config.limits);
      void this.runReplay(src);
    }
    this.dirty = true;
    this.post({ type: 'filter', id, ok: true, filter });
    this.tick();
  }

  private tick(): void {
    const now = performance.now();
    // A late timer means the thread is behind the traffic: keep counting, but stop copying
    // packets for the list and the detail pane until it catches up.
    this.agg.keepPackets = now - this.lastTick < this.config.interval * 3;
    this.lastTick = now;
    let drops: DropCounters | undefined;
    if (this.live && !this.live.closed) {
      this.agg.tick(Math.floor(Date.now() / 1000));
      try {
        const s = this.live.stats();
        drops = { recv: s.recv, drop: s.drop, ifdrop: s.ifdrop };
      } catch {
        // Some devices keep no counters.
      }
      this.dirty = true;
    }
    if (!this.dirty) return;
    this.dirty = false;
    const snapshot: Snapshot = {
      ...this.agg.view(),
      seq: ++this.seq,
      generation: this.generation,
      source: this.sourceView(),
      state: this.state,
      at: Date.now(),
      started: this.started,
    };
    if (this.error) snapshot.error = this.error;
    if (drops) snapshot.drops = drops;
    this.post({ type: 'snapshot', snapshot });
  }

  /** Stops capturing and reading; the thread then has nothing left to do and ends. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.replay?.abort();
    this.live?.close();
    this.post({ type: 'stopped' });
    this.port.close();
  }

  private post(m: FromWorker): void {
    if (!this.stopped || m.type === 'stopped') this.port.postMessage(m);
  }
}
