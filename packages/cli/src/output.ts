import { TextBuffer } from '@pcap/decode';
import type { Writable } from 'node:stream';

/**
 * Gathers printed text as bytes and writes it in large chunks, waiting for the stream to drain when it
 * is full, so that printing a million packets costs a few hundred writes.
 */
export class LineWriter {
  /** Where printers write their text; `commit` sends it on once enough has gathered. */
  readonly out: TextBuffer;

  constructor(
    private readonly stream: Writable,
    private readonly limit = 1 << 16,
  ) {
    // Room past the limit for the line that crosses it, so that the buffer never grows.
    this.out = new TextBuffer(limit + (limit >> 1));
  }

  /** Queues a line; resolves at once unless the stream needs to drain. */
  line(text: string): Promise<void> | undefined {
    this.out.line(text);
    return this.commit();
  }

  /** Writes what was printed into `out` once it is large enough; resolves at once unless the stream needs to drain. */
  commit(): Promise<void> | undefined {
    if (this.out.length >= this.limit) return this.flush();
    return undefined;
  }

  flush(): Promise<void> | undefined {
    if (this.out.length === 0) return undefined;
    const chunk = this.out.take();
    // Once written, the chunk's buffer is filled again rather than a new one allocated.
    return this.write(chunk, () => this.out.recycle(chunk));
  }

  private write(data: Uint8Array, written?: () => void): Promise<void> | undefined {
    if (this.stream.write(data, written ? (err) => err || written() : undefined)) return undefined;
    return new Promise((resolve, reject) => {
      const done = (err?: Error | null): void => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        if (err) reject(err);
        else resolve();
      };
      this.stream.once('drain', done);
      this.stream.once('error', done);
    });
  }
}

/** Bytes copied into a writer's buffer at a time: with the limit it flushes at, the buffer never has to grow. */
const PIECE = 1 << 15;

/**
 * Copies `text[from...to)` into `out` a piece at a time, awaiting `flush` after each piece:
 * text of any length passes through the writer's buffer without making it grow.
 */
export async function copyInPieces(out: TextBuffer, text: Uint8Array, from: number, to: number, flush: () => Promise<void> | undefined): Promise<void> {
  for (let at = from; at < to; at += PIECE) {
    out.bytes(text, at, Math.min(to, at + PIECE));
    const wait = flush();
    if (wait) await wait;
  }
}
