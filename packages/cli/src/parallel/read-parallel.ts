import { Worker } from 'node:worker_threads';
import type { PrintOptions } from '../format/printers.js';
import type { TcpSequenceBases } from '@pcap/decode';
import { copyInPieces, type LineWriter } from '../output.js';
import type { SliceResult, SliceTask, WorkerSetup } from './read-worker.js';
import { SlicePrinter } from './slice-printer.js';
import { SliceScanner, type Slice } from './slices.js';
import { fillHoles } from './tcp-numbers.js';

/**
 * Bytes of records per slice: large enough that handing one over costs little, small enough
 * to keep every thread busy. PCAP_READ_SLICE_BYTES sets it, so that tests can cut small
 * files into many slices.
 */
const SLICE_BYTES = Number(process.env.PCAP_READ_SLICE_BYTES) > 0 ? Number(process.env.PCAP_READ_SLICE_BYTES) : 2 << 20;
/** Slices waiting or being printed per thread: enough to keep it busy while the output is written (and while this thread prints one). */
const AHEAD = 2;

export interface ParallelRead {
  readonly file: string;
  readonly print: PrintOptions;
  readonly threads: number;
  /** Records to print at most. */
  readonly limit: number;
  readonly writer: LineWriter;
  /** Counts the relative TCP numbers the threads leave out, in file order: the sequential reader's counter, so that it can go on from any slice. */
  readonly tcpSequence?: TcpSequenceBases | undefined;
  /** Called with the scan position, for a progress bar. */
  readonly progress?: (bytes: number) => void;
}

export interface ParallelResult {
  /** Number of the first record not printed. */
  readonly next: number;
  /** True when every record of the file was printed. */
  readonly complete: boolean;
  /** Slices printed by the threads. */
  readonly slices: number;
}

/** A slice in the order its text is written: its text once printed, and who printed it. */
interface Queued {
  readonly slice: Slice;
  result: SliceResult | undefined;
  /** Printed on this thread, whose printer takes back the output buffer. */
  readonly here: boolean;
  readonly printed: Promise<SliceResult> | undefined;
}

/**
 * Prints a capture file's packets on several threads: the file is cut into slices of whole
 * records, each thread prints the slices it is given, and their text is written in file
 * order. This thread is one of them: it gives the printing threads slices while they have
 * fewer than they can keep busy with and prints the next one itself otherwise, which saves
 * starting (and warming up) one more thread. Returns the number of the first record not
 * printed (the whole file, or up to the limit, gives `limit + 1` or the record count + 1),
 * so that the caller's sequential reader prints the rest: after damage, or where the scan
 * did not go (a second pcapng section).
 */
export async function readInParallel(job: ParallelRead): Promise<ParallelResult> {
  const scanner = new SliceScanner(job.file, { sliceBytes: SLICE_BYTES, limit: job.limit, ...(job.progress ? { progress: job.progress } : {}) });
  const pool = new PrintPool(job.threads - 1, { print: job.print });
  const here = new SlicePrinter(job.print);
  const queue: Queued[] = [];
  let failedAt: number | undefined;
  let printed = 0;
  // Writes the oldest slice's text; false when it failed (nothing of it is written).
  const settle = async (): Promise<boolean> => {
    const head = queue.shift()!;
    const r = head.result ?? (await head.printed!);
    if (r.input) scanner.giveBack(r.input);
    if ('failed' in r) {
      failedAt = head.slice.first;
      return false;
    }
    const w = job.writer;
    if (r.holes) {
      if (!job.tcpSequence) throw new Error('a slice with TCP numbers to count, and no counter');
      await fillHoles(r.output, r.holes, job.tcpSequence, w.out, () => w.commit());
    } else {
      // Copied, so that the slice's buffer can go back to its printer at once.
      await copyInPieces(w.out, r.output, 0, r.output.length, () => w.commit());
    }
    if (head.here) here.giveBack(r.output.buffer as ArrayBuffer);
    else pool.giveBack(r.id, r.output.buffer as ArrayBuffer);
    printed++;
    return true;
  };
  try {
    scan: for (const slice of scanner.slices()) {
      // The printing threads' messages come in while this thread waits: let them, then write what is ready.
      await turn();
      while (queue.length > 0 && queue[0]!.result !== undefined) if (!(await settle())) break scan;
      if (pool.waiting < pool.size * AHEAD) {
        const entry: Queued = { slice, result: undefined, here: false, printed: pool.print(slice).then((r) => (entry.result = r)) };
        queue.push(entry);
      } else {
        let result: SliceResult;
        try {
          result = { id: -1, ...here.print(slice) };
        } catch (e) {
          result = { id: -1, failed: e instanceof Error ? e.message : String(e) };
        }
        scanner.giveBack(slice.bytes.buffer as ArrayBuffer);
        queue.push({ slice, result, here: true, printed: undefined });
      }
      while (queue.length >= job.threads * AHEAD) if (!(await settle())) break scan;
    }
    while (failedAt === undefined && queue.length > 0) await settle();
  } finally {
    scanner.close();
    await pool.close();
  }
  if (failedAt !== undefined) return { next: failedAt, complete: false, slices: printed };
  return { next: scanner.next, complete: scanner.complete, slices: printed };
}

/** One turn of the event loop. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Worker threads printing slices, given out in turn. */
class PrintPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, (r: SliceResult) => void>();
  private nextId = 0;
  // Per thread, output buffers written and ready to go back with its next slice.
  private readonly spare: ArrayBuffer[][] = [];

  constructor(size: number, setup: WorkerSetup) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./read-worker.js', import.meta.url), { workerData: setup });
      w.on('message', (r: SliceResult) => this.settle(r));
      // A thread that dies fails what it was given; the sequential reader takes over there.
      w.on('error', () => this.failAll());
      w.on('exit', (code) => {
        if (code !== 0) this.failAll();
      });
      this.workers.push(w);
      this.spare.push([]);
    }
  }

  /** Threads in the pool. */
  get size(): number {
    return this.workers.length;
  }

  /** Slices given out and not printed yet. */
  get waiting(): number {
    return this.pending.size;
  }

  print(slice: Slice): Promise<SliceResult> {
    const id = this.nextId++;
    const k = id % this.workers.length;
    const spare = this.spare[k]!.splice(0);
    const task: SliceTask = { id, prefix: slice.prefix, start: slice.start, end: slice.end, first: slice.first, count: slice.count, bytes: slice.bytes, spare };
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      // The slice's bytes move to the thread, and come back with its text.
      this.workers[k]!.postMessage(task, [slice.bytes.buffer as ArrayBuffer, ...spare]);
    });
  }

  /** Hands the output buffer of slice `id`, now written, back to the thread that printed it. */
  giveBack(id: number, buffer: ArrayBuffer): void {
    this.spare[id % this.workers.length]?.push(buffer);
  }

  async close(): Promise<void> {
    const all = this.workers.splice(0);
    for (const w of all) w.removeAllListeners('exit');
    await Promise.all(all.map((w) => w.terminate()));
    this.failAll();
  }

  private settle(r: SliceResult): void {
    const resolve = this.pending.get(r.id);
    this.pending.delete(r.id);
    resolve?.(r);
  }

  private failAll(): void {
    for (const [id, resolve] of this.pending) resolve({ id, failed: 'the printing thread ended' });
    this.pending.clear();
  }
}
