import { CaptureFileError } from './errors.js';
import type { FormatParser } from './format.js';
import { openFormat, probeLength } from './open.js';
import type { CaptureRecord } from './record.js';

const EMPTY = new Uint8Array(0);

/**
 * The records of a capture arriving in chunks, parsed one at a time as they are asked for.
 * Besides the chunk being parsed it holds only the bytes of one incomplete record or block,
 * never more than the format's largest (a damaged length field is refused before anything is
 * buffered for it), and no record it has not handed out: records wait in the chunk's bytes,
 * not as objects, so a collection between two of them finds next to nothing alive.
 */
export class RecordCursor {
  /** The format's parser, once the file header has been read. */
  parser: FormatParser | undefined;
  // `buf[pos..]` is unread; `fileOffset` is the file position of buf[0]. Chunks arriving while
  // a step is incomplete wait in `pending` until the step's `want` is met; then that step's
  // bytes alone are copied together, and parsing goes on in the chunks where they lie.
  private buf: Uint8Array = EMPTY;
  private pos = 0;
  private fileOffset = 0;
  // `pending[head..]` wait, oldest first. A queue taken from by index: a source of one-byte
  // chunks can leave tens of thousands waiting, and shifting an array that long moves every
  // element each time (a 63 KB record streamed a byte at a time took seconds).
  private pending: Uint8Array[] = [];
  private head = 0;
  private pendingBytes = 0;
  private want = 4;

  /** Takes the source's next chunk; false while the bytes so far cannot make a step. */
  feed(chunk: Uint8Array): boolean {
    if (chunk.length === 0) return false;
    if (this.pos >= this.buf.length && this.pendingBytes === 0) {
      this.fileOffset += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
    } else {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.buf.length - this.pos + this.pendingBytes < this.want) return false;
    }
    if (this.parser) return true;
    // The file header is read from one buffer: a few bytes, gathered once.
    this.join(this.buf.length - this.pos + this.pendingBytes);
    return this.open(false);
  }

  /**
   * The next record in the bytes fed so far, or undefined when the next one needs more.
   * Throws `CaptureFileError` where the bytes are damaged.
   */
  next(): CaptureRecord | undefined {
    const p = this.parser;
    if (!p) return undefined;
    for (;;) {
      const step = p.next(this.buf, this.pos, this.fileOffset);
      if (step) {
        this.pos = step.end;
        if (step.record) return step.record;
        continue;
      }
      const left = this.buf.length - this.pos;
      if (left === 0) {
        const chunk = this.takeChunk();
        if (!chunk) {
          this.want = 0;
          return undefined;
        }
        this.fileOffset += this.buf.length;
        this.buf = chunk;
        this.pos = 0;
        this.pendingBytes -= chunk.length;
        continue;
      }
      // A step cut by the end of a chunk: only its own bytes are copied together, and the
      // chunks after it are parsed where they lie.
      const want = p.need(this.buf, this.pos, this.fileOffset);
      if (left + this.pendingBytes < want) {
        this.want = want;
        return undefined;
      }
      this.join(want);
    }
  }

  /** The source has ended: whatever waits is all there is (a file too short to open throws here). */
  end(): void {
    if (this.parser) return;
    this.join(this.buf.length - this.pos + this.pendingBytes);
    this.open(true);
  }

  /** After `end` and the last record: throws `TRUNCATED` if the file stops inside a record or block. */
  checkComplete(): void {
    const { parser } = this;
    const left = this.buf.length - this.pos + this.pendingBytes;
    if (parser && left > 0) {
      this.join(left);
      const { buf, fileOffset } = this;
      throw new CaptureFileError('TRUNCATED', parser.describeCut(buf, 0, fileOffset), fileOffset, parser.packets);
    }
  }

  private open(final: boolean): boolean {
    const opened = openFormat(this.buf, final);
    if (!opened) {
      this.want = probeLength(this.buf);
      return false;
    }
    this.parser = opened.parser;
    this.pos = opened.headerLength;
    return true;
  }

  /** Makes `buf` the next `n` unread bytes (all of `buf`'s and some of `pending`'s), copied together; the rest stays in `pending`. */
  private join(n: number): void {
    const joined = new Uint8Array(n);
    const left = this.buf.subarray(this.pos);
    joined.set(left, 0);
    let at = left.length;
    while (at < n) {
      const c = this.pending[this.head]!;
      const take = Math.min(c.length, n - at);
      joined.set(take === c.length ? c : c.subarray(0, take), at);
      at += take;
      this.pendingBytes -= take;
      if (take === c.length) this.takeChunk();
      else this.pending[this.head] = c.subarray(take);
    }
    this.fileOffset += this.pos;
    this.buf = joined;
    this.pos = 0;
  }

  /** The oldest waiting chunk, taken off the queue (its bytes still counted in `pendingBytes`). */
  private takeChunk(): Uint8Array | undefined {
    const { pending } = this;
    if (this.head === pending.length) return undefined;
    const chunk = pending[this.head]!;
    pending[this.head++] = EMPTY;
    if (this.head === pending.length) {
      pending.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= pending.length) {
      // Taken chunks are dropped in one move once they are half the queue: each waits for at most one.
      this.pending = pending.slice(this.head);
      this.head = 0;
    }
    return chunk;
  }
}
