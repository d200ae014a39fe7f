/**
 * A thread of `pcap read --threads`: parses the slices of the file it is given, decodes and
 * prints their packets, and hands back the text as bytes, in one piece per slice.
 */
import { parseCapture, TextBuffer } from '@pcap/decode';
import { openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { makePrinter, type Printer, type PrintOptions } from '../format/printers.js';
import { readFully, type Slice } from './slices.js';
import { DeferredSequence, type SliceHoles } from './tcp-numbers.js';

export interface WorkerSetup {
  readonly file: string;
  readonly print: PrintOptions;
}

export interface SliceTask extends Slice {
  readonly id: number;
  /** Output buffers of earlier slices, written and given back to be filled again. */
  readonly spare?: ArrayBuffer[];
}

/**
 * A slice's text (with the holes where its relative TCP numbers go, in the default text
 * output), or why it could not be made (the sequential reader then takes over from it).
 */
export type SliceResult = { readonly id: number; readonly output: Uint8Array; readonly holes?: SliceHoles } | { readonly id: number; readonly failed: string };

// The bytes of the slice being printed. One buffer serves every slice (grown when one is
// larger): a fresh one each time leaves the allocator holding memory it cannot give back.
let input = new Uint8Array(0);

// The text of the slice being printed, likewise one buffer for every slice.
const out = new TextBuffer(1 << 20);

/** How a thread prints: a printer, and for relative TCP numbers the counter that leaves holes for them. */
interface SlicePrinter {
  readonly print: Printer;
  readonly holes?: DeferredSequence;
}

function slicePrinter(opts: PrintOptions): SlicePrinter {
  if (opts.fields !== undefined || opts.json || opts.absoluteTcpSequence) return { print: makePrinter(opts) };
  const holes = new DeferredSequence(out);
  return { print: makePrinter(opts, holes), holes };
}

function printSlice(fd: number, printer: SlicePrinter, task: SliceTask): { output: Uint8Array; holes?: SliceHoles } {
  const length = task.prefix.length + task.end - task.start;
  if (input.length < length) input = new Uint8Array(length);
  const bytes = input.subarray(0, length);
  bytes.set(task.prefix);
  readFully(fd, bytes.subarray(task.prefix.length), task.start);
  out.clear();
  let n = 0;
  for (const rec of parseCapture(bytes)) {
    // Records are numbered from the slice; the file's numbering continues from `first`.
    (rec as { number: number }).number = rec.number + task.first - 1;
    printer.print(rec, out);
    n++;
  }
  if (n !== task.count) throw new Error(`the slice holds ${n} records, not ${task.count}`);
  const output = handOver(out.contents());
  return printer.holes ? { output, holes: printer.holes.take() } : { output };
}

// Output buffers given back by the reading thread. A slice's text goes out in one of these
// (handing it over detaches nothing else), so the same few buffers go back and forth
// instead of a new one per slice, which the reading thread would have to collect.
const spare: ArrayBuffer[] = [];

/** `text` copied into a buffer of its own: a spare one large enough, or a new one with room to be reused. */
function handOver(text: Uint8Array): Uint8Array {
  let buffer: ArrayBuffer | undefined;
  while ((buffer = spare.pop()) !== undefined && buffer.byteLength < text.length);
  buffer ??= new ArrayBuffer(text.length + (text.length >> 2));
  const output = new Uint8Array(buffer, 0, text.length);
  output.set(text);
  return output;
}

if (parentPort) {
  const port = parentPort;
  const setup = workerData as WorkerSetup;
  const fd = openSync(setup.file, 'r');
  let printer = slicePrinter(setup.print);
  port.on('message', (task: SliceTask) => {
    if (task.spare) spare.push(...task.spare);
    let result: SliceResult;
    try {
      result = { id: task.id, ...printSlice(fd, printer, task) };
    } catch (e) {
      result = { id: task.id, failed: e instanceof Error ? e.message : String(e) };
      // What a failed slice left half done is not carried into the next.
      printer = slicePrinter(setup.print);
    }
    const transfer = 'output' in result ? [result.output.buffer as ArrayBuffer, ...(result.holes ? [result.holes.holes.buffer as ArrayBuffer] : [])] : [];
    port.postMessage(result, transfer);
  });
}
