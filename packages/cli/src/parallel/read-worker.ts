/**
 * A thread of `pcap read --threads`: parses the slices of the file it is given, decodes and
 * prints their packets, and hands back the text as bytes, in one piece per slice.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PrintOptions } from '../format/printers.js';
import { SlicePrinter, type PrintedSlice } from './slice-printer.js';
import type { Slice } from './slices.js';

export interface WorkerSetup {
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
export type SliceResult = (({ readonly id: number } & PrintedSlice) | { readonly id: number; readonly failed: string }) & {
  /** The buffer of the slice's bytes, handed back for the scan to fill again. */
  readonly input?: ArrayBuffer;
};

if (parentPort) {
  const port = parentPort;
  const setup = workerData as WorkerSetup;
  const printer = new SlicePrinter(setup.print);
  port.on('message', (task: SliceTask) => {
    for (const buffer of task.spare ?? []) printer.giveBack(buffer);
    let result: SliceResult;
    const input = task.bytes.buffer as ArrayBuffer;
    try {
      result = { id: task.id, input, ...printer.print(task) };
    } catch (e) {
      result = { id: task.id, input, failed: e instanceof Error ? e.message : String(e) };
    }
    const transfer = 'output' in result ? [result.output.buffer as ArrayBuffer, ...(result.holes ? [result.holes.holes.buffer as ArrayBuffer] : [])] : [];
    port.postMessage(result, [input, ...transfer]);
  });
}
