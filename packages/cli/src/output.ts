import type { Writable } from 'node:stream';

/**
 * Buffers lines and writes them in large chunks, waiting for the stream to drain when it
 * is full, so that printing a million packets costs a few hundred writes.
 */
export class LineWriter {
  private buf: string[] = [];
  private size = 0;

  constructor(
    private readonly out: Writable,
    private readonly limit = 1 << 16,
  ) {}

  /** Queues a line; resolves at once unless the stream needs to drain. */
  line(text: string): Promise<void> | undefined {
    this.buf.push(text);
    this.size += text.length + 1;
    if (this.size >= this.limit) return this.flush();
    return undefined;
  }

  /** Writes bytes already formatted (whole lines) after the lines queued so far. */
  async bytes(chunk: Uint8Array): Promise<void> {
    await this.flush();
    await this.write(chunk);
  }

  flush(): Promise<void> | undefined {
    if (this.buf.length === 0) return undefined;
    const text = this.buf.join('\n') + '\n';
    this.buf = [];
    this.size = 0;
    return this.write(text);
  }

  private write(data: string | Uint8Array): Promise<void> | undefined {
    if (this.out.write(data)) return undefined;
    return new Promise((resolve, reject) => {
      const done = (err?: Error | null): void => {
        this.out.off('drain', done);
        this.out.off('error', done);
        if (err) reject(err);
        else resolve();
      };
      this.out.once('drain', done);
      this.out.once('error', done);
    });
  }
}
