import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Bytes of ArrayBuffers (packet and record buffers live there) plus the JS heap in use. */
export function allocatedBytes(): number {
  const m = process.memoryUsage();
  return m.arrayBuffers + m.heapUsed;
}

/**
 * How much more memory is in use right after `fn` than right before it. Nothing is
 * collected in between, so a large buffer made and dropped inside `fn` still counts
 * (an ArrayBuffer stays counted until a collection frees it).
 */
export function growthDuring(fn: () => void): number {
  const before = allocatedBytes();
  fn();
  return allocatedBytes() - before;
}

/** The same for an async `fn`. */
export async function growthDuringAsync(fn: () => Promise<void>): Promise<number> {
  const before = allocatedBytes();
  await fn();
  return allocatedBytes() - before;
}

/** Peak memory seen by a run, in bytes. */
export interface MemoryPeaks {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
}

/** Raises the peaks to the memory in use now. */
export function samplePeaks(p: MemoryPeaks): void {
  const m = process.memoryUsage();
  if (m.rss > p.rss) p.rss = m.rss;
  if (m.heapUsed > p.heapUsed) p.heapUsed = m.heapUsed;
  if (m.arrayBuffers > p.arrayBuffers) p.arrayBuffers = m.arrayBuffers;
}

let gc: (() => void) | undefined;

/** The JS heap in use after full collections: what the code under test really keeps. */
export function collectedHeapUsed(): number {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
