/**
 * Where capture writers send their bytes: a Node `Writable` (a file stream, a socket,
 * `process.stdout`) or anything with the same `write` / `once('drain')` / `end` methods.
 */
export interface ByteSink {
  /** Returns false when the destination wants the writer to wait for `'drain'`. */
  write(chunk: Uint8Array): boolean;
  once?(event: 'drain', listener: () => void): unknown;
  end?(callback?: () => void): unknown;
}

/** Bytes gathered before they are handed to the sink: one write per this many, not one per packet. */
const BATCH = 64 * 1024;

/**
 * Growable little output buffer shared by the writers: they reserve room, fill it through
 * `bytes`/`view`, and the buffer goes to the sink (or to the collected bytes) in batches.
 */
export class ByteOutput {
  bytes: Uint8Array = new Uint8Array(BATCH);
  view: DataView = new DataView(this.bytes.buffer);
  length = 0;
  private readonly collected: Uint8Array[] = [];
  private collectedBytes = 0;
  private closed = false;

  constructor(private readonly sink: ByteSink | undefined) {}

  /** Makes room for `n` more bytes at `length` and returns where they start. */
  reserve(n: number): number {
    if (this.closed) throw new Error('the capture writer is closed');
    const at = this.length;
    if (at + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, at + n));
      grown.set(this.bytes.subarray(0, at));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length = at + n;
    return at;
  }

  /** Hands the batch on once it is full; a promise when the sink asks to wait. */
  maybeFlush(): Promise<void> | undefined {
    return this.length >= BATCH ? this.flush() : undefined;
  }

  /** Hands everything written so far on; a promise when the sink asks to wait. */
  flush(): Promise<void> | undefined {
    if (this.length === 0) return undefined;
    const chunk = this.bytes.slice(0, this.length);
    this.length = 0;
    if (!this.sink) {
      this.collected.push(chunk);
      this.collectedBytes += chunk.length;
      return undefined;
    }
    if (this.sink.write(chunk) || !this.sink.once) return undefined;
    return new Promise((resolve) => this.sink!.once!('drain', resolve));
  }

  /** Flushes, then ends the sink (when it can be ended) and waits for it to finish. */
  async close(end: boolean): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    const sink = this.sink;
    if (end && sink?.end) await new Promise<void>((resolve) => sink.end!(() => resolve()));
  }

  /** Every byte written so far, when there is no sink. */
  collect(): Uint8Array {
    if (this.sink) throw new Error('the bytes went to the destination stream; bytes() is for writers made without one');
    this.flush();
    if (this.collected.length !== 1) {
      const all = new Uint8Array(this.collectedBytes);
      let at = 0;
      for (const c of this.collected) {
        all.set(c, at);
        at += c.length;
      }
      this.collected.length = 0;
      this.collected.push(all);
    }
    return this.collected[0] ?? new Uint8Array(0);
  }
}

/**
 * What both capture-file writers share: the byte output, and flushing, closing and
 * collecting it.
 */
export abstract class CaptureWriterBase {
  protected readonly out: ByteOutput;

  constructor(
    protected readonly options: { end?: boolean },
    destination?: ByteSink,
  ) {
    this.out = new ByteOutput(destination);
  }

  /** Hands buffered bytes to the destination now. */
  flush(): Promise<void> | undefined {
    return this.out.flush();
  }

  /** Flushes and, unless `end: false` was given, ends the destination stream. */
  close(): Promise<void> {
    return this.out.close(this.options.end !== false);
  }

  /** The whole file so far, for a writer made without a destination. */
  bytes(): Uint8Array {
    return this.out.collect();
  }
}
