import type { CaptureInfo, CaptureRecord } from './record.js';

/** One step of a format parser: a record (or a block that holds none) and where it ends. */
export interface Step {
  readonly record?: CaptureRecord;
  readonly end: number;
}

/**
 * A packet's bytes within a chunk, as a view of the chunk's memory: the constructor makes one
 * in about half the time `subarray` takes, which counts once per record.
 */
export function packetView(buf: Uint8Array, start: number, length: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + start, length);
}

/** The one `Step` a parser hands out, filled anew by each call: a record costs no object besides itself. */
export class StepSlot implements Step {
  record: CaptureRecord | undefined = undefined;
  end = 0;

  set(end: number, record?: CaptureRecord): this {
    this.end = end;
    this.record = record;
    return this;
  }
}

/**
 * A capture format after its file header: turns the bytes at `pos` into the next step,
 * or returns undefined when `buf` ends before the step does (the step is the parser's own,
 * valid until its next call). Throws `CaptureFileError` on impossible values.
 */
export interface FormatParser {
  readonly info: CaptureInfo;
  next(buf: Uint8Array, pos: number, fileOffset: number): Step | undefined;
  /**
   * Bytes from `pos` that the next step needs, once `next` has returned undefined there:
   * the reader gathers that many before trying again instead of re-joining every chunk.
   */
  need(buf: Uint8Array, pos: number, fileOffset: number): number;
  /** Describes the incomplete step at `pos` when the file ends there. */
  describeCut(buf: Uint8Array, pos: number, fileOffset: number): string;
  /** Whole packets returned so far. */
  readonly packets: number;
}
