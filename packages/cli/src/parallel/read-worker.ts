/**
 * A thread of `pcap read --threads`: parses the slices of the file it is given, decodes and
 * prints their packets, and hands back the text as bytes, in one piece per slice.
 */
import { decodePacket, parseCapture, TextBuffer } from '@pcap/decode';
import { openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { makePrinter, type PrintOptions } from '../format/printers.js';
import { readFully, type Slice } from './slices.js';

export interface WorkerSetup {
  readonly file: string;
  readonly print: PrintOptions;
}

export interface SliceTask extends Slice {
  readonly id: number;
}

/** A slice's text, or why it could not be made (the sequential reader then takes over from it). */
export type SliceResult = { readonly id: number; readonly output: Uint8Array } | { readonly id: number; readonly failed: string };

// The bytes of the slice being printed. One buffer serves every slice (grown when one is
// larger): a fresh one each time leaves the allocator holding memory it cannot give back.
let input = new Uint8Array(0);

// The text of the slice being printed, likewise one buffer for every slice.
const out = new TextBuffer(1 << 20);

function printSlice(fd: number, print: ReturnType<typeof makePrinter>, task: SliceTask): Uint8Array {
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
    print(rec, decodePacket(rec.data, rec.linkType, { originalLength: rec.originalLength }), out);
    n++;
  }
  if (n !== task.count) throw new Error(`the slice holds ${n} records, not ${task.count}`);
  // A copy of its own, exactly as long as the text: handing it over detaches nothing else.
  return out.contents().slice();
}

if (parentPort) {
  const port = parentPort;
  const setup = workerData as WorkerSetup;
  const fd = openSync(setup.file, 'r');
  const print = makePrinter(setup.print);
  port.on('message', (task: SliceTask) => {
    let result: SliceResult;
    try {
      result = { id: task.id, output: printSlice(fd, print, task) };
    } catch (e) {
      result = { id: task.id, failed: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(result, 'output' in result ? [result.output.buffer as ArrayBuffer] : []);
  });
}
