/**
 * Prints the packets of one slice of a capture file into text, with the holes where its
 * relative TCP numbers go in the default text output: what a printing thread does with
 * each slice it is given, and what the reading thread does with a slice when every
 * printing thread has enough to do.
 */
import { parseCapture, TextBuffer } from '@pcap/decode';
import { makePrinter, type Printer, type PrintOptions } from '../format/printers.js';
import type { Slice } from './slices.js';
import { DeferredSequence, type SliceHoles } from './tcp-numbers.js';

/** A slice's text, in a buffer of its own, with the holes for its relative TCP numbers. */
export interface PrintedSlice {
  readonly output: Uint8Array;
  readonly holes?: SliceHoles;
}

/** How a slice is printed: a printer, and for relative TCP numbers the counter that leaves holes for them. */
interface Printing {
  readonly print: Printer;
  readonly holes?: DeferredSequence;
}

export class SlicePrinter {
  // The prefix and records of a slice whose buffer has no room for the prefix before its
  // records. One buffer serves every such slice (grown when one is larger): a fresh one each
  // time leaves the allocator holding memory it cannot give back.
  private input = new Uint8Array(0);
  // The text of the slice being printed, likewise one buffer for every slice.
  private readonly out = new TextBuffer(1 << 20);
  private printing: Printing;
  // Output buffers given back once written. A slice's text goes out in one of these, so the
  // same few buffers go round instead of a new one per slice, which would have to be collected.
  private readonly spare: ArrayBuffer[] = [];

  constructor(private readonly options: PrintOptions) {
    this.printing = this.makePrinting();
  }

  /** Prints `slice`; throws when the slice does not hold what the scan found, leaving this printer ready for the next. */
  print(slice: Slice): PrintedSlice {
    try {
      return this.printSlice(slice);
    } catch (e) {
      // What a failed slice left half done is not carried into the next.
      this.printing = this.makePrinting();
      throw e;
    }
  }

  /** Takes back an output buffer that `print` handed over, once its text is written. */
  giveBack(buffer: ArrayBuffer): void {
    this.spare.push(buffer);
  }

  private makePrinting(): Printing {
    const opts = this.options;
    if (opts.fields !== undefined || opts.json || opts.absoluteTcpSequence) return { print: makePrinter(opts) };
    const holes = new DeferredSequence(this.out);
    return { print: makePrinter(opts, holes), holes };
  }

  /**
   * The slice's records after its prefix, as a capture file of their own: in the slice's
   * buffer itself when the scan left room for the prefix before them, else copied.
   */
  private capture(slice: Slice): Uint8Array {
    const { prefix, bytes: records } = slice;
    if (records.byteOffset >= prefix.length) {
      const whole = new Uint8Array(records.buffer, records.byteOffset - prefix.length, prefix.length + records.length);
      whole.set(prefix);
      return whole;
    }
    const length = prefix.length + records.length;
    if (this.input.length < length) this.input = new Uint8Array(length);
    const whole = this.input.subarray(0, length);
    whole.set(prefix);
    whole.set(records, prefix.length);
    return whole;
  }

  private printSlice(slice: Slice): PrintedSlice {
    const bytes = this.capture(slice);
    const out = this.out;
    const { print, holes } = this.printing;
    out.clear();
    let n = 0;
    for (const rec of parseCapture(bytes)) {
      // Records are numbered from the slice; the file's numbering continues from `first`.
      (rec as { number: number }).number = rec.number + slice.first - 1;
      print(rec, out);
      n++;
    }
    if (n !== slice.count) throw new Error(`the slice holds ${n} records, not ${slice.count}`);
    const output = this.handOver(out.contents());
    return holes ? { output, holes: holes.take() } : { output };
  }

  /** `text` copied into a buffer of its own: a spare one large enough, or a new one with room to be reused. */
  private handOver(text: Uint8Array): Uint8Array {
    let buffer: ArrayBuffer | undefined;
    while ((buffer = this.spare.pop()) !== undefined && buffer.byteLength < text.length);
    buffer ??= new ArrayBuffer(text.length + (text.length >> 2));
    const output = new Uint8Array(buffer, 0, text.length);
    output.set(text);
    return output;
  }
}
