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
  // a step is incomplete wait in `pending` until the step's `want` is met, then are joined once.
  private buf: Uint8Array = EMPTY;
  private pos = 0;
  private fileOffset = 0;
  private pending: Uint8Array[] = [];
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
      this.join();
    }
    return this.parser !== undefined || this.open(false);
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
      if (!step) {
        this.want = this.pos < this.buf.length ? p.need(this.buf, this.pos, this.fileOffset) : 0;
        return undefined;
      }
      this.pos = step.end;
      if (step.record) return step.record;
    }
  }

  /** The source has ended: whatever waits is all there is (a file too short to open throws here). */
  end(): void {
    if (this.pendingBytes > 0) this.join();
    if (!this.parser) this.open(true);
  }

  /** After `end` and the last record: throws `TRUNCATED` if the file stops inside a record or block. */
  checkComplete(): void {
    const { parser, buf, pos, fileOffset } = this;
    if (parser && pos < buf.length) {
      throw new CaptureFileError('TRUNCATED', parser.describeCut(buf, pos, fileOffset), fileOffset + pos, parser.packets);
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

  private join(): void {
    const { buf, pos } = this;
    const joined = new Uint8Array(buf.length - pos + this.pendingBytes);
    joined.set(buf.subarray(pos), 0);
    let at = buf.length - pos;
    for (const c of this.pending) {
      joined.set(c, at);
      at += c.length;
    }
    this.fileOffset += pos;
    this.buf = joined;
    this.pos = 0;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
