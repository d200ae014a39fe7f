import { Worker } from 'node:worker_threads';

const NAME_BYTES = 256;

/**
 * Detects code that never returns. The fuzz loop counts inputs in shared memory and copies
 * each input there before running it; a watcher thread that sees the count stand still for
 * `stallMs` prints the stuck input as hex (with a direct write, since the main thread is
 * blocked) and kills the process, so CI fails with the input instead of hanging.
 * Throughput is never timed: a slow machine makes the run longer, it never fails it.
 */
export class Watchdog {
  /** [inputs entered, input length, tag, input label, stalled flag, name length]. */
  private readonly state = new Int32Array(new SharedArrayBuffer(32));
  private readonly input: Uint8Array;
  private readonly name = new Uint8Array(new SharedArrayBuffer(NAME_BYTES));
  private readonly worker: Worker;

  /** With `kill: false` a stall only raises `stalled` (for testing the watchdog itself). */
  constructor(stallMs = 20_000, options: { kill?: boolean; maxInput?: number } = {}) {
    this.input = new Uint8Array(new SharedArrayBuffer(options.maxInput ?? 65536));
    this.worker = new Worker(WATCHER, {
      eval: true,
      workerData: { state: this.state.buffer, input: this.input.buffer, name: this.name.buffer, stallMs, kill: options.kill !== false },
    });
    this.worker.unref();
  }

  /** Names what is being fuzzed, for the report of a hang. */
  begin(name: string): void {
    const bytes = Buffer.from(name, 'utf8').subarray(0, NAME_BYTES);
    this.name.set(bytes);
    Atomics.store(this.state, 5, bytes.length);
  }

  /** Records the input about to be run; `tag` is printed with it (a link type, a chunk size). */
  enter(data: Uint8Array, tag: number, label: number): void {
    const n = Math.min(data.length, this.input.length);
    this.input.set(data.subarray(0, n));
    Atomics.store(this.state, 1, n);
    Atomics.store(this.state, 2, tag);
    Atomics.store(this.state, 3, label);
    Atomics.add(this.state, 0, 1);
  }

  /** True once an input stood still for the stall time. */
  get stalled(): boolean {
    return Atomics.load(this.state, 4) === 1;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Int32Array(workerData.state);
const input = new Uint8Array(workerData.input);
const name = new Uint8Array(workerData.name);
const tick = 250;
let last = -1;
let still = 0;
setInterval(() => {
  const count = Atomics.load(state, 0);
  if (count !== last) { last = count; still = 0; return; }
  still += tick;
  if (still < workerData.stallMs) return;
  Atomics.store(state, 4, 1);
  if (!workerData.kill) return;
  const n = Atomics.load(state, 1);
  const hex = Buffer.from(input.subarray(0, n)).toString('hex');
  const what = Buffer.from(name.subarray(0, Atomics.load(state, 5))).toString('utf8');
  writeSync(2, '\\nfuzz: ' + what + ': input ' + Atomics.load(state, 3) + ' (tag ' + Atomics.load(state, 2) + ', ' + n + ' bytes) made no progress for ' + workerData.stallMs + ' ms: ' + hex + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, tick);
`;
